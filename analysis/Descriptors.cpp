#include "analysis/Descriptors.h"
#include "analysis/ChildSetup.h"
#include "analysis/TranslationUnitIndex.h"

#include "analysis/LibcFunctions.h"
#include "analysis/SourceText.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace forkhazard {
namespace {

/// How a creating function asks for close-on-exec, and how the call is made to.
struct Creator {
  llvm::StringRef Name;
  int FlagArg;           // the flags argument; -1: the function has none (never close-on-exec)
  llvm::StringRef Flag;  // the flag (or, for fopen, the mode letter)
  int ArrayArg;          // the int[2] it fills; -1: it returns the descriptor
  llvm::StringRef Instead; // without a flags argument: what to call instead ("pipe2"), if any
};

const Creator Creators[] = {
    {"open", 1, "O_CLOEXEC", -1, ""},          {"open64", 1, "O_CLOEXEC", -1, ""},
    {"openat", 2, "O_CLOEXEC", -1, ""},        {"openat64", 2, "O_CLOEXEC", -1, ""},
    {"creat", -1, "O_CLOEXEC", -1, ""},        {"socket", 1, "SOCK_CLOEXEC", -1, ""},
    {"socketpair", 1, "SOCK_CLOEXEC", 3, ""},  {"accept", -1, "SOCK_CLOEXEC", -1, "accept4"},
    {"accept4", 3, "SOCK_CLOEXEC", -1, ""},    {"pipe", -1, "O_CLOEXEC", 0, "pipe2"},
    {"pipe2", 1, "O_CLOEXEC", 0, ""},          {"dup", -1, "F_DUPFD_CLOEXEC", -1, ""},
    {"fcntl", -1, "F_DUPFD_CLOEXEC", -1, ""},  {"epoll_create", -1, "EPOLL_CLOEXEC", -1, "epoll_create1"},
    {"epoll_create1", 0, "EPOLL_CLOEXEC", -1, ""}, {"eventfd", 1, "EFD_CLOEXEC", -1, ""},
    {"timerfd_create", 1, "TFD_CLOEXEC", -1, ""}, {"signalfd", 2, "SFD_CLOEXEC", -1, ""},
    {"inotify_init", -1, "IN_CLOEXEC", -1, "inotify_init1"}, {"inotify_init1", 0, "IN_CLOEXEC", -1, ""},
    {"memfd_create", 1, "MFD_CLOEXEC", -1, ""}, {"mkstemp", -1, "O_CLOEXEC", -1, "mkostemp"},
    {"mkostemp", 1, "O_CLOEXEC", -1, ""},      {"fopen", 1, "e", -1, ""},
    {"fopen64", 1, "e", -1, ""},
};

const Creator *creatorOf(llvm::StringRef Name) {
  for (const Creator &C : Creators)
    if (C.Name == Name)
      return &C;
  return nullptr;
}

/// The value of O_CLOEXEC (and SOCK_, EFD_, TFD_, SFD_, IN_, EPOLL_CLOEXEC, all equal) on the
/// Linux targets that share the generic value; none elsewhere (only the name counts there).
std::optional<int64_t> closeOnExecBit(llvm::StringRef Flag, const ASTContext &Ctx) {
  if (Flag == "MFD_CLOEXEC")
    return 1;
  const llvm::Triple &T = Ctx.getTargetInfo().getTriple();
  if (!T.isOSLinux() || T.getArch() == llvm::Triple::sparc ||
      T.getArch() == llvm::Triple::sparcv9 || T.getArch() == llvm::Triple::sparcel ||
      T.getArch() == llvm::Triple::UnknownArch)
    return std::nullopt;
  return 02000000;
}

/// Whether the flags argument asks for close-on-exec; none when that cannot be told (not a
/// constant: a `flags` parameter).
std::optional<bool> asksForCloseOnExec(const Creator &C, const CallExpr *Call, ASTContext &Ctx) {
  const Expr *Arg = Call->getArg(C.FlagArg);
  if (C.Flag == "e") {
    const auto *Mode = dyn_cast<StringLiteral>(Arg->IgnoreParenImpCasts());
    if (!Mode || Mode->getCharByteWidth() != 1)
      return std::nullopt;
    return Mode->getString().contains('e');
  }
  if (sourceText(Ctx, Arg->getSourceRange()).find("CLOEXEC") != std::string::npos)
    return true;
  std::optional<int64_t> Value = integerConstant(Arg, Ctx);
  if (!Value)
    return std::nullopt;
  std::optional<int64_t> Bit = closeOnExecBit(C.Flag, Ctx);
  return Bit && (*Value & *Bit);
}

std::optional<SourceLocation> fileLocationAfter(const Expr *E, const ASTContext &Ctx) {
  CharSourceRange Range = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), Ctx.getSourceManager(),
      Ctx.getLangOpts());
  if (Range.isInvalid())
    return std::nullopt;
  return Range.getEnd();
}

