#include "core/CheckDocs.h"

namespace forkhazard {

namespace {
struct CheckDoc {
  llvm::StringRef Name, Description;
};
// Written by CMake from rules/checks.def and docs/rules/*.md (fork_hazard_check_docs).
const CheckDoc CheckDocs[] = {
#define FORK_HAZARD_CHECK_DOC(Name, Description) {Name, Description},
#include "CheckDescriptions.inc"
#undef FORK_HAZARD_CHECK_DOC
};
} // namespace

llvm::StringRef checkDescription(llvm::StringRef Check) {
  for (const CheckDoc &Doc : CheckDocs)
    if (Doc.Name == Check)
      return Doc.Description;
  return "";
}

std::string plainText(llvm::StringRef Markdown) {
  std::string Plain;
  for (char C : Markdown)
    if (C != '`')
      Plain += C;
  return Plain;
}

std::string checkDocsUrl(llvm::StringRef Check) {
  return FORK_HAZARD_DOCS_URL + Check.str() + ".md";
}

llvm::StringRef projectUrl() { return FORK_HAZARD_PROJECT_URL; }

llvm::StringRef toolVersion() { return FORK_HAZARD_VERSION; }

} // namespace forkhazard
