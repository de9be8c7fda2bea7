#include "core/Options.h"

#include "analysis/Compat.h"
#include "core/CheckDocs.h"
#include "core/Finding.h"
#include "rules/Rule.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>

namespace forkhazard {

namespace {
/// How an option takes its value: a flag (no value on the command line, true/false in the
/// config file) or a value checked and stored by Set.
struct OptionInfo {
  llvm::StringRef Name;
  llvm::StringRef ValueSyntax; // empty for flags
  llvm::StringRef Help;
  bool Options::*Flag;
  /// Stores Value into Opts; returns what is wrong with it, or "".
  std::string (*Set)(Options &Opts, llvm::StringRef Value);
  bool InConfigFile;
  OptionDescription::Kind Role;
  llvm::StringRef Check;   // CheckOption: the check that reads it
  llvm::StringRef Default; // the value in effect when the option is not given
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

/// Why Name cannot name a function, or "": plain (`die`) or qualified (`util::die`).
std::string functionNameProblem(llvm::StringRef Name) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Name.split(Parts, "::");
  for (llvm::StringRef Part : Parts) {
    bool Identifier = !Part.empty() && !llvm::isDigit(Part.front()) &&
                      llvm::all_of(Part, [](char C) { return llvm::isAlnum(C) || C == '_'; });
    if (!Identifier)
      return "'" + Name.str() +
             "' is not a function name (plain, like 'die', or qualified, like 'util::die')";
  }
  return "";
}

/// A comma-separated list of function names; returns what is wrong with one, or "".
std::string setFunctionNames(std::vector<std::string> &Names, llvm::StringRef List) {
  std::vector<std::string> Parsed = splitNames(List);
  for (const std::string &Name : Parsed) {
    std::string Problem = functionNameProblem(Name);
    if (!Problem.empty())
      return Problem;
  }
  Names = std::move(Parsed);
  return "";
}

/// "util::die:exit" -> "util::die" and "exit"; no ending when the last ':' is part of a "::".
std::pair<llvm::StringRef, std::optional<llvm::StringRef>> splitEnding(llvm::StringRef Entry) {
  size_t Colon = Entry.rfind(':');
  if (Colon == llvm::StringRef::npos || (Colon > 0 && Entry[Colon - 1] == ':'))
    return {Entry, std::nullopt};
  return {Entry.take_front(Colon).rtrim(), Entry.drop_front(Colon + 1).trim()};
}

/// exit-functions: "name" or "name:_exit" ends like _exit, "name:exit" runs the exit hooks.
std::string setExitFunctions(Options &O, llvm::StringRef List) {
  std::vector<ExitFunction> Functions;
  for (const std::string &Entry : splitNames(List)) {
    auto [Name, Ending] = splitEnding(Entry);
    if (Ending && *Ending != "exit" && *Ending != "_exit")
      return "unknown ending ':" + Ending->str() + "' in '" + Entry +
             "'; the valid forms are 'name' or 'name:_exit' (ends like _exit) and 'name:exit' "
             "(ends through exit, which runs the atexit handlers)";
    if (Name.empty())
      return "'" + Entry + "' names no function";
    std::string Problem = functionNameProblem(Name);
    if (!Problem.empty())
      return Problem;
    Functions.push_back({Name.str(), Ending && *Ending == "exit"});
  }
  O.Analysis.ExitFunctions = std::move(Functions);
  return "";
}

std::vector<llvm::StringRef> checkNames() {
  std::vector<llvm::StringRef> Names;
  for (const RuleInfo &Rule : allRules())
    Names.push_back(Rule.Name);
  return Names;
}

std::string joined(llvm::ArrayRef<llvm::StringRef> Names) {
  std::string Text;
  for (llvm::StringRef Name : Names)
    Text += (Text.empty() ? "" : ", ") + Name.str();
  return Text;
}

struct CheckGlob {
  bool Negative;           // "-name": turns matching checks off
  llvm::StringRef Pattern; // without the '-' and the optional "fork-hazard-" prefix
};

std::vector<CheckGlob> splitGlobs(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Checks.split(Parts, ',', -1, false);
  std::vector<CheckGlob> Globs;
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    bool Negative = compat::startsWith(Part, "-");
    llvm::StringRef Pattern = Negative ? Part.drop_front().ltrim() : Part;
    if (compat::startsWith(Pattern, "fork-hazard-"))
      Pattern = Pattern.drop_front(strlen("fork-hazard-"));
    Globs.push_back({Negative, Pattern});
  }
  return Globs;
}

using Kind = OptionDescription::Kind;

const OptionInfo KnownOptions[] = {
    {"checks", "<globs>",
     "comma-separated globs applied after the defaults, e.g. '-*,fork-in-loop' or "
     "'-exit-in-child'",
     nullptr,
     [](Options &O, llvm::StringRef V) { return O.Checks.add(V); },
     true, Kind::CheckSelection, "", ""},
    {"help", "", "print the checks and options, then stop", &Options::Help, nullptr, false,
     Kind::FrontEndPolicy, "", "false"},
    {"threads", "auto|yes|no",
     "whether the program creates threads (unsafe-call-in-child); auto: the file creates one",
     nullptr,
     [](Options &O, llvm::StringRef V) {
       if (V == "auto")
         O.UnsafeCallInChild.Threads = UnsafeCallInChildOptions::ThreadsMode::Auto;
       else if (V == "yes")
         O.UnsafeCallInChild.Threads = UnsafeCallInChildOptions::ThreadsMode::Yes;
       else if (V == "no")
         O.UnsafeCallInChild.Threads = UnsafeCallInChildOptions::ThreadsMode::No;
       else
         return std::string("must be auto, yes or no");
       return std::string();
     },
     true, Kind::CheckOption, "unsafe-call-in-child", "auto"},
    {"unknown-calls", "ignore|unsafe",
     "how unsafe-call-in-child treats calls to functions it cannot see", nullptr,
     [](Options &O, llvm::StringRef V) {
       if (V != "ignore" && V != "unsafe")
         return std::string("must be ignore or unsafe");
       O.UnsafeCallInChild.UnknownCallsUnsafe = V == "unsafe";
       return std::string();
     },
     true, Kind::CheckOption, "unsafe-call-in-child", "ignore"},
    {"fork-functions", "<names>",
     "functions defined elsewhere that return the result of a fork, like fork (comma-separated)",
     nullptr,
     [](Options &O, llvm::StringRef V) { return setFunctionNames(O.Analysis.ForkFunctions, V); },
     true, Kind::AnalysisOption, "", ""},
    {"exit-functions", "<name>[:exit|:_exit],...",
     "functions defined elsewhere that end the process: like _exit, or with ':exit' through "
     "exit, which runs the atexit handlers (comma-separated)",
     nullptr, setExitFunctions, true, Kind::AnalysisOption, "", ""},
    {"wait-functions", "<names>",
     "functions defined elsewhere that reap the pid passed to them (comma-separated)", nullptr,
     [](Options &O, llvm::StringRef V) { return setFunctionNames(O.Analysis.WaitFunctions, V); },
     true, Kind::AnalysisOption, "", ""},
    {"facts", "<file>",
     "judge calls of functions defined in other files by the program's facts in this file "
     "(written by 'fork-hazard-check collect'; in a config file, relative to it)",
     nullptr,
     [](Options &O, llvm::StringRef V) {
       if (V.empty())
         return std::string("must name a facts file");
       O.FactsFile = V.str();
       return std::string();
     },
     true, Kind::AnalysisOption, "", ""},
    {"werror", "", "report fork-hazard warnings as errors", &Options::Werror, nullptr, true,
     Kind::FrontEndPolicy, "", "false"},
    {"stats", "", "print the functions analyzed, fork sites and time spent to stderr",
     &Options::Stats, nullptr, true, Kind::FrontEndPolicy, "", "false"},
    {"config", "<file>|none",
     "read this config file instead of the nearest .fork-hazard.yaml; 'none' reads none", nullptr,
     [](Options &O, llvm::StringRef V) {
       if (V.empty())
         return std::string("must name a file, or be 'none'");
       O.ConfigFile = V.str();
       return std::string();
     },
     false, Kind::FrontEndPolicy, "", ""},
};

const OptionInfo *findOption(llvm::StringRef Name) {
  for (const OptionInfo &Option : KnownOptions)
    if (Option.Name == Name)
      return &Option;
  return nullptr;
}

std::vector<llvm::StringRef> optionNames() {
  std::vector<llvm::StringRef> Names;
  for (const OptionInfo &Option : KnownOptions)
    Names.push_back(Option.Name);
  return Names;
}
} // namespace

