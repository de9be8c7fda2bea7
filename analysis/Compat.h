// Differences between the clang/LLVM releases we build against (14 to 22), kept in one place so
// that the analysis and the rules are written once.
#ifndef FORK_HAZARD_COMPAT_H
#define FORK_HAZARD_COMPAT_H

#include "clang/AST/Expr.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace forkhazard::compat {

/// StringRef::startswith was renamed starts_with (LLVM 16/17) and removed later.
inline bool startsWith(llvm::StringRef Text, llvm::StringRef Prefix) {
  return Text.size() >= Prefix.size() && Text.substr(0, Prefix.size()) == Prefix;
}
inline bool endsWith(llvm::StringRef Text, llvm::StringRef Suffix) {
  return Text.size() >= Suffix.size() && Text.substr(Text.size() - Suffix.size()) == Suffix;
}

/// Expr::getIntegerConstantExpr returns llvm::Optional before LLVM 16, std::optional after.
inline std::optional<llvm::APSInt> integerConstant(const clang::Expr *E,
                                                   const clang::ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  if (auto Value = E->getIntegerConstantExpr(Ctx))
    return *Value;
  return std::nullopt;
}

/// Diagnostic IDs for messages built at run time. DiagnosticsEngine::getCustomDiagID only takes
/// string literals since LLVM 20; DiagnosticIDs::getCustomDiagID takes any string in 14 to 22.
inline unsigned customDiagID(clang::DiagnosticsEngine &Diags, clang::DiagnosticIDs::Level Level,
                             llvm::StringRef Format) {
  return Diags.getDiagnosticIDs()->getCustomDiagID(Level, Format);
}

} // namespace forkhazard::compat

#endif
