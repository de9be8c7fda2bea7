// What one translation unit tells the rest of the program (issue 15): the facts about its
// functions that another TU's analysis needs when it calls them (do they end the process, reap
// children, create threads, return fork's result?) and the TU's own program-wide facts (a SIGCHLD
// reaper, threads). Plain data with positions as file:line:column, so that it outlives the AST,
// is merged across the compile database (analysis/ProgramFacts.h) and can be written to a file.
#ifndef FORK_HAZARD_PROGRAM_SUMMARY_H
#define FORK_HAZARD_PROGRAM_SUMMARY_H

#include "analysis/ValueRange.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace llvm {
namespace json {
class Value;
}
} // namespace llvm

namespace forkhazard {

/// A place in a source file, as a user reads it: absolute path, line, column (from 1).
struct SourcePosition {
  std::string File;
  unsigned Line = 0, Column = 0;
  bool valid() const { return Line != 0; }
  /// "file:line:column", with File below Root (when it is) relative to it.
  std::string text(llvm::StringRef Root = "") const;
  bool operator==(const SourcePosition &Other) const {
    return File == Other.File && Line == Other.Line && Column == Other.Column;
  }
};

/// One basic block of a function, reduced to what decides whether the function ends the
/// process: whether the block ends it by itself, the calls of other functions that would end it
/// if they end the process (in order, before any ending call), and the blocks that follow.
struct EndingBlock {
  bool Ends = false;
  bool RunsExitHooks = false; // the ending call is exit() or ends through it
  std::vector<std::string> Callees;
  std::vector<unsigned> Successors;
};

/// Walks an end graph from its entry (block 0) through the blocks for which GoesOn is true;
/// whether the walk reaches the exit (block 1).
bool reachesExit(const std::vector<EndingBlock> &Graph,
                 llvm::function_ref<bool(const EndingBlock &)> GoesOn);

/// How a function ends the process on every path (or that it may return).
enum class Ending { Returns, Exits, EndsImmediately };

/// What a function does, as callers in other TUs need it: in a TU's summary what that TU alone
/// knows; in the program's facts (analysis/ProgramFacts.h) the merged answer of its definitions,
/// resolved through the functions it calls (Waits, AnyChildWait: it or a function it calls).
struct ProgramFunction {
  std::string Key;  // analysis/ProgramKeys.h: the same in every TU that names the function
  std::string Name; // as written, for messages
  SourcePosition Where;

  /// How it ends the process on every path, and the call that ends it (exit() itself, when
  /// it runs the hooks).
  Ending End = Ending::Returns;
  SourcePosition EndingCall;
  std::string EndingCallee;

  /// A wait of any kind, and the first wait for any child (wait(), waitpid(-1)).
  bool Waits = false;
  SourcePosition AnyChildWait;

  /// C++: an exception may leave it (of ThrownType, "" when unknown), thrown at ThrowPoint.
  bool MayThrow = false;
  std::string ThrownType;
  SourcePosition ThrowPoint;

  /// Fork wrapper: returns fork's result in both processes; whether it may return when its
  /// fork fails.
  bool ForkWrapper = false;
  bool WrapperMayReturnFailure = true;

  /// It forks and returns the child's pid without reaping it (analysis/ParentReaping.h): its
  /// callers must reap the child; ChildCreation is the fork.
  bool HandsChildToCaller = false;
  SourcePosition ChildCreation;

  /// It forks and tells its caller which process it is in by what it returns, like openssh's
  /// privsep_preauth (analysis/RoleTellingCalls.h). In the program's facts: the first call in
  /// another TU that throws that value away (its caller's name), which makes the child's return
  /// an escape.
  std::optional<RoleTellingValues> ProcessValues;
  SourcePosition ResultDiscarded;
  std::string ResultDiscardedBy;

  /// The integer parameters (from 0) it only tests, prints or signals: a pid passed there is
  /// neither kept nor reaped (missing-wait: the caller still has to reap that child).
  std::vector<unsigned> ParametersOnlyUsed;