llvm::StringRef closestName(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> Candidates) {
  llvm::StringRef Best;
  unsigned BestDistance = std::max<unsigned>(2, Name.size() / 3) + 1;
  for (llvm::StringRef Candidate : Candidates) {
    unsigned Distance = Name.edit_distance(Candidate, true, BestDistance);
    if (Distance < BestDistance) {
      BestDistance = Distance;
      Best = Candidate;
    }
  }
  return Best;
}

std::vector<llvm::StringRef> configKeys() {
  std::vector<llvm::StringRef> Keys;
  for (const OptionInfo &Option : KnownOptions)
    if (Option.InConfigFile)
      Keys.push_back(Option.Name);
  return Keys;
}

bool Options::applyArgument(llvm::StringRef Arg, const OptionSyntax &Syntax, std::string &Error) {
  auto [Name, Value] = Arg.split('=');
  bool HasValue = Arg.contains('=');
  const OptionInfo *Known = findOption(Name);
  if (!Known) {
    Error = "unknown option '" + Name.str() + "' for " + Syntax.Owner.str();
    llvm::StringRef Guess = closestName(Name, optionNames());
    if (!Guess.empty())
      Error += " (did you mean '" + Guess.str() + "'?)";
    Error += "; valid options are: " + joined(optionNames());
    return false;
  }
  bool IsFlag = Known->Flag != nullptr;
  if (IsFlag == HasValue) {
    Error = "option '" + Name.str() + "' of " + Syntax.Owner.str() + " " +
            (IsFlag ? std::string("takes no value")
                    : "needs a value: " + Syntax.Prefix.str() + Name.str() + "=" +
                          Known->ValueSyntax.str());
    return false;
  }
  if (IsFlag) {
    this->*(Known->Flag) = true;
    return true;
  }
  std::string Problem = Known->Set(*this, Value);
  if (!Problem.empty()) {
    Error = "invalid value '" + Value.str() + "' for option '" + Name.str() +
            "' of " + Syntax.Owner.str() + ": " + Problem;
    return false;
  }
  return true;
}