/// The fix-its that make the call ask for close-on-exec, when that is mechanical.
std::vector<FixItHint> addFlagFixIts(const Creator &C, const CallExpr *Call, ASTContext &Ctx) {
  if (Call->getBeginLoc().isMacroID() || Call->getEndLoc().isMacroID())
    return {};
  if (C.FlagArg >= 0) {
    const Expr *Arg = Call->getArg(C.FlagArg);
    if (C.Flag == "e") { // "w" -> "we"
      const auto *Mode = dyn_cast<StringLiteral>(Arg->IgnoreParenImpCasts());
      if (!Mode || Mode->getBeginLoc().isMacroID() || Mode->getNumConcatenated() != 1)
        return {};
      return {FixItHint::CreateInsertion(Mode->getEndLoc(), "e")};
    }
    auto End = fileLocationAfter(Arg, Ctx);
    if (!End)
      return {};
    return {FixItHint::CreateInsertion(*End, " | " + C.Flag.str())};
  }
  const auto *Callee = dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
  if (!Callee || Callee->getBeginLoc().isMacroID())
    return {};
  SourceRange Name(Callee->getBeginLoc(), Callee->getEndLoc());
  std::string Flag = C.Flag.str();
  if (C.Name == "dup" && Call->getNumArgs() == 1) // dup(fd) -> fcntl(fd, F_DUPFD_CLOEXEC, 0)
    return {FixItHint::CreateReplacement(Name, "fcntl"),
            FixItHint::CreateInsertion(Call->getRParenLoc(), ", F_DUPFD_CLOEXEC, 0")};
  if (C.Name == "fcntl") { // fcntl(fd, F_DUPFD, n) -> F_DUPFD_CLOEXEC
    const Expr *Command = Call->getArg(1);
    if (Command->getBeginLoc() != Command->getEndLoc() ||
        !Command->getBeginLoc().isMacroID())
      return {};
    SourceRange Spelled = Ctx.getSourceManager().getExpansionRange(Command->getBeginLoc()).getAsRange();
    return {FixItHint::CreateReplacement(Spelled, "F_DUPFD_CLOEXEC")};
  }
  if (C.Instead.empty())
    return {};
  if (C.Name == "epoll_create" || C.Name == "inotify_init") // the size argument goes
    return {FixItHint::CreateReplacement(
        CharSourceRange::getTokenRange(Callee->getBeginLoc(), Call->getRParenLoc()),
        C.Instead.str() + "(" + Flag + ")")};
  return {FixItHint::CreateReplacement(Name, C.Instead.str()),
          FixItHint::CreateInsertion(Call->getRParenLoc(), ", " + Flag)};
}

