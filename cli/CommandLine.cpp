#include "cli/CommandLine.h"

#include "analysis/Compat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <initializer_list>
#include <utility>

namespace forkhazard::cli {

const OptionSyntax CliSyntax{"--", "fork-hazard-check"};

/// The first argument, when it is one of these, names what to do instead of checking.
static const llvm::StringRef Subcommands[] = {"collect", "merge-facts", "merge"};

namespace {
/// The CLI's own options that take a value: name, value syntax, help.
struct ValueOption {
  llvm::StringRef Name, Syntax, Help;
};
const ValueOption ValueOptions[] = {
    {"p", "<dir or file>",
     "the build directory holding compile_commands.json, or the database file itself"},
    {"j", "<N>", "analyze N files at a time (default: the number of cores)"},
    {"format", "text|json|sarif|html|codequality",
     "output format (default text; html writes a report site into the -o directory; "
     "codequality is GitLab's code quality report)"},
    {"o", "<file>", "write the findings to this file instead of standard output (html: the directory)"},
    {"color", "auto|always|never", "colour in text output (auto: when output is a terminal)"},
    {"fail-on", "warning|error|never",
     "exit 1 when a finding at this level or above is reported (default warning)"},
    {"extra-arg", "<arg>", "add this argument to every compile command (repeatable)"},
    {"extra-arg-before", "<arg>", "add this argument before the others (repeatable)"},
    {"removed-arg", "<arg>", "remove this argument from every compile command (repeatable)"},
    {"export-fixes", "<file.yaml>", "write the fix-its for clang-apply-replacements"},
    {"baseline", "<old.sarif or old.json>",
     "report only findings that are not in this earlier output (matched by fingerprint, not by "
     "line)"},
    {"diff", "<file>|-",
     "report only findings on a line this unified diff adds or changes (or with a note there); "
     "paths relative to the current directory"},
    {"changed-lines-from", "<git ref>",
     "the same for the lines 'git diff <ref>' shows changed in the working tree"},
    {"cache-dir", "<dir>",
     "keep what each file's analysis found there, so that a run parses only the files that "
     "changed (and those whose facts from other files changed)"},
    {"shard", "<I>/<N>",
     "only the I-th of N stable parts of the files (one CI runner of N; merge their SARIF with "
     "'fork-hazard-check merge')"},
};
struct FlagOption {
  llvm::StringRef Name, Help;
  bool CommandLine::*Flag;
};
const FlagOption FlagOptions[] = {
    {"fix", "apply the fix-its to the source files", &CommandLine::Fix},
    {"list-checks", "print the checks, one per line, and whether each is enabled",
     &CommandLine::ListChecks},
    {"skip-files-without-fork",
     "do not parse a file whose preprocessed tokens name no fork-family function: faster, but "
     "its parse errors go unreported",
     &CommandLine::SkipFilesWithoutFork},
    {"no-facts",
     "judge each file alone, without the facts of the program's other files (as the plugin "
     "does without its facts option)",
     &CommandLine::NoFacts},
    {"quiet", "no progress line and no summary on standard error", &CommandLine::Quiet},
    {"version", "print the version", &CommandLine::Version},
};

const ValueOption *findValueOption(llvm::StringRef Name) {
  for (const ValueOption &Option : ValueOptions)
    if (Option.Name == Name)
      return &Option;
  return nullptr;
}

/// Sets Out to the value named Value among Choices; false if there is none.
template <typename T>
bool choose(llvm::StringRef Value,
            std::initializer_list<std::pair<llvm::StringRef, T>> Choices, T &Out) {
  for (const auto &Choice : Choices)
    if (Choice.first == Value) {
      Out = Choice.second;
      return true;
    }
  return false;
}

std::string setValue(CommandLine &Out, llvm::StringRef Name, llvm::StringRef Value) {
  auto Invalid = [&](llvm::StringRef Valid) {
    return "invalid value '" + Value.str() + "' for option '--" + Name.str() + "' of " +
           CliSyntax.Owner.str() + ": must be " + Valid.str();
  };
  if (Name == "p") {
    Out.BuildPath = Value.str();
  } else if (Name == "j") {
    unsigned Jobs = 0;
    if (Value.getAsInteger(10, Jobs) || Jobs == 0 || Jobs > 1024)
      return Invalid("a number from 1 to 1024");
    Out.Jobs = Jobs;
  } else if (Name == "format") {
    if (!choose(Value, {{"text", OutputFormat::Text}, {"json", OutputFormat::Json},
                        {"sarif", OutputFormat::Sarif}, {"html", OutputFormat::Html},
                        {"codequality", OutputFormat::CodeQuality}},
                Out.Format))
      return Invalid("text, json, sarif, html or codequality");
  } else if (Name == "o") {
    Out.OutputFile = Value.str();
  } else if (Name == "color") {
    if (!choose(Value, {{"auto", ColorMode::Auto}, {"always", ColorMode::Always},
                        {"never", ColorMode::Never}}, Out.Color))
      return Invalid("auto, always or never");
  } else if (Name == "fail-on") {
    if (!choose(Value, {{"warning", FailLevel::Warning}, {"error", FailLevel::Error},
                        {"never", FailLevel::Never}}, Out.FailOn))
      return Invalid("warning, error or never");
  } else if (Name == "extra-arg") {
    Out.ExtraArgs.push_back(Value.str());
  } else if (Name == "extra-arg-before") {
    Out.ExtraArgsBefore.push_back(Value.str());
  } else if (Name == "removed-arg") {
    Out.RemovedArgs.push_back(Value.str());
  } else if (Name == "export-fixes") {
    Out.ExportFixes = Value.str();
  } else if (Name == "baseline") {
    Out.Baseline = Value.str();
  } else if (Name == "diff") {
    Out.DiffFile = Value.str();
  } else if (Name == "changed-lines-from") {
    Out.ChangedLinesFrom = Value.str();
  } else if (Name == "cache-dir") {
    Out.CacheDir = Value.str();
  } else if (Name == "shard") {
    auto [Index, Count] = Value.split('/');
    if (Index.getAsInteger(10, Out.ShardIndex) || Count.getAsInteger(10, Out.ShardCount) ||
        Out.ShardCount == 0 || Out.ShardIndex == 0 || Out.ShardIndex > Out.ShardCount)
      return Invalid("I/N with 1 <= I <= N (--shard=2/4)");
  }
  if (Value.empty() && Name != "extra-arg" && Name != "extra-arg-before")
    return "option '--" + Name.str() + "' of " + CliSyntax.Owner.str() + " needs a value";
  return "";
}
} // namespace

std::string parseCommandLine(int Argc, const char **Argv, CommandLine &Out) {
  bool OnlyPaths = false;
  int First = 1;
  if (Argc > 1 && llvm::is_contained(Subcommands, llvm::StringRef(Argv[1]))) {
    Out.Subcommand = Argv[1];
    First = 2;
  }
  for (int I = First; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    if (OnlyPaths || Arg == "-" || !compat::startsWith(Arg, "-")) {
      Out.Paths.push_back(Arg.str());
      continue;
    }
    if (Arg == "--") {
      OnlyPaths = true;
      continue;
    }
    llvm::StringRef Body = Arg.drop_front(compat::startsWith(Arg, "--") ? 2 : 1);
    auto [Name, Value] = Body.split('=');
    bool HasValue = Body.contains('=');
    // -j8 and -pbuild, as make and clang-tidy users type them
    if (!HasValue && Body.size() > 1 && (Body[0] == 'j' || Body[0] == 'p') &&
        !findValueOption(Body) && (Body[0] == 'p' || llvm::isDigit(Body[1]))) {
      Name = Body.take_front(1);
      Value = Body.drop_front(1);
      HasValue = true;
    }
    if (const ValueOption *Option = findValueOption(Name)) {
      if (!HasValue) {
        if (I + 1 >= Argc)
          return "option '" + Arg.str() + "' of " + CliSyntax.Owner.str() + " needs a value: " +
                 Arg.str() + " " + Option->Syntax.str();
        Value = Argv[++I];
      }
      std::string Problem = setValue(Out, Name, Value);
      if (!Problem.empty())
        return Problem;
      continue;
    }
    if (Name == "h" || Name == "help") {
      Out.Help = true;
      continue;
    }
    bool Matched = false;
    for (const FlagOption &Option : FlagOptions)
      if (Option.Name == Name) {
        if (HasValue)
          return "option '--" + Name.str() + "' of " + CliSyntax.Owner.str() +
                 " takes no value";
        Out.*(Option.Flag) = true;
        Matched = true;
      }
    if (Matched)
      continue;
    // Everything else is a shared option; checked here once, applied per source file later.
    Options Probe;
    std::string Error;
    if (!Probe.applyArgument(Body, CliSyntax, Error)) {
      std::vector<llvm::StringRef> Own;
      for (const ValueOption &Option : ValueOptions)
        Own.push_back(Option.Name);
      for (const FlagOption &Option : FlagOptions)
        Own.push_back(Option.Name);
      if (compat::startsWith(Error, "unknown option")) {
        llvm::StringRef Guess = closestName(Name, Own);
        if (!Guess.empty())
          return "unknown option '" + Arg.str() + "' for " + CliSyntax.Owner.str() +
                 " (did you mean '--" + Guess.str() + "'?); see --help";
      }
      return Error;
    }
    // The CLI collects the program's facts itself unless the command line gives them (a
    // config file's facts key is for the plugin and the editor).
    if (!Probe.FactsFile.empty())
      Out.FactsFile = Probe.FactsFile;
    Out.SharedArgs.push_back(Body.str());
  }
  if (!Out.FactsFile.empty() && Out.NoFacts)
    return "options '--facts' and '--no-facts' of " + CliSyntax.Owner.str() +
           " contradict each other";
  if (Out.SkipFilesWithoutFork && Out.FactsFile.empty() && !Out.NoFacts)
    return "option '--skip-files-without-fork' of " + CliSyntax.Owner.str() +
           " leaves files unparsed, so their facts would be missing: give the facts with "
           "'--facts=<file>' (written by 'fork-hazard-check collect') or judge each file alone "
           "with '--no-facts'";
  if (Out.Format == OutputFormat::Html && Out.Subcommand.empty() &&
      (Out.OutputFile.empty() || Out.OutputFile == "-"))
    return "'--format=html' writes a report site (index.html and a page per finding): give "
           "its directory with -o <dir>";
  if (Out.Subcommand == "collect" && (Out.OutputFile.empty() || Out.OutputFile == "-"))
    return "'fork-hazard-check collect' writes a facts file: give it with -o <file>";
  if ((Out.Subcommand == "merge-facts" || Out.Subcommand == "merge") && Out.Paths.empty())
    return "'fork-hazard-check " + Out.Subcommand + "' needs the files to merge: " +
           (Out.Subcommand == "merge" ? "fork-hazard-check merge a.sarif b.sarif -o all.sarif"
                                      : "fork-hazard-check merge-facts a.json b.json -o all.json");
  if (Out.Subcommand == "merge-facts" && (Out.OutputFile.empty() || Out.OutputFile == "-"))
    return "'fork-hazard-check merge-facts' writes a facts file: give it with -o <file>";
  return "";
}

std::string cliHelpText() {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << "USAGE: fork-hazard-check -p <build dir or compile_commands.json> [options] "
        "[files or directories...]\n"
        "       fork-hazard-check collect -p <...> -o <facts.json> [files or directories...]\n"
        "       fork-hazard-check merge-facts <facts.json>... -o <facts.json>\n"
        "       fork-hazard-check merge <log.sarif>... -o <log.sarif>\n\n"
        "Analyzes the translation units of a compile database (all of them, or those under the\n"
        "given paths) for fork() hazards, judging each call of a function another of them\n"
        "defines by what that function does (the program's facts). 'collect' writes those\n"
        "facts to a file, for --facts and the plugin's facts option; 'merge-facts' and 'merge'\n"
        "join the facts and the SARIF logs of shards (--shard). Exit status: 0 no finding,\n"
        "1 findings (see --fail-on), 2 a tool error or a file that does not parse.\n\n"
        "Options of fork-hazard-check:\n";
  for (const ValueOption &Option : ValueOptions)
    OS << "  " << (Option.Name.size() == 1 ? "-" : "--") << Option.Name
       << (Option.Name.size() == 1 ? " " : "=") << Option.Syntax << ": " << Option.Help << "\n";
  for (const FlagOption &Option : FlagOptions)
    OS << "  --" << Option.Name << ": " << Option.Help << "\n";
  OS << "  --help: print this help\n\n";
  OS.flush();
  return Text + helpText(CliSyntax);
}

} // namespace forkhazard::cli
