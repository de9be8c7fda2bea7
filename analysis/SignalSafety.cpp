#include "analysis/SignalSafety.h"

#include "analysis/Compat.h"
#include "analysis/LibcFunctions.h"
#include "analysis/ProgramSummary.h"
#include "analysis/Recognizers.h"
#include "analysis/SourceText.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/TargetInfo.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <deque>

using namespace clang;

namespace forkhazard {

namespace {
/// analysis/async-signal-safe.def, loaded once.
struct SafetyTables {
  llvm::StringSet<> Posix, Extensions, CxxFunctions, CxxClasses, CxxAllocatingClasses;
  llvm::StringMap<std::string> GlibcDeviations; // name -> the lock glibc's version takes
};
} // namespace

static const SafetyTables &tables() {
  static const SafetyTables Tables = [] {
    SafetyTables T;
#define ASYNC_SIGNAL_SAFE(Name) T.Posix.insert(#Name);
#define ASYNC_SIGNAL_SAFE_EXTENSION(Name) T.Extensions.insert(#Name);
#define CXX_LIBRARY_SAFE_FUNCTION(Name) T.CxxFunctions.insert(#Name);
#define CXX_LIBRARY_SAFE_CLASS(Name) T.CxxClasses.insert(#Name);
#define CXX_LIBRARY_ALLOCATING_CLASS(Name) T.CxxAllocatingClasses.insert(#Name);
#define ASYNC_SIGNAL_SAFE_GLIBC_DEVIATION(Name, Lock) T.GlibcDeviations[#Name] = Lock;
#include "analysis/async-signal-safe.def"
    T.CxxFunctions.insert("operator<=>");
    return T;
  }();
  return Tables;
}

bool isAsyncSignalSafe(llvm::StringRef LibraryFunction, bool GlibcTarget) {
  if (GlibcTarget && tables().GlibcDeviations.count(LibraryFunction))
    return false;
  return tables().Posix.count(LibraryFunction) || tables().Extensions.count(LibraryFunction);
}

bool targetsGlibc(const ASTContext &Ctx) {
  const llvm::Triple &Target = Ctx.getTargetInfo().getTriple();
  if (Target.isMusl() || Target.isAndroid())
    return false; // another C library, whichever headers the compile happened to find
  if (Target.isGNUEnvironment())
    return true;
  // x86_64-unknown-linux names no environment: glibc's own headers tell.
  auto Glibc = Ctx.Idents.find("__GLIBC__");
  return Target.isOSLinux() && Glibc != Ctx.Idents.end() &&
         Glibc->getValue()->hasMacroDefinition();
}

unsigned asyncSignalSafeCount() { return tables().Posix.size(); }

/// The lock a child may find held, in words, by what the function does.
static std::string resourceOf(llvm::StringRef Name) {
  auto Deviation = tables().GlibcDeviations.find(Name); // reported only where the target is glibc
  if (Deviation != tables().GlibcDeviations.end())
    return Deviation->second;
  static const llvm::StringRef Allocating[] = {
      "malloc",    "calloc",       "realloc",    "free",      "strdup",     "strndup",
      "posix_memalign", "aligned_alloc", "reallocarray", "push_back", "emplace_back",
      "emplace",   "insert",       "append",     "reserve",   "resize",     "assign",
      "to_string", "substr",       "getline",    "operator+", "operator+=", "operator=",
      "operator[]", // std::map's inserts
  };
  if (llvm::is_contained(Allocating, Name))
    return "the allocator's lock";
  if (Name.contains("printf") && (compat::startsWith(Name, "s") || compat::startsWith(Name, "vs")))
    return "the allocator's lock"; // formatting into a buffer: no stream, but it may allocate
  if (Name == "exit")
    return "a stdio lock"; // it flushes every stream
  if (Name.contains("printf") || Name.contains("scanf") || compat::startsWith(Name, "fput") ||
      compat::startsWith(Name, "fget") || Name == "puts" || Name == "putchar" ||
      Name == "perror" || Name == "fopen" || Name == "fclose" || Name == "fflush" ||
      Name == "fwrite" || Name == "fread" || Name == "getc" || Name == "putc" ||
      Name == "operator<<" || Name == "operator>>")
    return "a stdio lock";
  if (Name == "syslog" || Name == "openlog" || Name == "closelog" || Name == "vsyslog")
    return "syslog's lock";
  if (Name == "getenv" || Name == "setenv" || Name == "unsetenv" || Name == "putenv")
    return "the environment's lock";
  if (Name.contains("mutex") || Name.contains("rwlock") ||
      compat::startsWith(Name, "pthread_cond") || compat::startsWith(Name, "mtx_") ||
      Name == "lock" || Name == "try_lock" || Name == "lock_shared" || Name == "wait" ||
      Name == "call_once" || Name == "pthread_once")
    return "this lock";
  if (compat::startsWith(Name, "dl"))
    return "the dynamic loader's lock";
  if (Name == "fork")
    return "a lock that fork's pthread_atfork handlers take";
  return "a lock it takes";
}

/// What constructing or destroying a library type waits for: locks for lock types, else memory.
static std::string resourceOfType(llvm::StringRef Type) {
  if (Type.contains("lock") || Type.contains("mutex"))
    return "this lock";
  return "the allocator's lock";
}

/// Names the C library reserves for itself (__errno_location, __assert_fail, __fdelt_chk).
static bool isReservedName(llvm::StringRef Name) {
  return compat::startsWith(Name, "__") ||
         (Name.size() > 1 && Name[0] == '_' && Name[1] >= 'A' && Name[1] <= 'Z');
}

/// The function a _FORTIFY_SOURCE checking variant stands for: "__printf_chk" and
/// "__builtin___sprintf_chk" are printf and sprintf (glibc's macros call them in C); "" if Name
/// is not such a variant.
static llvm::StringRef fortifiedFunction(llvm::StringRef Name) {
  if (!compat::endsWith(Name, "_chk"))
    return {};
  for (llvm::StringRef Prefix : {"__builtin___", "__"})
    if (compat::startsWith(Name, Prefix) && Name.size() > Prefix.size() + 4)
      return Name.drop_front(Prefix.size()).drop_back(4);
  return {};
}

/// Whether FD is declared not to throw. Unresolved specifications count as "may throw".
static bool declaredNoexcept(const FunctionDecl *FD) {
  const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
  if (!Proto)
    return false;
  ExceptionSpecificationType Spec = Proto->getExceptionSpecType();
  if (isUnresolvedExceptionSpec(Spec) || Spec == EST_Uninstantiated)
    return false;
  return Proto->isNothrow();
}

bool SignalSafety::inSystemHeader(const Decl *D) const {
  return D && declaredInSystemHeader(D, Ctx.getSourceManager());
}

const FunctionDecl *SignalSafety::localDefinition(const FunctionDecl *FD) const {
  const FunctionDecl *Definition = nullptr;
  if (FD && FD->hasBody(Definition) && Definition && !inSystemHeader(Definition) &&
      !Definition->isDependentContext() && !Definition->isInvalidDecl())
    return Definition;
  return nullptr;
}

std::string SignalSafety::typeName(QualType Type) const {
  return Type.getUnqualifiedType().getAsString(PrintingPolicy(Ctx.getLangOpts()));
}

static SignalSafety::Verdict unsafe(UnsafeOperation::Kind What, const Stmt *Where,
                                    std::string Name, std::string Resource) {
  SignalSafety::Verdict V;
  V.Unsafe = true;
  V.Operation = {What, Where, std::move(Name), std::move(Resource)};
  return V;
}

SignalSafety::Verdict SignalSafety::classify(const Stmt *S) { return classifyIn(S, nullptr); }

SignalSafety::Verdict SignalSafety::classifyDestruction(const VarDecl *Object,
                                                        const Stmt *Trigger) {
  return classifyTypeDestruction(Object->getType(), Trigger, nullptr);
}

SignalSafety::Verdict SignalSafety::classifyIn(const Stmt *S, const FunctionDecl *Caller) {
  if (const auto *New = dyn_cast<CXXNewExpr>(S)) {
    const FunctionDecl *Allocator = New->getOperatorNew();
    if (Allocator && Allocator->isReservedGlobalPlacementOperator())
      return {}; // placement new constructs in memory the child already has
    return unsafe(UnsafeOperation::New, S, "new", "the allocator's lock");
  }
  if (isa<CXXDeleteExpr>(S))
    return unsafe(UnsafeOperation::Delete, S, "delete", "the allocator's lock");
  if (isa<CXXThrowExpr>(S))
    return unsafe(UnsafeOperation::Throw, S, "throw", "the allocator's lock");
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(S))
    return classifyConstruction(Construct, Caller);
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return classifyCall(Call, Caller);
  return {};
}