/// Finds in S the assignment or the variable Call's value goes to.
void findStore(const Stmt *S, const CallExpr *Call, const NamedDecl *&Var, const Expr *&Place) {
  if (!S || Var || Place)
    return;
  if (const auto *Assign = dyn_cast<BinaryOperator>(S))
    if (Assign->getOpcode() == BO_Assign && Assign->getRHS()->IgnoreParenCasts() == Call) {
      Place = Assign->getLHS();
      return;
    }
  if (const auto *Decls = dyn_cast<DeclStmt>(S))
    for (const Decl *D : Decls->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        if (V->getInit() && V->getInit()->IgnoreParenCasts() == Call) {
          Var = V;
          return;
        }
  for (const Stmt *Child : S->children())
    findStore(Child, Call, Var, Place);
}

/// The variable the call's result initializes, or (in Place) the expression it is assigned to
/// (`fd = open(...)`), in the body of Owner, the function that makes the call; null when it is
/// used otherwise (passed on, returned, compared). A walk of that body, not a parent map of the
/// whole TU.
const NamedDecl *storedInto(const CallExpr *Call, const FunctionDecl *Owner, const Expr *&Place) {
  const NamedDecl *Var = nullptr;
  if (Owner)
    findStore(Owner->getBody(), Call, Var, Place);
  return Var;
}

bool keysMatch(const DescriptorKey &A, const DescriptorKey &B) {
  if (A.Decl != B.Decl)
    return false;
  return A.Element == B.Element || A.Element == -2 || B.Element == -2;
}

bool argumentIs(const CallExpr *Call, unsigned Index, llvm::ArrayRef<DescriptorKey> Names) {
  if (Index >= Call->getNumArgs())
    return false;
  auto Arg = descriptorKeyOf(Call->getArg(Index));
  return Arg && llvm::any_of(Names, [&](const DescriptorKey &Key) { return keysMatch(*Arg, Key); });
}

/// Whether Arg, an argument of some call, passes one of Names: the descriptor itself, its
/// address, or the whole array it is an element of (`close_pair(fds)`).
bool passes(const Expr *Arg, llvm::ArrayRef<DescriptorKey> Names) {
  Arg = Arg->IgnoreParenImpCasts();
  if (const auto *Address = dyn_cast<UnaryOperator>(Arg))
    if (Address->getOpcode() == UO_AddrOf)
      Arg = Address->getSubExpr();
  auto ArgKey = descriptorKeyOf(Arg);
  return ArgKey && llvm::any_of(Names, [&](const DescriptorKey &Key) {
           return keysMatch(*ArgKey, Key) ||
                  (ArgKey->Element == -1 && Key.Element >= 0 && ArgKey->Decl == Key.Decl);
         });
}

/// Calls that use a descriptor without closing, duplicating or handing it over.
bool onlyUses(llvm::StringRef Name) {
  static const llvm::StringRef Uses[] = {
      "read",     "write",    "pread",     "pwrite",     "readv",     "writev",   "send",
      "recv",     "sendto",   "recvfrom",  "sendmsg",    "recvmsg",   "fstat",    "fstat64",
      "fstatfs",  "lseek",    "lseek64",   "ftruncate",  "fsync",     "fdatasync", "flock",
      "lockf",    "fchmod",   "fchown",    "setsockopt", "getsockopt", "shutdown", "isatty",
      "fileno",   "fprintf",  "fputs",     "fputc",      "fwrite",    "fflush",   "fread",
      "fgets",    "getline",  "dprintf",   "ioctl",      "fcntl",     "poll",
      "fdopen",   "bind",     "listen",    "connect",    "accept",    "accept4",
      "getsockname", "getpeername", "epoll_ctl", "epoll_wait", "mmap",  "fstatat",
      "openat",   "fchdir",   "sendfile",  "splice",     "posix_fadvise", "fallocate",
      "inotify_add_watch", "timerfd_settime", "eventfd_read", "eventfd_write",
      "tcgetattr", "tcsetattr", "ttyname", "ttyname_r",  "select",
  };
  return llvm::is_contained(Uses, Name);
}

/// A project helper, defined in another file, that closes every descriptor
/// (`close_all_fds`, `closefrom_except`, `sanitize_fds`).
bool isCloseAllHelper(const FunctionDecl *Callee, const SourceManager &SM) {
  if (!Callee || Callee->hasBody() || !Callee->getIdentifier() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation())))
    return false;
  std::string Name = Callee->getName().lower();
  if (Name.find("close") == std::string::npos && Name.find("sanitize") == std::string::npos)
    return false;
  for (const char *Word : {"all", "from", "fds", "range", "descriptors", "files"})
    if (Name.find(Word) != std::string::npos)
      return true;
  return false;
}

} // namespace

