#include "plugin/Options.h"

#include "plugin/Compat.h"
#include "plugin/Rule.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/raw_ostream.h"

namespace forkhazard {

namespace {
struct OptionInfo {
  llvm::StringRef Name;
  bool TakesValue;
  llvm::StringRef Help;
};
} // namespace

static const OptionInfo KnownOptions[] = {
    {"checks", true, "comma-separated globs selecting checks, e.g. '-*,fork-in-loop'"},
    {"help", false, "print the checks and options, then compile as usual"},
};

static std::string validOptionNames() {
  std::string Names;
  for (const OptionInfo &Option : KnownOptions) {
    if (!Names.empty())
      Names += ", ";
    Names += Option.Name.str();
  }
  return Names;
}

bool Options::parse(const std::vector<std::string> &Args, std::string &Error) {
  for (const std::string &Arg : Args) {
    llvm::StringRef Name = llvm::StringRef(Arg).split('=').first;
    bool HasValue = llvm::StringRef(Arg).contains('=');
    llvm::StringRef Value = llvm::StringRef(Arg).split('=').second;
    const OptionInfo *Known = nullptr;
    for (const OptionInfo &Option : KnownOptions)
      if (Option.Name == Name)
        Known = &Option;
    if (!Known) {
      Error = "unknown option '" + Name.str() + "' for plugin 'fork-hazard'; valid options are: " +
              validOptionNames();
      return false;
    }
    if (Known->TakesValue != HasValue) {
      Error = "option '" + Name.str() + "' of plugin 'fork-hazard' " +
              (Known->TakesValue ? "needs a value: -fplugin-arg-fork-hazard-" + Name.str() + "=..."
                                 : std::string("takes no value"));
      return false;
    }
    if (Name == "checks")
      Checks = Value.str();
    else if (Name == "help")
      Help = true;
  }
  return validateChecks(Error);
}

static llvm::SmallVector<llvm::StringRef, 8> splitGlobs(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef, 8> Globs;
  Checks.split(Globs, ',', -1, false);
  for (llvm::StringRef &Glob : Globs) {
    Glob = Glob.trim();
    if (compat::startsWith(Glob, "fork-hazard-"))
      Glob = Glob.drop_front(strlen("fork-hazard-"));
  }
  return Globs;
}

static bool globMatches(llvm::StringRef Glob, llvm::StringRef Name) {
  auto Pattern = llvm::GlobPattern::create(Glob);
  if (!Pattern) {
    llvm::consumeError(Pattern.takeError());
    return false;
  }
  return Pattern->match(Name);
}

bool Options::isCheckEnabled(llvm::StringRef Check) const {
  bool Enabled = false;
  for (llvm::StringRef Glob : splitGlobs(Checks)) {
    bool Negative = compat::startsWith(Glob, "-");
    if (globMatches(Negative ? Glob.drop_front() : Glob, Check))
      Enabled = !Negative;
  }
  return Enabled;
}

bool Options::validateChecks(std::string &Error) const {
  for (llvm::StringRef Glob : splitGlobs(Checks)) {
    llvm::StringRef Pattern = compat::startsWith(Glob, "-") ? Glob.drop_front() : Glob;
    bool Matches = false;
    for (const RuleInfo &Rule : allRules())
      Matches |= globMatches(Pattern, Rule.Name);
    if (!Matches) {
      std::string Names;
      for (const RuleInfo &Rule : allRules())
        Names += (Names.empty() ? "" : ", ") + Rule.Name.str();
      Error = "'" + Pattern.str() + "' in -fplugin-arg-fork-hazard-checks matches no check; " +
              "checks are: " + Names;
      return false;
    }
  }
  return true;
}

std::string helpText() {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << "fork-hazard: finds fork() mistakes at compile time\n\nChecks (all on by default):\n";
  for (const RuleInfo &Rule : allRules())
    OS << "  fork-hazard-" << Rule.Name << ": " << Rule.Summary << "\n";
  OS << "\nOptions (-fplugin-arg-fork-hazard-<name>[=value]):\n";
  for (const OptionInfo &Option : KnownOptions)
    OS << "  " << Option.Name << (Option.TakesValue ? "=<value>" : "") << ": " << Option.Help
       << "\n";
  OS.flush();
  return Text;
}

} // namespace forkhazard