SignalSafety::Verdict SignalSafety::classifyCall(const CallExpr *Call, const FunctionDecl *Caller) {
  if (const FunctionDecl *Callee = Call->getDirectCallee())
    return classifyCallTo(Call, Callee, Caller);
  // Only in the forking function: a helper's locals would need one more link in the chain.
  if (!Caller)
    if (std::optional<KnownCallee> Known = Pointers.of(Call)) {
      Verdict V = classifyCallTo(Call, Known->Callee, Caller);
      V.Through = Known;
      return V;
    }
  return classifyUnknownPointerCall(Call);
}

SignalSafety::Verdict SignalSafety::classifyUnknownPointerCall(const CallExpr *Call) {
  const Expr *Target = Call->getCallee()->IgnoreParens();
  if (!UnknownCallsUnsafe || Call->isTypeDependent() || isa<CXXPseudoDestructorExpr>(Target))
    return {};
  std::string Pointer = sourceText(Ctx, Call->getCallee()->IgnoreParenImpCasts()->getSourceRange());
  Verdict V = unsafe(UnsafeOperation::UnknownCall, Call,
                     Pointer.empty() ? "a function pointer" : Pointer, "a lock it takes");
  V.Operation.ThroughPointer = true;
  return V;
}

/// Callee: the function Call calls, directly or through a local pointer that can only hold it.
SignalSafety::Verdict SignalSafety::classifyCallTo(const CallExpr *Call, const FunctionDecl *Callee,
                                                   const FunctionDecl *Caller) {
  if (Callee->getIdentifier() && (inSystemHeader(Callee) || Callee->getBuiltinID())) {
    llvm::StringRef Checked = fortifiedFunction(Callee->getName());
    if (!Checked.empty()) {
      if (Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Ctx.Idents.get(Checked))).empty())
        return {}; // the checking helper of a macro (__fdelt_chk for FD_SET), not a function
      if (isAsyncSignalSafe(Checked, Glibc))
        return {};
      return unsafe(UnsafeOperation::Call, Call, Checked.str(), resourceOf(Checked));
    }
  }
  if (unsigned Builtin = Callee->getBuiltinID())
    if (!Ctx.BuiltinInfo.isLibFunction(Builtin) &&
        !Ctx.BuiltinInfo.isPredefinedLibFunction(Builtin))
      return {}; // __builtin_expect and friends are not calls
  if (Callee->isTrivial())
    return {}; // a trivial copy or move: no code runs
  const SourceManager &SM = Ctx.getSourceManager();
  if (Callee->getIdentifier() && isReservedName(Callee->getName()) &&
      SM.isInSystemMacro(Call->getBeginLoc()))
    return {}; // errno, assert, FD_SET, htons: the C library's own macros and their helpers
  switch (classifyLibcFunction(Callee)) {
  case LibcKind::Exec:          // the exec the child is for (execvp too: see the docs)
  case LibcKind::ExitImmediate: // the child's end
    return {};
  case LibcKind::ExitRunsHooks:
    if (ExitReportedElsewhere)
      return {};
    break;
  default:
    break;
  }
  if (const FunctionDecl *Definition = localDefinition(Callee))
    return throughHelper(Call, Caller, Definition);
  const bool IsLibraryBuiltin = Callee->getBuiltinID() != 0;
  if (!inSystemHeader(Callee) && !IsLibraryBuiltin) {
    if (const ProgramFunction *Facts = Program ? Program->programFunction(Callee) : nullptr)
      return Facts->Unsafe ? elsewhereVerdict(Call, Caller, Callee, *Facts) : Verdict();
    reachesElsewhere(Caller, Callee);
    if (!UnknownCallsUnsafe)
      return {};
    return unsafe(UnsafeOperation::UnknownCall, Call, Callee->getQualifiedNameAsString(),
                  "a lock it takes");
  }
  // A C library function: the POSIX table decides.
  if (!Ctx.getLangOpts().CPlusPlus || Callee->isExternC() || Callee->isInExternCContext()) {
    if (!Callee->getIdentifier())
      return {};
    llvm::StringRef Name = Callee->getName();
    if (isAsyncSignalSafe(Name, Glibc))
      return {};
    return unsafe(UnsafeOperation::Call, Call, Name.str(), resourceOf(Name));
  }
  // A C++ library function: safe only if the list says it neither allocates nor locks.
  const SafetyTables &Tables = tables();
  std::string Name = Callee->getNameAsString();
  llvm::StringRef Class;
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee))
    if (Method->getParent()->getIdentifier())
      Class = Method->getParent()->getName();
  if (!Class.empty() && Tables.CxxClasses.count(Class))
    return {};
  bool ClassAllocates = !Class.empty() && Tables.CxxAllocatingClasses.count(Class);
  if (Tables.CxxFunctions.count(Name) && !ClassAllocates)
    return {};
  if (!libcName(Callee).empty() && isAsyncSignalSafe(libcName(Callee), Glibc))
    return {}; // std::strlen and the like
  std::string Shown = Callee->isOverloadedOperator() ? Name : Callee->getQualifiedNameAsString();
  return unsafe(UnsafeOperation::Call, Call, Shown, resourceOf(Name));
}

