#include "plugin/SignalSafety.h"

#include "plugin/Compat.h"
#include "plugin/LibcFunctions.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace forkhazard {

static const llvm::StringSet<> &safeFunctions() {
  static const llvm::StringSet<> Names = {
#define ASYNC_SIGNAL_SAFE(Name) #Name,
#include "rules/async-signal-safe.def"
  };
  return Names;
}

bool isAsyncSignalSafe(llvm::StringRef LibraryFunction) {
  return safeFunctions().count(LibraryFunction) != 0;
}

unsigned asyncSignalSafeCount() { return safeFunctions().size(); }

/// The lock a child may find held, in words, by what the function does.
static std::string resourceOf(llvm::StringRef Name) {
  if (Name == "malloc" || Name == "calloc" || Name == "realloc" || Name == "free" ||
      Name == "new" || Name == "delete" || Name == "throw" || Name == "strdup" ||
      Name == "posix_memalign" || Name == "aligned_alloc" || Name == "reallocarray")
    return "the allocator's lock";
  if (Name.contains("printf") || Name.contains("scanf") || compat::startsWith(Name, "fput") ||
      compat::startsWith(Name, "fget") || Name == "puts" || Name == "putchar" || Name == "perror" ||
      Name == "fopen" || Name == "fclose" || Name == "fflush" || Name == "fwrite" ||
      Name == "fread" || Name == "getc" || Name == "putc" || Name == "operator<<")
    return "a stdio lock";
  if (Name == "syslog" || Name == "openlog" || Name == "closelog" || Name == "vsyslog")
    return "syslog's lock";
  if (Name == "getenv" || Name == "setenv" || Name == "unsetenv" || Name == "putenv")
    return "the environment's lock";
  if (compat::startsWith(Name, "pthread_mutex") || compat::startsWith(Name, "pthread_rwlock") ||
      compat::startsWith(Name, "pthread_cond") || compat::startsWith(Name, "mtx_"))
    return "this lock";
  if (compat::startsWith(Name, "dl"))
    return "the dynamic loader's lock";
  return "a lock it takes";
}

bool SignalSafety::inSystemHeader(const Decl *D) const {
  const SourceManager &SM = Ctx.getSourceManager();
  return D && SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation()));
}

SignalSafety::Verdict SignalSafety::classifyDirect(const Stmt *S, UnsafeOperation &Operation,
                                                   const FunctionDecl *&LocalCallee) {
  LocalCallee = nullptr;
  auto Unsafe = [&](std::string Name) {
    Operation = {S, Name, resourceOf(Name)};
    return Verdict::Unsafe;
  };
  if (isa<CXXNewExpr>(S))
    return Unsafe("new");
  if (isa<CXXDeleteExpr>(S))
    return Unsafe("delete");
  if (isa<CXXThrowExpr>(S))
    return Unsafe("throw");
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S)) {
    const CXXConstructorDecl *Constructor = Construct->getConstructor();
    if (!Constructor || Constructor->isTrivial())
      return Verdict::Safe;
    const FunctionDecl *Definition = nullptr;
    if (Constructor->hasBody(Definition) && !inSystemHeader(Definition)) {
      LocalCallee = Definition;
      return Verdict::Safe; // the caller summarizes its body
    }
    // Named as written ("std::string", not "std::basic_string<char>"); constructing one of the
    // library's types allocates.
    std::string Type = Construct->getType().getUnqualifiedType().getAsString(
        PrintingPolicy(Ctx.getLangOpts()));
    if (inSystemHeader(Constructor)) {
      Operation = {S, Type, "the allocator's lock"};
      return Verdict::Unsafe;
    }
    return UnknownCallsUnsafe ? Unsafe(Type) : Verdict::Unknown;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return Verdict::Safe;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return UnknownCallsUnsafe ? Unsafe("a function through a pointer") : Verdict::Unknown;
  if (unsigned Builtin = Callee->getBuiltinID())
    if (!Ctx.BuiltinInfo.isLibFunction(Builtin) && !Ctx.BuiltinInfo.isPredefinedLibFunction(Builtin))
      return Verdict::Safe; // __builtin_expect and friends are not calls
  LibcKind Kind = classifyLibcFunction(Callee);
  if (Kind == LibcKind::Exec || Kind == LibcKind::ExitImmediate)
    return Verdict::Safe; // the exec the child is for, or its end (execvp: see the docs)
  const FunctionDecl *Definition = nullptr;
  if (Callee->hasBody(Definition) && !inSystemHeader(Definition)) {
    LocalCallee = Definition;
    return Verdict::Safe;
  }
  llvm::StringRef Name = libcName(Callee);
  if (inSystemHeader(Callee) || (Callee->getBuiltinID() && !Name.empty())) {
    if (!Name.empty() && isAsyncSignalSafe(Name))
      return Verdict::Safe;
    if (!Name.empty())
      return Unsafe(Name.str());
    if (const auto *Operator = dyn_cast<CXXOperatorCallExpr>(Call))
      if (Operator->getOperator() == OO_LessLess)
        return Unsafe("operator<<");
    return Unsafe(Callee->getQualifiedNameAsString());
  }
  return UnknownCallsUnsafe ? Unsafe(Callee->getNameAsString()) : Verdict::Unknown;
}