llvm::ArrayRef<llvm::StringRef> descriptorCreatingFunctions() {
  static const std::vector<llvm::StringRef> Names = [] {
    std::vector<llvm::StringRef> All;
    for (const Creator &C : Creators)
      All.push_back(C.Name);
    return All;
  }();
  return Names;
}

std::optional<DescriptorKey> descriptorKeyOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return DescriptorKey{Ref->getDecl(), -1};
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    return DescriptorKey{Member->getMemberDecl(), -1};
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E)) {
    auto Base = descriptorKeyOf(Subscript->getBase());
    if (!Base || Base->Element != -1)
      return std::nullopt;
    const Expr *Index = Subscript->getIdx()->IgnoreParenImpCasts();
    if (const auto *Literal = dyn_cast<IntegerLiteral>(Index))
      return DescriptorKey{Base->Decl, static_cast<int>(Literal->getValue().getZExtValue())};
    return DescriptorKey{Base->Decl, -2}; // some element
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (libcName(directCallee(Call)) == "fileno" && Call->getNumArgs() == 1)
      return descriptorKeyOf(Call->getArg(0));
  // `*in`, an out-parameter: keyed by the pointer, which is no descriptor itself.
  if (const auto *Deref = dyn_cast<UnaryOperator>(E))
    if (Deref->getOpcode() == UO_Deref)
      if (const auto *Ref = dyn_cast<DeclRefExpr>(Deref->getSubExpr()->IgnoreParenImpCasts()))
        return DescriptorKey{Ref->getDecl(), -1};
  return std::nullopt;
}

namespace {

/// The value an assignment chain stores: `a = b = fds[0]` stores fds[0] (into b and a).
const Expr *storedValue(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  while (const auto *Assign = dyn_cast<BinaryOperator>(E)) {
    if (Assign->getOpcode() != BO_Assign)
      break;
    E = Assign->getRHS()->IgnoreParenImpCasts();
  }
  return E;
}

void collectCopies(const Stmt *S, std::vector<std::pair<DescriptorKey, DescriptorKey>> &Into) {
  if (!S)
    return;
  auto Add = [&](const Expr *To, const Expr *From) {
    auto Target = descriptorKeyOf(To), Source = descriptorKeyOf(storedValue(From));
    if (Target && Source && Target->Element != -2)
      Into.push_back({*Target, *Source});
  };
  if (const auto *Assign = dyn_cast<BinaryOperator>(S))
    if (Assign->getOpcode() == BO_Assign)
      Add(Assign->getLHS(), Assign->getRHS());
  if (const auto *Decls = dyn_cast<DeclStmt>(S))
    for (const Decl *D : Decls->decls())
      if (const auto *Var = dyn_cast<VarDecl>(D))
        if (Var->getInit() && Var->getType()->isIntegerType()) {
          auto Source = descriptorKeyOf(storedValue(Var->getInit()));
          if (Source)
            Into.push_back({DescriptorKey{Var, -1}, *Source});
        }
  for (const Stmt *Child : S->children())
    collectCopies(Child, Into);
}

} // namespace

std::vector<DescriptorKey> namesOf(const DescriptorKey &Key, const FunctionDecl *F) {
  std::vector<DescriptorKey> Names{Key};
  if (!F || !F->getBody())
    return Names;
  std::vector<std::pair<DescriptorKey, DescriptorKey>> Copies;
  collectCopies(F->getBody(), Copies);
  for (size_t I = 0; I < Names.size() && Names.size() < 16; ++I)
    for (const auto &Copy : Copies)
      if (Copy.second == Names[I] && !llvm::is_contained(Names, Copy.first))
        Names.push_back(Copy.first);
  return Names;
}