  /// A child that calls it (before exec) reaches an operation that is not async-signal-safe
  /// (analysis/SignalSafety.h): what ("call", "new", ...), its name ('malloc'), the lock it may
  /// wait for, where, and the function of the program that performs it when another does.
  struct UnsafeOperationFacts {
    std::string Kind, Name, Resource, Via;
    SourcePosition At;
  };
  std::optional<UnsafeOperationFacts> Unsafe;
};

/// One function in its TU's summary: its facts as the TU alone sees them, and what the merge
/// needs to resolve them across TUs.
struct FunctionSummary : ProgramFunction {
  bool Static = false; // internal linkage: only its own TU can call it
  /// When it may return but might end through functions of other TUs: block 0 the entry,
  /// block 1 the exit.
  std::vector<EndingBlock> EndGraph;
  /// The functions it calls that are defined outside system headers (here or in other TUs),
  /// for the transitive answers.
  std::vector<std::string> Callees;
  /// Which process it may run in: an entry point (main, a multi-call binary's applet_main),
  /// and the functions whose address it takes (callbacks it installs), besides its callees.
  bool Entry = false;
  std::vector<std::string> References;
  /// When it is async-signal-safe by itself: the functions of other TUs a child running it may
  /// call before it execs or ends (their facts decide whether it is safe).
  std::vector<std::string> ChildCallees;
  /// C++: the functions of other TUs it calls outside any try block: an exception that leaves
  /// one of them leaves it too.
  std::vector<std::string> ThrowsThrough;
};

/// Something in the TU that may reap every child of the process, whatever the parent does.
struct ReaperCandidate {
  enum Kind {
    Reaps,   // SIGCHLD set to SIG_IGN, SA_NOCLDWAIT, an action the TU cannot see
    Handler, // a SIGCHLD handler: reaps if it waits (or is defined nowhere in the program)
    Thread,  // a thread's function: reaps if it waits for any child
  } What = Reaps;
  SourcePosition Where;
  std::string FunctionKey; // Handler, Thread
  std::string Owner;       // the function that installs or starts it
};

/// A call of a function defined in another TU whose (integer) result the caller throws away.
struct DiscardedResult {
  std::string FunctionKey;
  SourcePosition Where;
  std::string Caller; // the calling function's name
};

/// A signal setting of the TU's program setup that survives exec (signal-state-leak): a signal
/// set to be ignored or signals blocked (analysis/SignalState.h: inProgramSetup), or a call
/// outside a fork's aftermath that may undo one (a reset in this TU leaves the state at another
/// TU's fork unknown).
struct SignalSetting {
  enum Kind { Ignores, Blocks, ResetsDisposition, RestoresMask } What = Ignores;
  int64_t Signal = 0;     // Ignores, ResetsDisposition
  std::string SignalName; // as written ("SIGPIPE")
  SourcePosition Where;
  std::string Owner; // the function that makes it
  bool onMask() const { return What == Blocks || What == RestoresMask; }
  bool undo() const { return What == ResetsDisposition || What == RestoresMask; }
  /// Whether it is about the mask (Mask), or about Signal's disposition.
  bool isOf(bool Mask, int64_t OfSignal) const {
    return onMask() == Mask && (Mask || Signal == OfSignal);
  }
};

/// A descriptor the TU keeps open for the program (fd-leak-into-exec): opened without
/// close-on-exec into a variable other TUs can name (`int log_fd`, set by log_open()), by a
/// function that opens it outside a fork's aftermath and neither closes it nor makes it
/// close-on-exec (analysis/Descriptors.h: FileCreation::HeldByProgram).
struct OpenDescriptor {
  std::string Variable; // its name, which other TUs declare it by
  std::string Name;     // as written
  std::string Creator;  // "open", "socket", "fopen"
  std::string Flag;     // what asks for close-on-exec: "O_CLOEXEC", "e"
  SourcePosition Where;
  std::string Owner; // the function that opens it
};

struct TranslationUnitSummary {
  static constexpr unsigned Version = 3;
  std::string File; // the main file, absolute
  std::vector<FunctionSummary> Functions;
  SourcePosition ThreadCreation; // the first place the TU starts a thread
  std::string ThreadCreator;     // pthread_create, std::thread, ...
  std::string ThreadCreationOwner; // the function that starts it
  std::vector<ReaperCandidate> Reapers;
  std::vector<DiscardedResult> DiscardedResults; // the first per function
  std::vector<SignalSetting> SignalSettings;
  std::vector<OpenDescriptor> OpenDescriptors;
};

llvm::json::Value toJson(const TranslationUnitSummary &Summary);
/// Reads what toJson wrote; an error names what is wrong (another version, a missing field).
llvm::Expected<TranslationUnitSummary> summaryFromJson(const llvm::json::Value &Value);

} // namespace forkhazard

#endif
