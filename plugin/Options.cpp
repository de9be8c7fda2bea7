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
  llvm::StringRef ValueSyntax; // empty: a flag without a value
  llvm::StringRef Help;
  /// Stores Value into Opts; returns an error sentence, or "" when the value is fine.
  std::string (*Set)(Options &Opts, llvm::StringRef Value);
};

std::vector<std::string> splitNames(llvm::StringRef List) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ',', -1, false);
  std::vector<std::string> Names;
  for (llvm::StringRef Part : Parts)
    if (!Part.trim().empty())
      Names.push_back(Part.trim().str());
  return Names;
}
} // namespace

static const OptionInfo KnownOptions[] = {
    {"checks", "<globs>",
     "comma-separated globs applied after the defaults, e.g. '-*,fork-in-loop' or "
     "'-exit-in-child'",
     [](Options &O, llvm::StringRef V) {
       O.Checks = V.str();
       return std::string();
     }},
    {"help", "", "print the checks and options, then stop",
     [](Options &O, llvm::StringRef) {
       O.Help = true;
       return std::string();
     }},
    {"threads", "auto|yes|no",
     "whether the program creates threads (unsafe-call-in-child); auto: the file creates one",
     [](Options &O, llvm::StringRef V) {
       if (V == "auto")
         O.Threads = Options::ThreadsMode::Auto;
       else if (V == "yes")
         O.Threads = Options::ThreadsMode::Yes;
       else if (V == "no")
         O.Threads = Options::ThreadsMode::No;
       else
         return std::string("must be auto, yes or no");
       return std::string();
     }},
    {"unknown-calls", "ignore|unsafe",
     "how unsafe-call-in-child treats calls to functions it cannot see",
     [](Options &O, llvm::StringRef V) {
       if (V != "ignore" && V != "unsafe")
         return std::string("must be ignore or unsafe");
       O.UnknownCallsUnsafe = V == "unsafe";
       return std::string();
     }},
    {"exit-functions", "<names>",
     "functions defined elsewhere that end the process, like _exit (comma-separated)",
     [](Options &O, llvm::StringRef V) {
       O.ExitFunctions = splitNames(V);
       return std::string();
     }},
    {"wait-functions", "<names>",
     "functions defined elsewhere that reap the pid passed to them (comma-separated)",
     [](Options &O, llvm::StringRef V) {
       O.WaitFunctions = splitNames(V);
       return std::string();
     }},
    {"werror", "", "report fork-hazard warnings as errors",
     [](Options &O, llvm::StringRef) {
       O.Werror = true;
       return std::string();
     }},
    {"stats", "", "print the functions analyzed, fork sites and time spent to stderr",
     [](Options &O, llvm::StringRef) {
       O.Stats = true;
       return std::string();
     }},
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
    bool TakesValue = !Known->ValueSyntax.empty();
    if (TakesValue != HasValue) {
      Error = "option '" + Name.str() + "' of plugin 'fork-hazard' " +
              (TakesValue ? "needs a value: -fplugin-arg-fork-hazard-" + Name.str() + "=" +
                                Known->ValueSyntax.str()
                          : std::string("takes no value"));
      return false;
    }
    std::string Problem = Known->Set(*this, Value);
    if (!Problem.empty()) {
      Error = "invalid value '" + Value.str() + "' for option '" + Name.str() +
              "' of plugin 'fork-hazard': " + Problem;
      return false;
    }
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
  bool Enabled = true; // every check is on by default
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
    OS << "  " << Option.Name << (Option.ValueSyntax.empty() ? "" : "=") << Option.ValueSyntax
       << ": " << Option.Help << "\n";
  OS.flush();
  return Text;
}

} // namespace forkhazard
