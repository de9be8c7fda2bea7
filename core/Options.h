// The options every front end takes, by the same names (the plugin's
// -fplugin-arg-fork-hazard-<name>[=value], the CLI's --<name>=...), and the same keys in a
// .fork-hazard.yaml file (see core/ConfigFile.h); command-line values win. Four kinds: which
// checks run, what the analysis is told, one check's own options, and front-end policy.
#ifndef FORK_HAZARD_OPTIONS_H
#define FORK_HAZARD_OPTIONS_H

#include "analysis/AnalysisOptions.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class GlobPattern;
}

namespace forkhazard {

/// Which checks run: clang-tidy style globs over check names, applied after the defaults
/// (config file first, then the command line): "-*,missing-wait", "*,-exit-in-child". Each list
/// is validated and compiled once, when it is added.
class CheckSelection {
public:
  /// Adds one comma-separated list; returns "" or what is wrong with it.
  std::string add(llvm::StringRef Globs);
  bool isEnabled(llvm::StringRef Check) const;

private:
  /// A compiled glob keeps pointers into its text (LLVM 17 and later): both live together.
  struct CompiledGlob;
  struct Glob {
    bool Negative; // "-name": turns matching checks off
    std::shared_ptr<const CompiledGlob> Pattern;
  };
  std::vector<Glob> Globs;
};

/// Options of one check, read by that check only.
struct UnsafeCallInChildOptions {
  /// Whether the program creates threads: Auto = evidence in the TU.
  enum class ThreadsMode { Auto, Yes, No } Threads = ThreadsMode::Auto;
  /// unknown-calls=unsafe: calls to functions neither defined in the TU nor declared in a
  /// system header count as not async-signal-safe.
  bool UnknownCallsUnsafe = false;
};

/// How a front end spells the options in its messages and help: the plugin's
/// -fplugin-arg-fork-hazard-<name>, the CLI's --<name>.
struct OptionSyntax {
  llvm::StringRef Prefix; // before the option's name
  llvm::StringRef Owner;  // who rejects a bad option: "plugin 'fork-hazard'", "fork-hazard-check"
};

struct Options {
  CheckSelection Checks;
  AnalysisOptions Analysis;
  UnsafeCallInChildOptions UnsafeCallInChild;
  /// Front-end policy: our warnings become errors (like -Werror, for fork-hazard only).
  bool Werror = false;
  /// Front-end policy: print statistics (functions analyzed, fork sites, time) to stderr.
  bool Stats = false;
  bool Help = false;
  /// The config file to read: "" = search from the source file's directory up, "none" = none.
  std::string ConfigFile;
  /// The program's facts (analysis/ProgramFacts.h), for calls of other files' functions.
  std::string FactsFile;

  /// Applies one command-line argument, "name" or "name=value"; on error returns false and sets
  /// Error to one clear sentence in the front end's Syntax.
  bool applyArgument(llvm::StringRef Arg, const OptionSyntax &Syntax, std::string &Error);
  /// Applies one config-file key. Value is a scalar, or a list already joined with commas.
  /// Returns "" or what is wrong (without the file position, which the caller adds).
  std::string applyConfigKey(llvm::StringRef Key, llvm::StringRef Value);
  /// Sets option Name from its value as text (a flag from true/false), for front ends with an
  /// option system of their own. Returns "" or the problem, without the option's name.
  std::string applyValue(llvm::StringRef Name, llvm::StringRef Value);
  bool isCheckEnabled(llvm::StringRef Check) const { return Checks.isEnabled(Check); }
};

/// An option as a host with an option system of its own (clang-tidy's CheckOptions) shows it.
struct OptionDescription {
  /// What the option decides: which checks run, what one check or every check finds (through
  /// the analysis), or the front end's policy (werror, stats, help, config).
  enum class Kind { CheckSelection, CheckOption, AnalysisOption, FrontEndPolicy };
  llvm::StringRef Name, ValueSyntax, Help;
  llvm::StringRef Default; // the value in effect when the option is not given, as text
  Kind Role;
  llvm::StringRef Check; // CheckOption: the check that reads it
};
/// Every option, in the order of help.
std::vector<OptionDescription> optionDescriptions();

/// The keys a config file may hold (the options, without help and config).
std::vector<llvm::StringRef> configKeys();
/// The closest of Candidates to Name, if it is close enough to be a likely typo; else "".
llvm::StringRef closestName(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> Candidates);
/// The help text: the checks and the options, spelled in the front end's Syntax.
std::string helpText(const OptionSyntax &Syntax);

} // namespace forkhazard

#endif