SignalSafety::Verdict SignalSafety::classifyConstruction(const CXXConstructExpr *Construct,
                                                         const FunctionDecl *Caller) {
  const CXXConstructorDecl *Constructor = Construct->getConstructor();
  if (!Constructor || Constructor->isTrivial())
    return {};
  if (const FunctionDecl *Definition = localDefinition(Constructor))
    return throughHelper(Construct, Caller, Definition);
  const CXXRecordDecl *Record = Constructor->getParent();
  if (!inSystemHeader(Constructor))
    return UnknownCallsUnsafe ? unsafe(UnsafeOperation::UnknownCall, Construct,
                                       Constructor->getQualifiedNameAsString(), "a lock it takes")
                              : Verdict();
  // A library type that owns nothing (trivial destructor: string_view, atomic, pair of ints),
  // or whose constructor cannot fail (so it does not allocate: default, move, unique_ptr(p)).
  if (!Record->hasDefinition() || Record->hasTrivialDestructor() || declaredNoexcept(Constructor))
    return {};
  if (Record->getIdentifier() && tables().CxxClasses.count(Record->getName()))
    return {};
  std::string Type = typeName(Construct->getType());
  std::string Resource = resourceOfType(Type);
  return unsafe(UnsafeOperation::Construction, Construct, std::move(Type), std::move(Resource));
}

