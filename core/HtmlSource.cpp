#include "core/HtmlSource.h"

#include "llvm/ADT/SmallVector.h"
#include <algorithm>
#include <map>

namespace forkhazard {

std::string escapeHtml(llvm::StringRef Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += "&quot;"; break;
    case '\'': Out += "&#39;"; break;
    default: Out += C;
    }
  }
  return Out;
}

const llvm::MemoryBuffer *SourceFiles::get(llvm::StringRef Path) {
  auto [It, Inserted] = Files.try_emplace(Path);
  if (Inserted) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
    if (Buffer)
      It->second = std::move(*Buffer);
  }
  return It->second.get();
}

namespace {

constexpr unsigned ContextLines = 3;

/// The file's lines, 0-based (line N is Lines[N - 1]), without their line ends.
std::vector<llvm::StringRef> splitLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Lines.push_back(Line.rtrim('\r'));
    Text = Rest;
  }
  return Lines;
}

struct Event {
  unsigned Line, Column;
  std::string Label; // "1", "2", … for notes; the level for the finding
  std::string Message;
  std::string Anchor;
  bool IsFinding;
};

/// Where the column lands once tabs are expanded as the browser does (every 8).
unsigned visualColumn(llvm::StringRef Line, unsigned Column) {
  unsigned Visual = 0;
  for (unsigned I = 0; I + 1 < Column && I < Line.size(); ++I)
    Visual = Line[I] == '\t' ? (Visual / 8 + 1) * 8 : Visual + 1;
  return Visual;
}

void writeEventRow(llvm::raw_ostream &OS, const Event &E, llvm::StringRef LineText) {
  OS << "<tr class=\"step\"" << (E.Anchor.empty() ? "" : " id=\"" + E.Anchor + "\"")
     << "><td></td><td class=\"bubble" << (E.IsFinding ? " finding" : "")
     << "\"><span style=\"margin-left:" << visualColumn(LineText, E.Column) << "ch\"><b>"
     << escapeHtml(E.Label) << "</b>" << escapeHtml(E.Message) << "</span></td></tr>\n";
}

void writeWindows(llvm::raw_ostream &OS, llvm::ArrayRef<llvm::StringRef> Lines,
                  const std::vector<Event> &Events) {
  std::multimap<unsigned, const Event *> ByLine;
  for (const Event &E : Events)
    ByLine.emplace(E.Line, &E);
  // The lines to show: each event's line with its context, merged where windows touch.
  std::vector<std::pair<unsigned, unsigned>> Windows;
  for (const auto &[Line, E] : ByLine) {
    unsigned First = Line > ContextLines ? Line - ContextLines : 1;
    unsigned Last = std::min<unsigned>(Line + ContextLines, Lines.size());
    if (!Windows.empty() && First <= Windows.back().second + 1)
      Windows.back().second = std::max(Windows.back().second, Last);
    else
      Windows.push_back({First, Last});
  }
  OS << "<table class=\"src\">\n";
  for (size_t W = 0; W < Windows.size(); ++W) {
    if (W > 0 || Windows[W].first > 1)
      OS << "<tr class=\"gap\"><td class=\"ln\">⋮</td><td></td></tr>\n";
    for (unsigned Line = Windows[W].first; Line <= Windows[W].second; ++Line) {
      auto Range = ByLine.equal_range(Line);
      llvm::StringRef Text = Lines[Line - 1];
      OS << "<tr id=\"line-" << Line << "\"" << (Range.first != Range.second ? " class=\"hit\"" : "")
         << "><td class=\"ln\">" << Line << "</td><td>" << escapeHtml(Text) << "</td></tr>\n";
      for (auto It = Range.first; It != Range.second; ++It)
        writeEventRow(OS, *It->second, Text);
    }
  }
  OS << "</table>\n";
}

} // namespace

