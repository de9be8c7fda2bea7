#include "core/ProgramFactsLoader.h"

#include "analysis/ProgramFacts.h"
#include "analysis/ProgramKeys.h"
#include "analysis/TranslationUnitIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

namespace forkhazard {

std::unique_ptr<ProgramFacts>
loadProgramFacts(clang::ASTContext &Ctx, clang::Sema *S, const Options &Opts,
                 llvm::function_ref<void(const std::string &)> Warn) {
  if (Opts.FactsFile.empty() || Ctx.getDiagnostics().hasErrorOccurred())
    return nullptr;
  std::vector<std::string> Names = Opts.Analysis.ForkFunctions;
  if (auto Wrappers = readForkingFunctionNames(Opts.FactsFile))
    Names.insert(Names.end(), Wrappers->begin(), Wrappers->end());
  if (!mayCallFork(Ctx, S, Names))
    return nullptr;
  auto Read = readFactsFile(Opts.FactsFile);
  if (!Read) {
    Warn(llvm::toString(Read.takeError()) + "; the TU is judged alone");
    return nullptr;
  }
  auto Facts = std::make_unique<ProgramFacts>(std::move(*Read));
  const clang::SourceManager &SM = Ctx.getSourceManager();
  std::string Main;
  if (auto Entry = SM.getFileEntryRefForID(SM.getMainFileID()))
    Main = absolutePath(Entry->getName(), SM);
  std::string Stale = staleFactsWarning(Opts.FactsFile, *Facts, Main);
  if (!Stale.empty())
    Warn(Stale);
  return Facts;
}

} // namespace forkhazard