SignalSafety::Verdict SignalSafety::classifyTypeDestruction(QualType Type, const Stmt *Where,
                                                            const FunctionDecl *Caller) {
  QualType Object = Ctx.getBaseElementType(Type.getNonReferenceType());
  const CXXRecordDecl *Record = Object->getAsCXXRecordDecl();
  if (!Record || !Record->hasDefinition())
    return {};
  const CXXDestructorDecl *Destructor = Record->getDestructor();
  if (!Destructor || Destructor->isTrivial())
    return {};
  if (const FunctionDecl *Definition = localDefinition(Destructor))
    return throughHelper(Where, Caller, Definition);
  if (!inSystemHeader(Destructor))
    return UnknownCallsUnsafe ? unsafe(UnsafeOperation::UnknownCall, Where,
                                       Destructor->getQualifiedNameAsString(), "a lock it takes")
                              : Verdict();
  if (Record->getIdentifier() && tables().CxxClasses.count(Record->getName()))
    return {};
  std::string Name = typeName(Object);
  std::string Resource = resourceOfType(Name);
  return unsafe(UnsafeOperation::Destruction, Where, std::move(Name), std::move(Resource));
}

/// The kinds of operation by their names in the program's facts (any other is "call").
static const std::pair<UnsafeOperation::Kind, const char *> UnsafeKindNames[] = {
    {UnsafeOperation::New, "new"},
    {UnsafeOperation::Delete, "delete"},
    {UnsafeOperation::Throw, "throw"},
    {UnsafeOperation::Construction, "construction"},
    {UnsafeOperation::Destruction, "destruction"}};

SignalSafety::Verdict SignalSafety::throughHelper(const Stmt *At, const FunctionDecl *Caller,
                                                  const FunctionDecl *Callee) {
  const Summary &Helper = summaryOf(Callee);
  Verdict Result = Helper.Result; // copies: the map may grow
  std::vector<const FunctionDecl *> Reached = Helper.Elsewhere;
  for (const FunctionDecl *Other : Reached)
    reachesElsewhere(Caller, Other);
  if (Result.Unsafe)
    Result.Chain.insert(Result.Chain.begin(), HelperCall{At, Caller, Callee});
  return Result;
}

void SignalSafety::reachesElsewhere(const FunctionDecl *Caller, const FunctionDecl *Callee) {
  if (!Caller)
    return; // the forking function: only helpers are summarized
  auto Found = Summaries.find(Caller);
  if (Found != Summaries.end() && !llvm::is_contained(Found->second.Elsewhere, Callee))
    Found->second.Elsewhere.push_back(Callee);
}