void writeSourceWindows(llvm::raw_ostream &OS, const ResolvedFinding &F, SourceFiles &Sources,
                        DisplayPath Display) {
  std::vector<std::string> Files{F.Location.File};
  std::map<std::string, std::vector<Event>> EventsPerFile;
  EventsPerFile[F.Location.File].push_back(
      {F.Location.Line, F.Location.Column, F.IsError ? "error" : "warning", F.Message, "finding",
       true});
  for (size_t I = 0; I < F.Notes.size(); ++I) {
    const ResolvedLocation &Loc = F.Notes[I].Location;
    if (!Loc.isValid())
      continue;
    if (!EventsPerFile.count(Loc.File))
      Files.push_back(Loc.File);
    EventsPerFile[Loc.File].push_back({Loc.Line, Loc.Column, std::to_string(I + 1),
                                       F.Notes[I].Message, "step-" + std::to_string(I + 1),
                                       false});
  }
  for (const std::string &File : Files) {
    const std::vector<Event> &Events = EventsPerFile[File];
    OS << "<h3><code>" << escapeHtml(Display(File)) << "</code></h3>\n";
    const llvm::MemoryBuffer *Buffer = Sources.get(File);
    std::vector<llvm::StringRef> Lines;
    if (Buffer)
      Lines = splitLines(Buffer->getBuffer());
    bool Readable = Buffer && llvm::all_of(Events, [&](const Event &E) {
                      return E.Line >= 1 && E.Line <= Lines.size();
                    });
    if (Readable) {
      writeWindows(OS, Lines, Events);
      continue;
    }
    // Gone, unreadable or changed since the run: the events still say what happened.
    OS << "<p class=\"muted\">The file cannot be read as it was analyzed.</p>\n<ul>\n";
    for (const Event &E : Events)
      OS << "<li" << (E.Anchor.empty() ? "" : " id=\"" + E.Anchor + "\"") << "><b>"
         << escapeHtml(E.Label) << "</b> line " << E.Line << ": " << escapeHtml(E.Message)
         << "</li>\n";
    OS << "</ul>\n";
  }
}

namespace {

/// The offset where the line holding Offset begins.
size_t lineStart(llvm::StringRef Text, size_t Offset) {
  size_t Newline = Text.rfind('\n', Offset == 0 ? 0 : Offset - 1);
  return Offset == 0 || Newline == llvm::StringRef::npos ? 0 : Newline + 1;
}
size_t lineEnd(llvm::StringRef Text, size_t Offset) {
  size_t Newline = Text.find('\n', Offset);
  return Newline == llvm::StringRef::npos ? Text.size() : Newline;
}

void writeDiffLines(llvm::raw_ostream &OS, llvm::StringRef Text, char Sign,
                    llvm::StringRef Class) {
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef Line : Lines)
    OS << "<span class=\"" << Class << "\">" << Sign << escapeHtml(Line) << "</span>\n";
}

unsigned lineCount(llvm::StringRef Text) { return Text.count('\n') + 1; }

} // namespace

void writeFixItDiff(llvm::raw_ostream &OS, const ResolvedFinding &F, SourceFiles &Sources,
                    DisplayPath Display) {
  std::map<std::string, std::vector<const ResolvedFixIt *>> PerFile;
  for (const ResolvedFixIt &Fix : F.FixIts)
    if (Fix.Begin.isValid() && Fix.End.isValid() && Fix.Begin.File == Fix.End.File)
      PerFile[Fix.Begin.File].push_back(&Fix);
  for (auto &[File, Fixes] : PerFile) {
    const llvm::MemoryBuffer *Buffer = Sources.get(File);
    llvm::StringRef Text = Buffer ? Buffer->getBuffer() : "";
    std::sort(Fixes.begin(), Fixes.end(), [](const ResolvedFixIt *A, const ResolvedFixIt *B) {
      return A->Begin.Offset < B->Begin.Offset;
    });
    std::string Path = escapeHtml(Display(File));
    OS << "<pre class=\"diff\">--- a/" << Path << "\n+++ b/" << Path << "\n";
    for (size_t I = 0; I < Fixes.size();) {
      size_t Begin = Fixes[I]->Begin.Offset;
      if (!Buffer || Fixes[I]->End.Offset > Text.size() || Begin > Fixes[I]->End.Offset) {
        OS << "(the file has changed since the run: replace lines " << Fixes[I]->Begin.Line
           << "–" << Fixes[I]->End.Line << " with “" << escapeHtml(Fixes[I]->Replacement)
           << "”)\n";
        ++I;
        continue;
      }
      // One hunk: this fix-it's lines and those of every later fix-it that shares them.
      size_t HunkBegin = lineStart(Text, Begin), HunkEnd = lineEnd(Text, Fixes[I]->End.Offset);
      std::string New;
      size_t Copied = HunkBegin;
      for (; I < Fixes.size() && Fixes[I]->Begin.Offset >= Copied &&
             Fixes[I]->End.Offset <= Text.size() && Fixes[I]->Begin.Offset <= HunkEnd;
           ++I) {
        New += Text.slice(Copied, Fixes[I]->Begin.Offset).str() + Fixes[I]->Replacement;
        Copied = Fixes[I]->End.Offset;
        HunkEnd = std::max(HunkEnd, lineEnd(Text, Copied));
      }
      New += Text.slice(Copied, HunkEnd).str();
      llvm::StringRef Old = Text.slice(HunkBegin, HunkEnd);
      unsigned FirstLine = Text.take_front(HunkBegin).count('\n') + 1;
      OS << "@@ -" << FirstLine << "," << lineCount(Old) << " +" << FirstLine << ","
         << lineCount(New) << " @@\n";
      writeDiffLines(OS, Old, '-', "del");
      writeDiffLines(OS, New, '+', "add");
    }
    OS << "</pre>\n";
  }
}

} // namespace forkhazard