SignalSafety::Verdict SignalSafety::classify(const Stmt *S, UnsafeOperation &Operation,
                                             std::vector<const CallExpr *> &Chain) {
  const FunctionDecl *LocalCallee = nullptr;
  Verdict Direct = classifyDirect(S, Operation, LocalCallee);
  if (!LocalCallee)
    return Direct;
  const Summary &Callee = summaryOf(LocalCallee);
  if (!Callee.Unsafe)
    return Verdict::Safe;
  Operation = Callee.Operation;
  Chain = Callee.Chain;
  return Verdict::ThroughHelper;
}

SignalSafety::Verdict SignalSafety::classifyDestruction(const VarDecl *Object,
                                                        UnsafeOperation &Operation,
                                                        std::vector<const CallExpr *> &Chain) {
  const CXXRecordDecl *Record = Object->getType()->getAsCXXRecordDecl();
  const CXXDestructorDecl *Destructor = Record ? Record->getDestructor() : nullptr;
  if (!Destructor || Destructor->isTrivial())
    return Verdict::Safe;
  std::string Type =
      Object->getType().getUnqualifiedType().getAsString(PrintingPolicy(Ctx.getLangOpts()));
  const FunctionDecl *Definition = nullptr;
  if (Destructor->hasBody(Definition) && !inSystemHeader(Definition)) {
    const Summary &Body = summaryOf(Definition);
    if (!Body.Unsafe)
      return Verdict::Safe;
    Operation = Body.Operation;
    Chain = Body.Chain;
    return Verdict::ThroughHelper;
  }
  if (inSystemHeader(Destructor)) {
    Operation = {nullptr, Type, "the allocator's lock"};
    return Verdict::Unsafe;
  }
  return UnknownCallsUnsafe ? (Operation = {nullptr, Type, "a lock it takes"}, Verdict::Unsafe)
                            : Verdict::Unknown;
}

/// Visits every statement of a body (not nested lambdas or blocks: they run when called).
template <typename Fn> static bool forEachStatement(const Stmt *S, Fn &&Visit) {
  if (!S)
    return false;
  if (Visit(S))
    return true;
  if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
    return false;
  for (const Stmt *Child : S->children())
    if (forEachStatement(Child, Visit))
      return true;
  return false;
}

const SignalSafety::Summary &SignalSafety::summaryOf(const FunctionDecl *Definition) {
  Summary &Entry = Summaries[Definition];
  if (Entry.Status != Summary::NotYet)
    return Entry; // done, or recursion: assume safe while in progress
  static const Summary TooDeep;
  if (Depth >= MaxDepth)
    return TooDeep;
  Entry.Status = Summary::InProgress;
  ++Depth;
  Summary Result;
  forEachStatement(Definition->getBody(), [&](const Stmt *S) {
    UnsafeOperation Operation;
    std::vector<const CallExpr *> Chain;
    Verdict V = classify(S, Operation, Chain);
    if (V != Verdict::Unsafe && V != Verdict::ThroughHelper)
      return false;
    Result.Unsafe = true;
    Result.Operation = Operation;
    if (V == Verdict::ThroughHelper)
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        Result.Chain.push_back(Call);
        Result.Chain.insert(Result.Chain.end(), Chain.begin(), Chain.end());
      }
    return true; // the first unsafe operation is enough to explain the helper
  });
  --Depth;
  Result.Status = Summary::Done;
  Summaries[Definition] = std::move(Result); // re-find: recursion may have grown the map
  return Summaries[Definition];
}

} // namespace forkhazard
