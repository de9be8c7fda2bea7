// The HTML report of a run (fork-hazard-check --format=html -o <dir>): a static site with no
// server, network, external script or style sheet. index.html counts the findings per check and
// per file and lists them (sortable by any column); finding-<N>.html shows one finding in its
// source, the path's notes as numbered steps in place, like scan-build's path view, the fix-it
// as a diff and a link to the check's page.
#ifndef FORK_HAZARD_HTML_REPORT_H
#define FORK_HAZARD_HTML_REPORT_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace forkhazard {

struct HtmlReportRun {
  std::string ToolVersion;
  /// Files below it are shown by their relative path.
  std::string SourceRoot;
};

/// Writes the site into Directory (created if needed; earlier finding pages are replaced).
/// Returns "" or one error sentence.
std::string writeHtmlReport(llvm::StringRef Directory, llvm::ArrayRef<ResolvedFinding> Findings,
                            const HtmlReportRun &Run);

} // namespace forkhazard

#endif
