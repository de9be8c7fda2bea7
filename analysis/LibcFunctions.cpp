#include "analysis/LibcFunctions.h"

#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace forkhazard {

static const llvm::StringRef ForkFamily[] = {"fork", "_Fork", "vfork", "forkpty", "__fork"};

llvm::ArrayRef<llvm::StringRef> forkFamilyNames() { return ForkFamily; }

llvm::StringRef libcName(const FunctionDecl *FD) {
  if (!FD || isa<CXXMethodDecl>(FD) || !FD->getIdentifier())
    return {};
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit() || DC->isStdNamespace())
    return FD->getName();
  return {};
}

namespace {
struct KnownFunction {
  llvm::StringRef Name;
  LibcKind Kind;
};
} // namespace

static const KnownFunction KnownFunctions[] = {
    {"fork", LibcKind::Fork},           {"_Fork", LibcKind::Fork},
    {"forkpty", LibcKind::Fork},        {"__fork", LibcKind::Fork},
    {"vfork", LibcKind::VFork},         {"execl", LibcKind::Exec},
    {"execlp", LibcKind::Exec},         {"execle", LibcKind::Exec},
    {"execv", LibcKind::Exec},          {"execvp", LibcKind::Exec},
    {"execvpe", LibcKind::Exec},        {"execve", LibcKind::Exec},
    {"fexecve", LibcKind::Exec},        {"execveat", LibcKind::Exec},
    {"exit", LibcKind::ExitRunsHooks},  {"_exit", LibcKind::ExitImmediate},
    {"_Exit", LibcKind::ExitImmediate}, {"abort", LibcKind::ExitImmediate},
    {"quick_exit", LibcKind::ExitImmediate},
};

LibcKind classifyLibcFunction(const FunctionDecl *FD) {
  llvm::StringRef Name = libcName(FD);
  if (Name.empty())
    return LibcKind::Other;
  for (const KnownFunction &Known : KnownFunctions)
    if (Known.Name == Name)
      return Known.Kind;
  return LibcKind::Other;
}

bool isProgramEntry(const FunctionDecl *FD) {
  if (FD->isMain())
    return true;
  if (!FD->getIdentifier() || FD->getName().take_back(5) != "_main" || FD->getNumParams() != 2 ||
      !FD->getReturnType()->isSpecificBuiltinType(BuiltinType::Int) || FD->isCXXClassMember())
    return false;
  QualType Argv = FD->getParamDecl(1)->getType();
  return FD->getParamDecl(0)->getType()->isSpecificBuiltinType(BuiltinType::Int) &&
         Argv->isPointerType() && Argv->getPointeeType()->isPointerType() &&
         Argv->getPointeeType()->getPointeeType()->isCharType();
}

WaitFamily waitFamilyOf(const FunctionDecl *FD) {
  llvm::StringRef Name = libcName(FD);
  if (Name == "wait" || Name == "wait3")
    return WaitFamily::AnyChild;
  if (Name == "waitpid" || Name == "wait4")
    return WaitFamily::ByPid;
  if (Name == "waitid")
    return WaitFamily::ById;
  return WaitFamily::None;
}

static const llvm::StringRef ThreadCreators[] = {"pthread_create", "thrd_create"};

llvm::ArrayRef<llvm::StringRef> threadCreationFunctions() { return ThreadCreators; }

std::optional<unsigned> threadStartArgument(llvm::StringRef LibcName) {
  if (LibcName == "pthread_create") // (thread, attr, start, arg)
    return 2;
  if (LibcName == "thrd_create") // (thread, start, arg)
    return 1;
  return std::nullopt;
}

const FunctionDecl *directCallee(const CallExpr *Call) {
  return Call ? Call->getDirectCallee() : nullptr;
}

} // namespace forkhazard
