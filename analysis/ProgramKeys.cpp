#include "analysis/ProgramKeys.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/GlobalDecl.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace forkhazard {

std::string absolutePath(llvm::StringRef Path, const SourceManager &SM) {
  llvm::SmallString<256> Absolute(Path);
  SM.getFileManager().makeAbsolutePath(Absolute);
  llvm::sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  return std::string(Absolute.str());
}

SourcePosition positionOf(SourceLocation Loc, const SourceManager &SM) {
  SourcePosition Position;
  if (Loc.isInvalid())
    return Position;
  PresumedLoc Presumed = SM.getPresumedLoc(SM.getExpansionLoc(Loc), /*UseLineDirectives=*/false);
  if (Presumed.isInvalid())
    return Position;
  Position.File = absolutePath(Presumed.getFilename(), SM);
  Position.Line = Presumed.getLine();
  Position.Column = Presumed.getColumn();
  return Position;
}

std::string mainFilePath(const SourceManager &SM) {
  auto Main = SM.getFileEntryRefForID(SM.getMainFileID());
  return Main ? absolutePath(Main->getName(), SM) : "";
}

FunctionKeys::FunctionKeys(ASTContext &Ctx)
    : Ctx(Ctx), Mangler(Ctx.createMangleContext()), MainFile(mainFilePath(Ctx.getSourceManager())) {}

FunctionKeys::~FunctionKeys() = default;

bool FunctionKeys::isVisibleToOtherTUs(const FunctionDecl *FD) {
  // No TU calls another's main: each program of a database has its own.
  return FD->isExternallyVisible() && !FD->isDependentContext() && FD->getIdentifier() &&
         !FD->isMain();
}

const std::string &FunctionKeys::keyOf(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto Found = Keys.find(FD);
  if (Found != Keys.end())
    return Found->second;
  std::string Key;
  llvm::raw_string_ostream OS(Key);
  if (isVisibleToOtherTUs(FD)) {
    if (Mangler->shouldMangleDeclName(FD))
      Mangler->mangleName(GlobalDecl(FD), OS);
    else
      OS << FD->getName();
  } else {
    const SourceManager &SM = Ctx.getSourceManager();
    OS << MainFile << "#" << FD->getNameAsString() << "@"
       << SM.getExpansionLineNumber(FD->getLocation()) << ":"
       << SM.getExpansionColumnNumber(FD->getLocation());
  }
  OS.flush();
  return Keys[FD] = std::move(Key);
}

} // namespace forkhazard
