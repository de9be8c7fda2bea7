#include "analysis/ThreadEvidence.h"

#include "analysis/LibcFunctions.h"
#include "analysis/Recognizers.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace forkhazard {

static bool isThreadClass(QualType Type) {
  const CXXRecordDecl *Record = Type.isNull() ? nullptr : Type->getAsCXXRecordDecl();
  if (!Record)
    return false;
  std::string Name = Record->getQualifiedNameAsString();
  return Name == "std::thread" || Name == "std::jthread" || Name == "boost::thread";
}

static bool mentionsThreadClass(const TemplateArgumentList &Arguments) {
  for (const TemplateArgument &Argument : Arguments.asArray())
    if (Argument.getKind() == TemplateArgument::Type && isThreadClass(Argument.getAsType()))
      return true;
  return false;
}

namespace {
/// Threads the library constructs on the program's behalf: a container of threads that
/// emplaces one, std::make_unique<std::thread>(f). The constructor call itself sits in a system
/// header, where the index does not look.
class LibraryThreadScan : public RecursiveASTVisitor<LibraryThreadScan> {
public:
  explicit LibraryThreadScan(const SourceManager &SM) : SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl *D) {
    if (D && declaredInSystemHeader(D, SM))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return true;
    llvm::StringRef Name = Callee->getName();
    bool Creates = false;
    if (Name == "make_unique" || Name == "make_shared" || Name == "allocate_shared" ||
        Name == "construct_at") {
      if (const TemplateArgumentList *Arguments = Callee->getTemplateSpecializationArgs())
        Creates = mentionsThreadClass(*Arguments);
    } else if (Name == "emplace_back" || Name == "emplace_front" || Name == "emplace" ||
               Name == "emplace_hint" || Name == "try_emplace") {
      if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee))
        if (const auto *Container =
                dyn_cast<ClassTemplateSpecializationDecl>(Method->getParent()))
          Creates = mentionsThreadClass(Container->getTemplateArgs());
    }
    if (Creates && Call->getBeginLoc().isValid() &&
        (!First || SM.isBeforeInTranslationUnit(Call->getBeginLoc(), First->getBeginLoc())))
      First = Call;
    return true;
  }

  const Stmt *First = nullptr;

private:
  const SourceManager &SM;
};
} // namespace

const Stmt *firstThreadCreation(const TranslationUnitIndex &Index, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const Stmt *First = nullptr;
  auto Consider = [&](const Stmt *S) {
    if (!First || SM.isBeforeInTranslationUnit(S->getBeginLoc(), First->getBeginLoc()))
      First = S;
  };
  for (llvm::StringRef Creator : threadCreationFunctions())
    for (const CallExpr *Call : Index.callsTo(Creator))
      Consider(Call);
  for (const CallExpr *Call : Index.callsTo("async")) // only std::async starts a thread
    if (const FunctionDecl *Callee = directCallee(Call))
      if (Callee->getDeclContext()->getRedeclContext()->isStdNamespace())
        Consider(Call);
  for (const CXXConstructExpr *Construct : Index.threadConstructions())
    if (Construct->getConstructor() && !Construct->getConstructor()->isDefaultConstructor())
      Consider(Construct);
  if (First || !Ctx.getLangOpts().CPlusPlus)
    return First;
  LibraryThreadScan Scan(SM);
  Scan.TraverseDecl(Ctx.getTranslationUnitDecl());
  return Scan.First;
}

} // namespace forkhazard
