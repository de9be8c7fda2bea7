#include "core/HtmlReport.h"

#include "analysis/Compat.h"
#include "core/CheckDocs.h"
#include "core/HtmlSource.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

namespace forkhazard {

namespace {

const char Style[] = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; } td, th { padding: .2em .7em; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #888; } tr:nth-child(even) td { background: #f4f4f4; }
th[data-key] { cursor: pointer; } th[data-key]::after { content: " \2195"; color: #999; }
.num { text-align: right; } .muted { color: #777; }
.warning { color: #8a5a00; font-weight: 600; } .error { color: #b00020; font-weight: 600; }
code, pre, .src td { font-family: ui-monospace, monospace; font-size: 13px; }
.src { border: 1px solid #ccc; margin: .5em 0 1.5em; width: 100%; }
.src td { padding: 0 .6em; white-space: pre; background: none !important; }
.src .ln { color: #999; text-align: right; user-select: none; width: 3em; }
.src .hit td { background: #fff3c4 !important; }
.src .gap td { color: #999; }
.step td.bubble { white-space: normal; padding: .15em .6em .35em; }
.bubble span { display: inline-block; border-radius: 4px; padding: .1em .5em; background: #dde8ff; }
.bubble.finding span { background: #ffd9d9; }
.bubble b { margin-right: .4em; }
pre.diff { background: #f7f7f7; border: 1px solid #ccc; padding: .6em; }
.del { color: #b00020; } .add { color: #006b1b; }
)css";

// Sorts the findings table by a column (a click on its header, or #sort=<key> / #sort=-<key>
// in the address, so a link can carry the order) and shows one check (#check=<name>).
const char Script[] = R"js(
function applyHash() {
  var table = document.getElementById('findings');
  if (!table) return;
  var params = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (p) {
    var kv = p.split('='); if (kv[0]) params[kv[0]] = decodeURIComponent(kv[1] || '');
  });
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  if (params.sort) {
    var key = params.sort.replace(/^-/, ''), down = params.sort.charAt(0) === '-';
    rows.sort(function (a, b) {
      var x = a.dataset[key] || '', y = b.dataset[key] || '';
      var nx = Number(x), ny = Number(y);
      var c = (x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      if (c === 0) c = Number(a.dataset.index) - Number(b.dataset.index);
      return down ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  var shown = 0;
  rows.forEach(function (r) {
    var visible = !params.check || r.dataset.check === params.check;
    r.hidden = !visible; shown += visible;
  });
  var count = document.getElementById('shown');
  if (count) count.textContent = shown === rows.length ? '' : '(' + shown + ' shown)';
}
document.addEventListener('DOMContentLoaded', function () {
  Array.prototype.forEach.call(document.querySelectorAll('th[data-key]'), function (th) {
    th.addEventListener('click', function () {
      var key = th.dataset.key, now = (location.hash.match(/sort=(-?\w+)/) || [])[1];
      var check = (location.hash.match(/check=([^&]*)/) || [])[1];
      location.hash = 'sort=' + (now === key ? '-' + key : key) + (check ? '&check=' + check : '');
    });
  });
  applyHash();
});
window.addEventListener('hashchange', applyHash);
)js";

std::string displayPath(llvm::StringRef File, const HtmlReportRun &Run) {
  llvm::StringRef Below = pathBelow(File, Run.SourceRoot);
  return (Below.empty() ? File : Below).str();
}

void writeHead(llvm::raw_ostream &OS, llvm::StringRef Title, bool WithScript) {
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
     << escapeHtml(Title) << "</title>\n<style>" << Style << "</style>\n";
  if (WithScript)
    OS << "<script>" << Script << "</script>\n";
  OS << "</head>\n<body>\n";
}

void writeFooter(llvm::raw_ostream &OS, const HtmlReportRun &Run) {
  OS << "<p class=\"muted\">Written by <a href=\"" << escapeHtml(projectUrl())
     << "\">fork-hazard</a> " << escapeHtml(Run.ToolVersion) << ".</p>\n</body>\n</html>\n";
}

std::string levelName(const ResolvedFinding &F) { return F.IsError ? "error" : "warning"; }

std::string findingPage(size_t Index) { return "finding-" + std::to_string(Index + 1) + ".html"; }

/// A table of counts, most first (ties by name), each name linked where Link gives an address.
template <typename LinkFn>
void writeCounts(llvm::raw_ostream &OS, llvm::StringRef Heading, llvm::StringRef Column,
                 const std::map<std::string, unsigned> &Counts, LinkFn Link) {
  std::vector<std::pair<std::string, unsigned>> Sorted(Counts.begin(), Counts.end());
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const auto &A, const auto &B) { return A.second > B.second; });
  OS << "<h2>" << escapeHtml(Heading) << "</h2>\n<table class=\"counts\">\n<thead><tr><th>"
     << escapeHtml(Column) << "</th><th class=\"num\">findings</th></tr></thead>\n<tbody>\n";
  for (const auto &[Name, Count] : Sorted)
    OS << "<tr><td>" << Link(Name) << "</td><td class=\"num\">" << Count << "</td></tr>\n";
  OS << "</tbody>\n</table>\n";
}

void writeIndex(llvm::raw_ostream &OS, llvm::ArrayRef<ResolvedFinding> Findings,
                const HtmlReportRun &Run) {
  writeHead(OS, "fork-hazard report", /*WithScript=*/true);
  std::map<std::string, unsigned> PerCheck, PerFile;
  for (const ResolvedFinding &F : Findings) {
    ++PerCheck[F.Check];
    ++PerFile[displayPath(F.Location.File, Run)];
  }
  OS << "<h1>fork-hazard report</h1>\n<p id=\"summary\">" << Findings.size()
     << (Findings.size() == 1 ? " finding" : " findings") << " in " << PerFile.size()
     << (PerFile.size() == 1 ? " file" : " files") << " <span id=\"shown\"></span></p>\n";
  if (Findings.empty()) {
    OS << "<p>No findings.</p>\n";
    writeFooter(OS, Run);
    return;
  }
  writeCounts(OS, "By check", "check", PerCheck, [](const std::string &Check) {
    std::string Name = escapeHtml(fullCheckName(Check));
    return "<a href=\"#check=" + Name + "\">" + Name + "</a> (<a href=\"" +
           escapeHtml(checkDocsUrl(Check)) + "\">docs</a>)";
  });
  writeCounts(OS, "By file", "file", PerFile,
              [](const std::string &File) { return "<code>" + escapeHtml(File) + "</code>"; });
  OS << "<h2>Findings</h2>\n<table id=\"findings\">\n<thead><tr>"
     << "<th data-key=\"index\" class=\"num\">#</th><th data-key=\"level\">level</th>"
     << "<th data-key=\"check\">check</th><th data-key=\"file\">file</th>"
     << "<th data-key=\"line\" class=\"num\">line</th><th data-key=\"message\">message</th>"
     << "</tr></thead>\n<tbody>\n";
  for (size_t I = 0; I < Findings.size(); ++I) {
    const ResolvedFinding &F = Findings[I];
    std::string File = displayPath(F.Location.File, Run);
    OS << "<tr data-index=\"" << I + 1 << "\" data-level=\"" << levelName(F)
       << "\" data-check=\"" << escapeHtml(F.fullCheckName()) << "\" data-file=\""
       << escapeHtml(File) << "\" data-line=\"" << F.Location.Line << "\" data-message=\""
       << escapeHtml(F.Message) << "\"><td class=\"num\"><a href=\"" << findingPage(I) << "\">"
       << I + 1 << "</a></td><td class=\"" << levelName(F) << "\">" << levelName(F)
       << "</td><td>" << escapeHtml(F.fullCheckName()) << "</td><td><code>" << escapeHtml(File)
       << "</code></td><td class=\"num\">" << F.Location.Line << "</td><td><a href=\""
       << findingPage(I) << "\">" << escapeHtml(F.Message) << "</a></td></tr>\n";
  }
  OS << "</tbody>\n</table>\n";
  writeFooter(OS, Run);
}

void writeFindingPage(llvm::raw_ostream &OS, const ResolvedFinding &F, size_t Index,
                      size_t Count, SourceFiles &Sources, const HtmlReportRun &Run) {
  std::string Where = displayPath(F.Location.File, Run) + ":" + std::to_string(F.Location.Line) +
                      ":" + std::to_string(F.Location.Column);
  writeHead(OS, F.fullCheckName() + " at " + Where, /*WithScript=*/false);
  OS << "<p><a href=\"index.html\">All findings</a>";
  if (Index > 0)
    OS << " · <a href=\"" << findingPage(Index - 1) << "\">previous</a>";
  if (Index + 1 < Count)
    OS << " · <a href=\"" << findingPage(Index + 1) << "\">next</a>";
  OS << "</p>\n<h1><span class=\"" << levelName(F) << "\">" << levelName(F) << ":</span> "
     << escapeHtml(F.Message) << "</h1>\n<p><code>" << escapeHtml(Where) << "</code> · <a href=\""
     << escapeHtml(checkDocsUrl(F.Check)) << "\">" << escapeHtml(F.fullCheckName())
     << "</a>: " << escapeHtml(plainText(checkDescription(F.Check))) << "</p>\n";
  if (!F.Notes.empty()) {
    OS << "<h2>The path</h2>\n<ol id=\"steps\">\n";
    for (size_t I = 0; I < F.Notes.size(); ++I)
      OS << "<li><a href=\"#step-" << I + 1 << "\">" << escapeHtml(F.Notes[I].Message)
         << "</a> <span class=\"muted\">(line " << F.Notes[I].Location.Line << ")</span></li>\n";
    OS << "</ol>\n";
  }
  OS << "<h2>In the source</h2>\n";
  writeSourceWindows(OS, F, Sources, [&](llvm::StringRef File) { return displayPath(File, Run); });
  if (!F.FixIts.empty()) {
    OS << "<h2>The fix-it</h2>\n<p>Applied by <code>fork-hazard-check --fix</code> (or exported "
          "with <code>--export-fixes</code>):</p>\n";
    writeFixItDiff(OS, F, Sources, [&](llvm::StringRef File) { return displayPath(File, Run); });
  }
  writeFooter(OS, Run);
}

std::string writeFile(llvm::StringRef Path, llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC)
    return "cannot write '" + Path.str() + "': " + EC.message();
  Write(OS);
  OS.close();
  if (OS.has_error())
    return "cannot write '" + Path.str() + "': " + OS.error().message();
  return "";
}

/// The pages of an earlier report in Directory: a smaller run must not leave stale ones.
void removeOldFindingPages(llvm::StringRef Directory) {
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Directory, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (compat::startsWith(Name, "finding-") && compat::endsWith(Name, ".html"))
      llvm::sys::fs::remove(It->path());
  }
}

} // namespace

std::string writeHtmlReport(llvm::StringRef Directory, llvm::ArrayRef<ResolvedFinding> Findings,
                            const HtmlReportRun &Run) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Directory))
    return "cannot create the report directory '" + Directory.str() + "': " + EC.message();
  removeOldFindingPages(Directory);
  SourceFiles Sources;
  for (size_t I = 0; I < Findings.size(); ++I) {
    llvm::SmallString<256> Path(Directory);
    llvm::sys::path::append(Path, findingPage(I));
    std::string Error = writeFile(Path, [&](llvm::raw_ostream &OS) {
      writeFindingPage(OS, Findings[I], I, Findings.size(), Sources, Run);
    });
    if (!Error.empty())
      return Error;
  }
  llvm::SmallString<256> Index(Directory);
  llvm::sys::path::append(Index, "index.html");
  return writeFile(Index, [&](llvm::raw_ostream &OS) { writeIndex(OS, Findings, Run); });
}

} // namespace forkhazard
