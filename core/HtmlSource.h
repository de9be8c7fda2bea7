// The source parts of the HTML report's finding pages: windows of the files around a finding
// and its notes, with the notes as numbered steps under their lines, and the fix-its as a
// unified diff.
#ifndef FORK_HAZARD_HTML_SOURCE_H
#define FORK_HAZARD_HTML_SOURCE_H

#include "core/ResolvedFinding.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>

namespace forkhazard {

std::string escapeHtml(llvm::StringRef Text);

/// The files the pages show, each read once; null for a file that cannot be read.
class SourceFiles {
public:
  const llvm::MemoryBuffer *get(llvm::StringRef Path);

private:
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> Files;
};

/// How a page names a file (relative to the source root where it can).
using DisplayPath = llvm::function_ref<std::string(llvm::StringRef)>;

/// The finding's file first, then any other file a note is in: the lines around each event,
/// the event's line marked, each note as step N (anchor step-N) and the finding as its own
/// bubble. A file that cannot be read is named, with its events listed.
void writeSourceWindows(llvm::raw_ostream &OS, const ResolvedFinding &F, SourceFiles &Sources,
                        DisplayPath Display);

/// The fix-its as a unified diff, one hunk per group of touched lines.
void writeFixItDiff(llvm::raw_ostream &OS, const ResolvedFinding &F, SourceFiles &Sources,
                    DisplayPath Display);

} // namespace forkhazard

#endif
