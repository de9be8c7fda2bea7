// What the docs say about each check, for the front ends that describe checks themselves
// (SARIF's rule metadata, --list-checks): the first paragraph of docs/rules/<check>.md, taken
// at build time, and the page's address.
#ifndef FORK_HAZARD_CHECK_DOCS_H
#define FORK_HAZARD_CHECK_DOCS_H

#include "llvm/ADT/StringRef.h"
#include <string>

namespace forkhazard {

/// The first paragraph of the check's docs page (Markdown), or "" for an unknown check.
llvm::StringRef checkDescription(llvm::StringRef Check);
/// Markdown as plain text: its code spans lose their backquotes (the registry's summaries in
/// help text and SARIF).
std::string plainText(llvm::StringRef Markdown);
/// The address of the check's docs page.
std::string checkDocsUrl(llvm::StringRef Check);
/// The project's home page.
llvm::StringRef projectUrl();
/// The version fork-hazard was built as.
llvm::StringRef toolVersion();

} // namespace forkhazard

#endif
