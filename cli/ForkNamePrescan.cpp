#include "cli/ForkNamePrescan.h"

#include "analysis/LibcFunctions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace forkhazard::cli {

void ForkNamePrescan::ExecuteAction() {
  Preprocessor &PP = getCompilerInstance().getPreprocessor();
  const SourceManager &SM = PP.getSourceManager();
  llvm::SmallPtrSet<const IdentifierInfo *, 16> Names;
  for (llvm::StringRef Name : forkFamilyNames())
    Names.insert(PP.getIdentifierInfo(Name));
  for (llvm::StringRef Name : ForkFunctions) { // a qualified name is called by its last part
    size_t Colons = Name.rfind("::");
    Names.insert(PP.getIdentifierInfo(Colons == llvm::StringRef::npos ? Name
                                                                      : Name.drop_front(Colons + 2)));
  }
  PP.EnterMainSourceFile();
  Token Tok;
  do {
    PP.Lex(Tok);
    // unistd.h declares fork in nearly every TU: only the project's own code counts, and a
    // macro counts where it is expanded.
    if (Tok.is(tok::identifier) && Names.count(Tok.getIdentifierInfo()) &&
        !SM.isInSystemHeader(SM.getExpansionLoc(Tok.getLocation()))) {
      NamesFork = true;
      return; // the full parse that follows reports whatever comes later
    }
  } while (Tok.isNot(tok::eof));
}

} // namespace forkhazard::cli