/// A function of another TU that the program's facts say reaches an unsafe operation: the
/// chain ends with the call of it.
SignalSafety::Verdict SignalSafety::elsewhereVerdict(const CallExpr *Call,
                                                     const FunctionDecl *Caller,
                                                     const FunctionDecl *Callee,
                                                     const ProgramFunction &Facts) {
  UnsafeOperation::Kind What = UnsafeOperation::Call;
  for (const auto &Kind : UnsafeKindNames)
    if (Facts.Unsafe->Kind == Kind.second)
      What = Kind.first;
  Verdict V = unsafe(What, nullptr, Facts.Unsafe->Name, Facts.Unsafe->Resource);
  V.Chain.push_back(HelperCall{Call, Caller, Callee});
  V.Elsewhere = &Facts;
  return V;
}

const SignalSafety::Verdict &
SignalSafety::judgeHelper(const FunctionDecl *Definition,
                          std::vector<const FunctionDecl *> &Elsewhere) {
  const Summary &Helper = summaryOf(Definition);
  Elsewhere = Helper.Elsewhere;
  return Helper.Result;
}

const char *unsafeKindName(UnsafeOperation::Kind What) {
  for (const auto &Kind : UnsafeKindNames)
    if (Kind.first == What)
      return Kind.second;
  return "call";
}

const SignalSafety::Summary &SignalSafety::summaryOf(const FunctionDecl *Definition) {
  static const Summary AssumedSafe;
  auto Found = Summaries.find(Definition);
  if (Found != Summaries.end())
    return Found->second; // done, or in progress (recursion): safe until proven otherwise
  if (Depth.exhausted())
    return AssumedSafe;
  Summaries[Definition].Status = Summary::InProgress;
  Verdict Result = [&] {
    RecursionBudget::Level Deeper(Depth);
    return summarize(Definition);
  }();
  Summary &Entry = Summaries[Definition]; // re-find: recursion may have grown the map
  Entry.Status = Summary::Done;
  Entry.Result = std::move(Result);
  return Entry;
}

/// Walks the helper's CFG from its entry the way a child would run it: a path stops at a call
/// that execs or ends the process (what follows a failed exec is not checked, as in the forking
/// function itself) and at noreturn calls. The first unsafe operation found explains the helper.
SignalSafety::Verdict SignalSafety::summarize(const FunctionDecl *Definition) {
  std::unique_ptr<CFG> Cfg = buildAnalysisCFG(Definition, Ctx);
  if (!Cfg)
    return {}; // clang cannot build one: nothing to say
  std::vector<bool> Queued(Cfg->getNumBlockIDs(), false);
  std::deque<const CFGBlock *> Work{&Cfg->getEntry()};
  Queued[Cfg->getEntry().getBlockID()] = true;
  while (!Work.empty()) {
    const CFGBlock *Block = Work.front();
    Work.pop_front();
    bool PathEnds = Block->hasNoReturnElement();
    for (const CFGElement &Element : *Block) {
      Verdict V;
      if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
        if (Dtor->getVarDecl() && Dtor->getTriggerStmt())
          V = classifyTypeDestruction(Dtor->getVarDecl()->getType(), Dtor->getTriggerStmt(),
                                      Definition);
      } else if (auto Member = Element.getAs<CFGMemberDtor>()) {
        V = classifyTypeDestruction(Member->getFieldDecl()->getType(), Definition->getBody(),
                                    Definition);
      } else if (auto Base = Element.getAs<CFGBaseDtor>()) {
        V = classifyTypeDestruction(Base->getBaseSpecifier()->getType(), Definition->getBody(),
                                    Definition);
      } else if (auto Statement = Element.getAs<CFGStmt>()) {
        V = classifyIn(Statement->getStmt(), Definition);
        if (!V.Unsafe)
          if (const auto *Call = dyn_cast<CallExpr>(Statement->getStmt())) {
            CallEffect Effect = Effects.effectOf(Call);
            if (Effect.What == CallEffect::Exec || Effect.What == CallEffect::EndsProcess) {
              PathEnds = true;
              break;
            }
          }
      }
      if (V.Unsafe)
        return V;
    }
    if (PathEnds)
      continue;
    for (const CFGBlock *Succ : Block->succs())
      if (Succ && !Queued[Succ->getBlockID()]) {
        Queued[Succ->getBlockID()] = true;
        Work.push_back(Succ);
      }
  }
  return {};
}

} // namespace forkhazard