std::optional<DescriptorCreation> creationWithoutCloseOnExec(const CallExpr *Call,
                                                             const FunctionDecl *Owner,
                                                             ASTContext &Ctx) {
  const Creator *C = creatorOf(libcName(directCallee(Call)));
  if (!C || (C->FlagArg >= 0 && Call->getNumArgs() <= static_cast<unsigned>(C->FlagArg)) ||
      (C->ArrayArg >= 0 && Call->getNumArgs() <= static_cast<unsigned>(C->ArrayArg)))
    return std::nullopt;
  if (C->Name == "fcntl") { // only fcntl(fd, F_DUPFD, n) creates one without the flag
    if (Call->getNumArgs() < 2 || sourceText(Ctx, Call->getArg(1)->getSourceRange()) != "F_DUPFD")
      return std::nullopt;
  }
  if (C->Name == "signalfd" && integerConstant(Call->getArg(0), Ctx) != -1)
    return std::nullopt; // an existing signalfd, changed
  if (C->FlagArg >= 0) {
    std::optional<bool> Asks = asksForCloseOnExec(*C, Call, Ctx);
    if (!Asks || *Asks)
      return std::nullopt;
  }
  DescriptorCreation Creation;
  Creation.Call = Call;
  Creation.Function = C->Name.str();
  Creation.Flag = C->Flag.str();
  if (C->ArrayArg >= 0) {
    const Expr *Array = Call->getArg(C->ArrayArg);
    auto Key = descriptorKeyOf(Array);
    std::string Text = sourceText(Ctx, Array->getSourceRange());
    if (!Key || Key->Element != -1 || Text.empty())
      return std::nullopt;
    for (int End : {0, 1})
      Creation.Created.push_back(
          {DescriptorKey{Key->Decl, End}, Text + "[" + std::to_string(End) + "]"});
  } else {
    auto Result = resultOf(Call, Owner, Ctx);
    if (!Result)
      return std::nullopt;
    Creation.Created.push_back(*Result);
  }
  Creation.AddFlag = addFlagFixIts(*C, Call, Ctx);
  return Creation;
}

std::optional<CreatedDescriptor> resultOf(const CallExpr *Call, const FunctionDecl *Owner,
                                          ASTContext &Ctx) {
  const Expr *Place = nullptr;
  if (const NamedDecl *Var = storedInto(Call, Owner, Place)) {
    if (Var->getLocation().isMacroID())
      return std::nullopt; // a macro's own temporary (TEMP_FAILURE_RETRY's __result)
    return CreatedDescriptor{DescriptorKey{cast<ValueDecl>(Var), -1}, Var->getName().str()};
  }
  if (!Place)
    return std::nullopt;
  auto Key = descriptorKeyOf(Place);
  std::string Text = sourceText(Ctx, Place->getSourceRange());
  if (!Key || Key->Element == -2 || Text.empty())
    return std::nullopt;
  return CreatedDescriptor{*Key, Text};
}

bool readsFrom(const CallExpr *Call, llvm::ArrayRef<DescriptorKey> Key,
               llvm::ArrayRef<DescriptorKey> Streams) {
  static const llvm::StringRef FromDescriptor[] = {"read", "recv", "readv", "recvfrom",
                                                   "recvmsg"};
  static const llvm::StringRef FromStream[] = {"fgets", "fread", "fgetc", "getc",
                                               "fscanf", "getline", "getdelim", "getc_unlocked",
                                               "fgetc_unlocked", "fgets_unlocked", "fread_unlocked"};
  llvm::StringRef Name = libcName(directCallee(Call));
  if (llvm::is_contained(FromDescriptor, Name))
    return argumentIs(Call, 0, Key);
  if (!llvm::is_contained(FromStream, Name) || Call->getNumArgs() == 0)
    return false;
  // The stream is the last argument, except for fscanf's.
  unsigned StreamArg = Name == "fscanf" ? 0 : Call->getNumArgs() - 1;
  auto Stream = descriptorKeyOf(Call->getArg(StreamArg));
  return Stream && llvm::any_of(Streams, [&](const DescriptorKey &S) { return keysMatch(S, *Stream); });
}

const Stmt *loopAround(const Stmt *S, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*S);
  for (unsigned Depth = 0; Depth < 64; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.size() != 1 || Parents[0].get<FunctionDecl>())
      return nullptr;
    if (const auto *Loop = Parents[0].get<Stmt>())
      if (isa<ForStmt>(Loop) || isa<WhileStmt>(Loop) || isa<DoStmt>(Loop))
        return Loop;
    Node = Parents[0];
  }
  return nullptr;
}

