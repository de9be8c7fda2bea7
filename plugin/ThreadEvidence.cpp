#include "plugin/ThreadEvidence.h"

#include "plugin/LibcFunctions.h"
#include "plugin/TranslationUnitIndex.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace forkhazard {

const Stmt *firstThreadCreation(const TranslationUnitIndex &Index, const SourceManager &SM) {
  const Stmt *First = nullptr;
  auto Consider = [&](const Stmt *S) {
    if (!First || SM.isBeforeInTranslationUnit(S->getBeginLoc(), First->getBeginLoc()))
      First = S;
  };
  for (llvm::StringRef Creator : {"pthread_create", "thrd_create"})
    for (const CallExpr *Call : Index.callsTo(Creator))
      Consider(Call);
  for (const CallExpr *Call : Index.callsTo("async")) // only std::async starts a thread
    if (const FunctionDecl *Callee = directCallee(Call))
      if (Callee->getDeclContext()->getRedeclContext()->isStdNamespace())
        Consider(Call);
  for (const CXXConstructExpr *Construct : Index.threadConstructions())
    Consider(Construct);
  return First;
}

} // namespace forkhazard