std::string Options::applyConfigKey(llvm::StringRef Key, llvm::StringRef Value) {
  const OptionInfo *Known = findOption(Key);
  if (!Known || !Known->InConfigFile) {
    std::string Problem = "unknown key '" + Key.str() + "'";
    llvm::StringRef Guess = closestName(Key, configKeys());
    if (!Guess.empty())
      Problem += " (did you mean '" + Guess.str() + "'?)";
    return Problem + "; valid keys are: " + joined(configKeys());
  }
  std::string Problem = applyValue(Key, Value);
  if (Problem.empty())
    return "";
  if (Known->Flag)
    return "'" + Key.str() + "' " + Problem;
  return "invalid value '" + Value.str() + "' for '" + Key.str() + "': " + Problem;
}

std::string Options::applyValue(llvm::StringRef Name, llvm::StringRef Value) {
  const OptionInfo *Known = findOption(Name);
  if (!Known)
    return "is not an option";
  if (Known->Flag) {
    std::string Lower = Value.lower();
    if (Lower == "true" || Lower == "yes" || Lower == "on" || Lower == "1")
      this->*(Known->Flag) = true;
    else if (Lower == "false" || Lower == "no" || Lower == "off" || Lower == "0")
      this->*(Known->Flag) = false;
    else
      return "must be true or false, not '" + Value.str() + "'";
    return "";
  }
  return Known->Set(*this, Value);
}

std::vector<OptionDescription> optionDescriptions() {
  std::vector<OptionDescription> Descriptions;
  for (const OptionInfo &Option : KnownOptions)
    Descriptions.push_back(
        {Option.Name, Option.ValueSyntax, Option.Help, Option.Default, Option.Role, Option.Check});
  return Descriptions;
}

struct CheckSelection::CompiledGlob {
  std::string Text;
  llvm::GlobPattern Pattern;
};

std::string CheckSelection::add(llvm::StringRef List) {
  std::vector<Glob> Added;
  for (const CheckGlob &Glob : splitGlobs(List)) {
    auto Owned = std::make_shared<CompiledGlob>(CompiledGlob{Glob.Pattern.str(), {}});
    llvm::StringRef Pattern = Owned->Text;
    auto Compiled = llvm::GlobPattern::create(Pattern);
    if (!Compiled) {
      std::string Why = llvm::toString(Compiled.takeError());
      return "'" + Pattern.str() + "' is not a valid glob (" + Why + ")";
    }
    bool Matches = false;
    for (const RuleInfo &Rule : allRules())
      Matches |= Compiled->match(Rule.Name);
    if (!Matches) {
      std::string Problem = "'" + Pattern.str() + "' matches no check";
      llvm::StringRef Guess = closestName(Pattern, checkNames());
      if (!Guess.empty())
        Problem += " (did you mean '" + Guess.str() + "'?)";
      return Problem + "; checks are: " + joined(checkNames());
    }
    Owned->Pattern = std::move(*Compiled);
    Added.push_back({Glob.Negative, std::move(Owned)});
  }
  Globs.insert(Globs.end(), Added.begin(), Added.end());
  return "";
}

bool CheckSelection::isEnabled(llvm::StringRef Check) const {
  bool Enabled = true;
  for (const RuleInfo &Rule : allRules())
    if (Rule.Name == Check)
      Enabled = Rule.OnByDefault;
  for (const Glob &G : Globs)
    if (G.Pattern->Pattern.match(Check))
      Enabled = !G.Negative;
  return Enabled;
}

std::string helpText(const OptionSyntax &Syntax) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << "fork-hazard: finds fork() mistakes at compile time\n\nChecks:\n";
  for (const RuleInfo &Rule : allRules())
    OS << "  " << fullCheckName(Rule.Name) << " (" << (Rule.OnByDefault ? "on" : "off")
       << " by default): " << plainText(Rule.Summary) << "\n";
  OS << "\nOptions (" << Syntax.Prefix << "<name>[=value]; the same keys in "
        ".fork-hazard.yaml):\n";
  for (const OptionInfo &Option : KnownOptions)
    OS << "  " << Option.Name << (Option.ValueSyntax.empty() ? "" : "=") << Option.ValueSyntax
       << ": " << Option.Help << "\n";
  OS << "\nSilence one report with // NOLINT(fork-hazard-<check>) on its line.\n";
  OS.flush();
  return Text;
}

} // namespace forkhazard