namespace {

const Expr *loopCondition(const Stmt *Loop) {
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return For->getCond();
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getCond();
  if (const auto *Do = dyn_cast<DoStmt>(Loop))
    return Do->getCond();
  return nullptr;
}

const Stmt *loopBody(const Stmt *Loop) {
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    return For->getBody();
  if (const auto *While = dyn_cast<WhileStmt>(Loop))
    return While->getBody();
  return cast<DoStmt>(Loop)->getBody();
}

bool contains(const Stmt *S, const Stmt *Part) {
  if (!S)
    return false;
  if (S == Part)
    return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) { return contains(Child, Part); });
}

/// Whether S names Var, or calls feof (a loop `while (!feof(fp))`).
bool readsResult(const Stmt *S, const VarDecl *Var) {
  if (!S)
    return false;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
    if (Var && Ref->getDecl() == Var)
      return true;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (libcName(directCallee(Call)) == "feof")
      return true;
  return llvm::any_of(S->children(), [&](const Stmt *Child) { return readsResult(Child, Var); });
}

/// The variable the result of Call is stored in: `n = read(...)`, `ssize_t n = read(...)`.
const VarDecl *resultVariable(const CallExpr *Call, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*Call);
  for (unsigned Depth = 0; Depth < 8; ++Depth) {
    auto Parents = Ctx.getParents(Node);
    if (Parents.size() != 1)
      return nullptr;
    if (const auto *Var = Parents[0].get<VarDecl>())
      return Var;
    if (const auto *Assign = Parents[0].get<BinaryOperator>()) {
      const auto *Ref = Assign->getOpcode() == BO_Assign
                            ? dyn_cast<DeclRefExpr>(Assign->getLHS()->IgnoreParenImpCasts())
                            : nullptr;
      return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    }
    const auto *E = Parents[0].get<Expr>();
    if (!E || !(isa<ImplicitCastExpr>(E) || isa<ParenExpr>(E) || isa<CStyleCastExpr>(E)))
      return nullptr;
    Node = Parents[0];
  }
  return nullptr;
}

/// Whether running S may leave the loop it is in: a return, a goto, a break of that loop, a
/// call that does not return.
bool leavesLoop(const Stmt *S, bool BreakLeaves = true) {
  if (!S)
    return false;
  if (isa<ReturnStmt>(S) || isa<GotoStmt>(S) || (BreakLeaves && isa<BreakStmt>(S)))
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = directCallee(Call))
      if (Callee->isNoReturn())
        return true;
  bool Nested = isa<SwitchStmt>(S) || isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S);
  return llvm::any_of(S->children(), [&](const Stmt *Child) {
    return leavesLoop(Child, BreakLeaves && !Nested);
  });
}

/// An `if` in S whose condition tests the read (or its result) and one of whose branches
/// leaves the loop.
bool endsOnResult(const Stmt *S, const CallExpr *Read, const VarDecl *Result) {
  if (!S)
    return false;
  if (const auto *If = dyn_cast<IfStmt>(S))
    if ((contains(If->getCond(), Read) || (Result && readsResult(If->getCond(), Result))) &&
        (leavesLoop(If->getThen()) || leavesLoop(If->getElse())))
      return true;
  return llvm::any_of(S->children(),
                      [&](const Stmt *Child) { return endsOnResult(Child, Read, Result); });
}

} // namespace

const Stmt *readLoopEndedBy(const CallExpr *Read, ASTContext &Ctx) {
  const Stmt *Loop = loopAround(Read, Ctx);
  if (!Loop)
    return nullptr;
  const Expr *Condition = loopCondition(Loop);
  const VarDecl *Result = resultVariable(Read, Ctx);
  if (contains(Condition, Read) || readsResult(Condition, Result) ||
      endsOnResult(loopBody(Loop), Read, Result))
    return Loop;
  return nullptr;
}

