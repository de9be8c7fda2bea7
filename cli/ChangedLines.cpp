#include "cli/ChangedLines.h"

#include "analysis/Compat.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace forkhazard::cli {

namespace {
/// The path of a "+++ " line: without a tab-separated timestamp and git's "b/" prefix; "" for
/// /dev/null (a deleted file).
std::string newPath(llvm::StringRef Line, llvm::StringRef BaseDirectory) {
  llvm::StringRef Path = Line.drop_front(4).split('\t').first.rtrim();
  if (Path == "/dev/null")
    return "";
  if (compat::startsWith(Path, "b/") || compat::startsWith(Path, "a/"))
    Path = Path.drop_front(2);
  llvm::SmallString<256> Absolute(Path);
  if (!llvm::sys::path::is_absolute(Absolute)) {
    Absolute = BaseDirectory;
    llvm::sys::path::append(Absolute, Path);
  }
  llvm::sys::path::remove_dots(Absolute, /*remove_dot_dot=*/true);
  return std::string(Absolute.str());
}

/// The new side's first line of a hunk header "@@ -a,b +c,d @@"; 0 when it is not one. A hunk
/// that only deletes ("+c,0") names the line before the deletion: its body starts after it.
unsigned hunkStart(llvm::StringRef Line) {
  size_t Plus = Line.find(" +");
  if (!compat::startsWith(Line, "@@ ") || Plus == llvm::StringRef::npos)
    return 0;
  auto Digits = [](char C) { return C >= '0' && C <= '9'; };
  unsigned Start = 0, Count = 1;
  llvm::StringRef Rest = Line.drop_front(Plus + 2);
  if (Rest.take_while(Digits).getAsInteger(10, Start))
    return 0;
  Rest = Rest.drop_while(Digits);
  if (Rest.consume_front(",") && Rest.take_while(Digits).getAsInteger(10, Count))
    return 0;
  return std::max(Count == 0 ? Start + 1 : Start, 1u);
}
} // namespace

std::string readUnifiedDiff(llvm::StringRef Text, llvm::StringRef BaseDirectory,
                            ChangedLines &Out) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  std::string File;
  unsigned Next = 0; // the new side's line number of the next body line; 0 outside a hunk
  bool SawFile = false;
  for (llvm::StringRef Line : Lines) {
    Line.consume_back("\r");
    if (compat::startsWith(Line, "diff --git ")) {
      SawFile = true; // a file's header: a rename or a mode change has nothing else
      Next = 0;
    } else if (compat::startsWith(Line, "+++ ")) {
      File = newPath(Line, BaseDirectory);
      SawFile = true;
      Next = 0;
    } else if (compat::startsWith(Line, "@@ ")) {
      Next = hunkStart(Line);
    } else if (Next && compat::startsWith(Line, "+")) {
      if (!File.empty())
        Out[File].insert(Next);
      ++Next;
    } else if (Next && (compat::startsWith(Line, " ") || Line.empty())) {
      ++Next;
    } else if (Next && compat::startsWith(Line, "-")) {
      // A deleted line (a removed _exit) marks the line now in its place.
      if (!File.empty())
        Out[File].insert(Next);
    } else if (Next && !compat::startsWith(Line, "\\")) {
      Next = 0; // the hunk ended (a header of the next file follows)
    }
  }
  if (!SawFile && !llvm::StringRef(Text).trim().empty())
    return "it is not a unified diff (no '+++ ' or 'diff --git' line)";
  return "";
}

std::string readDiffFile(llvm::StringRef Path, ChangedLines &Out) {
  auto Buffer = llvm::MemoryBuffer::getFileOrSTDIN(Path);
  if (!Buffer)
    return "cannot read the diff '" + Path.str() + "': " + Buffer.getError().message();
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  std::string Error = readUnifiedDiff((*Buffer)->getBuffer(), Cwd, Out);
  return Error.empty() ? "" : "the diff '" + Path.str() + "': " + Error;
}

namespace {
/// Runs git with Args; its standard output, or an error in Error.
std::string runGit(llvm::ArrayRef<llvm::StringRef> Args, std::string &Error) {
  auto Git = llvm::sys::findProgramByName("git");
  if (!Git) {
    Error = "--changed-lines-from needs git, which is not on PATH";
    return "";
  }
  llvm::SmallString<128> Output, Errors;
  llvm::sys::fs::createTemporaryFile("fork-hazard-git", "out", Output);
  llvm::sys::fs::createTemporaryFile("fork-hazard-git", "err", Errors);
  std::vector<llvm::StringRef> Argv{*Git};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  // (braced lists: the optional type of Env and Redirects is llvm::Optional before LLVM 16)
  int Status = llvm::sys::ExecuteAndWait(
      *Git, Argv, {}, {llvm::StringRef(""), llvm::StringRef(Output), llvm::StringRef(Errors)});
  auto Read = [](llvm::StringRef Path) {
    auto Buffer = llvm::MemoryBuffer::getFile(Path);
    return Buffer ? (*Buffer)->getBuffer().str() : std::string();
  };
  std::string Text = Read(Output), Message = Read(Errors);
  llvm::sys::fs::remove(Output);
  llvm::sys::fs::remove(Errors);
  if (Status != 0) {
    Error = "'git";
    for (llvm::StringRef Arg : Args)
      Error += " " + Arg.str();
    Error += "' failed: " + llvm::StringRef(Message).trim().str();
  }
  return Text;
}
} // namespace

std::string changedLinesFromGit(llvm::StringRef Ref, ChangedLines &Out) {
  std::string Error;
  std::string Top = llvm::StringRef(runGit({"rev-parse", "--show-toplevel"}, Error)).trim().str();
  if (!Error.empty())
    return Error;
  std::string Diff = runGit({"-C", Top, "diff", "-U0", "-M", "--no-color", "--no-ext-diff", Ref, "--"},
                            Error);
  if (!Error.empty())
    return Error;
  return readUnifiedDiff(Diff, Top, Out);
}

unsigned keepChangedFindings(std::vector<ResolvedFinding> &Findings, const ChangedLines &Lines) {
  auto IsNew = [&](const ResolvedFinding &F) {
    auto OnChangedLine = [&](const ResolvedLocation &L) {
      auto File = Lines.find(L.File);
      return File != Lines.end() && File->second.count(L.Line);
    };
    if (OnChangedLine(F.Location) || llvm::any_of(F.Notes, [&](const ResolvedNote &N) {
          return OnChangedLine(N.Location);
        }))
      return true;
    // A change inside the path (between its first and last line in the finding's file) can
    // have made it: the _exit that ended the child, deleted or edited away.
    auto File = Lines.find(F.Location.File);
    if (File == Lines.end())
      return false;
    unsigned First = F.Location.Line, Last = F.Location.Line;
    for (const ResolvedNote &N : F.Notes)
      if (N.Location.File == F.Location.File && N.Location.isValid()) {
        First = std::min(First, N.Location.Line);
        Last = std::max(Last, N.Location.Line);
      }
    auto Changed = File->second.lower_bound(First);
    return Changed != File->second.end() && *Changed <= Last;
  };
  size_t Before = Findings.size();
  Findings.erase(std::remove_if(Findings.begin(), Findings.end(),
                                [&](const ResolvedFinding &F) { return !IsNew(F); }),
                 Findings.end());
  return Before - Findings.size();
}

} // namespace forkhazard::cli
