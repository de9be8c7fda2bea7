#include "cli/Fixes.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using namespace clang::tooling;

namespace forkhazard::cli {

static Replacement replacementOf(const ResolvedFixIt &Fix) {
  return Replacement(Fix.Begin.File, Fix.Begin.Offset, Fix.End.Offset - Fix.Begin.Offset,
                     Fix.Replacement);
}

std::string exportFixes(llvm::StringRef Path, llvm::ArrayRef<ResolvedFinding> Findings) {
  TranslationUnitDiagnostics All;
  for (const ResolvedFinding &F : Findings) {
    if (F.FixIts.empty())
      continue;
    DiagnosticMessage Message;
    Message.Message = F.Message;
    Message.FilePath = F.Location.File;
    Message.FileOffset = F.Location.Offset;
    for (const ResolvedFixIt &Fix : F.FixIts)
      llvm::consumeError(Message.Fix[Fix.Begin.File].add(replacementOf(Fix)));
    All.Diagnostics.push_back(Diagnostic(F.fullCheckName(), Message, {},
                                         F.IsError ? Diagnostic::Error : Diagnostic::Warning,
                                         ""));
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC)
    return "cannot write '" + Path.str() + "': " + EC.message();
  llvm::yaml::Output YAML(OS);
  YAML << All;
  return "";
}

std::string applyFixes(llvm::ArrayRef<ResolvedFinding> Findings, unsigned &Applied) {
  std::map<std::string, Replacements> ByFile;
  Applied = 0;
  for (const ResolvedFinding &F : Findings) {
    bool All = !F.FixIts.empty();
    for (const ResolvedFixIt &Fix : F.FixIts)
      if (llvm::Error E = ByFile[Fix.Begin.File].add(replacementOf(Fix))) {
        llvm::consumeError(std::move(E)); // overlaps an earlier finding's fix: left alone
        All = false;
      }
    Applied += All;
  }
  for (auto &File : ByFile) {
    auto Buffer = llvm::MemoryBuffer::getFile(File.first);
    if (!Buffer)
      return "cannot read '" + File.first + "': " + Buffer.getError().message();
    auto Fixed = applyAllReplacements((*Buffer)->getBuffer(), File.second);
    if (!Fixed)
      return "cannot apply the fix-its to '" + File.first + "': " +
             llvm::toString(Fixed.takeError());
    std::error_code EC;
    llvm::raw_fd_ostream OS(File.first, EC, llvm::sys::fs::OF_None);
    if (EC)
      return "cannot write '" + File.first + "': " + EC.message();
    OS << *Fixed;
  }
  return "";
}

} // namespace forkhazard::cli