DescriptorUse useOf(const CallExpr *Call, llvm::ArrayRef<DescriptorKey> Key,
                    const SourceManager &SM) {
  const FunctionDecl *Callee = directCallee(Call);
  llvm::StringRef Name = libcName(Callee);
  if (Name == "closefrom" || Name == "close_range" || isCloseAllHelper(Callee, SM))
    return DescriptorUse::ClosesAll;
  if ((Name == "close" || Name == "fclose") && argumentIs(Call, 0, Key))
    return DescriptorUse::Closes;
  if (Name == "dup2" || Name == "dup3") {
    if (argumentIs(Call, 1, Key))
      return DescriptorUse::Closes; // replaced by a copy of the other
    if (argumentIs(Call, 0, Key))
      return DescriptorUse::Redirects;
  }
  if (Name == "login_tty" && argumentIs(Call, 0, Key))
    return DescriptorUse::Redirects;
  if ((Name == "fcntl" || Name == "ioctl") && argumentIs(Call, 0, Key) && Call->getNumArgs() >= 2) {
    const Expr *Command = Call->getArg(1);
    if (Command->getBeginLoc().isMacroID()) {
      llvm::StringRef Macro = Lexer::getImmediateMacroName(Command->getBeginLoc(), SM, {});
      if (Macro == "F_SETFD" || Macro == "FIOCLEX")
        return DescriptorUse::CloseOnExec;
    }
    return DescriptorUse::None;
  }
  bool Passed = llvm::any_of(Call->arguments(), [&](const Expr *Arg) { return passes(Arg, Key); });
  if (!Passed || onlyUses(Name) || creatorOf(Name))
    return DescriptorUse::None;
  return DescriptorUse::Other;
}

const CallExpr *copyOnto(llvm::ArrayRef<const CallExpr *> Calls,
                         llvm::ArrayRef<DescriptorKey> Source, int64_t Target, ASTContext &Ctx) {
  for (const CallExpr *Call : Calls) {
    llvm::StringRef Name = libcName(directCallee(Call));
    if ((Name == "dup2" || Name == "dup3") && Call->getNumArgs() >= 2 &&
        integerConstant(Call->getArg(1), Ctx) == Target) {
      auto From = descriptorKeyOf(Call->getArg(0));
      if (From && llvm::is_contained(Source, *From))
        return Call;
    }
  }
  return nullptr;
}

bool closesInLoop(const CallExpr *Call, ASTContext &Ctx) {
  return libcName(directCallee(Call)) == "close" && Call->getNumArgs() == 1 &&
         isa<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts()) && loopAround(Call, Ctx);
}

bool dealtWith(llvm::ArrayRef<const CallExpr *> Calls, llvm::ArrayRef<DescriptorKey> Names,
               const SourceManager &SM, bool RedirectCounts) {
  return llvm::any_of(Calls, [&](const CallExpr *Call) {
    DescriptorUse Use = useOf(Call, Names, SM);
    return Use == DescriptorUse::Closes || Use == DescriptorUse::CloseOnExec ||
           Use == DescriptorUse::Other || (RedirectCounts && Use == DescriptorUse::Redirects);
  });
}

/// Whether the program keeps D, created by Owner outside a fork's aftermath, open.
static bool heldByProgram(const FunctionDecl *Owner, const CreatedDescriptor &D,
                          const SourceManager &SM) {
  const auto *Var = dyn_cast_or_null<VarDecl>(D.Key.Decl);
  if (!Var || !Var->isFileVarDecl() || !Owner->getBody())
    return false;
  return !dealtWith(callsIn(Owner->getBody()), D.Key, SM, /*RedirectCounts=*/false);
}

std::vector<FileCreation> creationsOf(TranslationUnitIndex &Index, ASTContext &Ctx) {
  std::vector<FileCreation> All;
  for (llvm::StringRef Name : descriptorCreatingFunctions())
    for (const CallExpr *Call : Index.callsTo(Name)) {
      const FunctionDecl *Owner = Index.ownerOf(Call);
      auto Creation = creationWithoutCloseOnExec(Call, Owner, Ctx);
      if (!Creation)
        continue;
      bool Setup = Owner && !followsForkOf(Index, Owner, Call);
      std::vector<bool> Held;
      for (const CreatedDescriptor &D : Creation->Created)
        Held.push_back(Setup && heldByProgram(Owner, D, Ctx.getSourceManager()));
      All.push_back({std::move(*Creation), Owner, std::move(Held)});
    }
  return All;
}

} // namespace forkhazard
