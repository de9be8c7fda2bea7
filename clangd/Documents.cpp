#include "clangd/Documents.h"
#include "clangd/JsonAccess.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

namespace forkhazard::clangd {

std::optional<PositionEncoding> parseEncoding(llvm::StringRef Name) {
  if (Name == "utf-8")
    return PositionEncoding::UTF8;
  if (Name == "utf-16")
    return PositionEncoding::UTF16;
  if (Name == "utf-32")
    return PositionEncoding::UTF32;
  return std::nullopt;
}

llvm::StringRef encodingName(PositionEncoding Encoding) {
  switch (Encoding) {
  case PositionEncoding::UTF8:
    return "utf-8";
  case PositionEncoding::UTF16:
    return "utf-16";
  case PositionEncoding::UTF32:
    return "utf-32";
  }
  return "utf-16";
}

/// The length of the UTF-8 sequence that starts with Lead (1 for a stray byte, as clangd).
static unsigned sequenceLength(unsigned char Lead) {
  if (Lead < 0xC0)
    return 1;
  if (Lead < 0xE0)
    return 2;
  if (Lead < 0xF0)
    return 3;
  return 4;
}

/// Walks Line's characters; stops before the one that would pass Limit units. Returns the bytes
/// walked and sets Units to the units they count.
static size_t walk(llvm::StringRef Line, int64_t Limit, PositionEncoding Encoding,
                   int64_t &Units) {
  size_t Byte = 0;
  Units = 0;
  while (Byte < Line.size()) {
    unsigned Length = std::min<size_t>(sequenceLength(Line[Byte]), Line.size() - Byte);
    int64_t Width = Encoding == PositionEncoding::UTF8    ? Length
                    : Encoding == PositionEncoding::UTF32 ? 1
                                                          : (Length == 4 ? 2 : 1);
    if (Units + Width > Limit)
      break;
    Units += Width;
    Byte += Length;
  }
  return Byte;
}

size_t offsetOf(llvm::StringRef Text, int64_t Line, int64_t Character,
                PositionEncoding Encoding) {
  size_t Start = 0;
  for (int64_t I = 0; I < Line; ++I) {
    size_t NewLine = Text.find('\n', Start);
    if (NewLine == llvm::StringRef::npos)
      return Text.size();
    Start = NewLine + 1;
  }
  llvm::StringRef Rest = Text.drop_front(Start);
  llvm::StringRef LineText = Rest.take_until([](char C) { return C == '\n'; });
  int64_t Units;
  return Start + walk(LineText, std::max<int64_t>(Character, 0), Encoding, Units);
}

unsigned lengthIn(llvm::StringRef Prefix, PositionEncoding Encoding) {
  int64_t Units;
  walk(Prefix, INT64_MAX, Encoding, Units);
  return unsigned(Units);
}

llvm::json::Object positionOf(llvm::StringRef Text, size_t Offset, PositionEncoding Encoding) {
  Offset = std::min(Offset, Text.size());
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return llvm::json::Object{{"line", int64_t(Before.count('\n'))},
                            {"character", int64_t(lengthIn(Before.drop_front(LineStart), Encoding))}};
}

std::string applyChange(std::string &Text, const llvm::json::Object &Change,
                        PositionEncoding Encoding) {
  std::optional<llvm::StringRef> NewText = stringOf(Change, "text");
  if (!NewText)
    return "a content change without text";
  const llvm::json::Object *Range = Change.getObject("range");
  if (!Range) {
    Text = NewText->str();
    return "";
  }
  const llvm::json::Object *Start = Range->getObject("start");
  const llvm::json::Object *End = Range->getObject("end");
  if (!Start || !End)
    return "a content change whose range has no start or end";
  auto Offset = [&](const llvm::json::Object &Position) -> std::optional<size_t> {
    std::optional<int64_t> Line = integerOf(Position, "line");
    std::optional<int64_t> Character = integerOf(Position, "character");
    if (!Line || !Character || *Line < 0 || *Character < 0)
      return std::nullopt;
    return offsetOf(Text, *Line, *Character, Encoding);
  };
  std::optional<size_t> From = Offset(*Start), To = Offset(*End);
  if (!From || !To)
    return "a content change with an invalid position";
  if (*To < *From)
    return "a content change whose range ends before it starts";
  Text.replace(*From, *To - *From, NewText->str());
  return "";
}

std::string pathFromUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned char High, Low;
    if (Uri[I] == '%' && I + 2 < Uri.size() &&
        (High = llvm::hexDigitValue(Uri[I + 1])) != 0xFF &&
        (Low = llvm::hexDigitValue(Uri[I + 2])) != 0xFF) {
      Path += char(High * 16 + Low);
      I += 2;
    } else {
      Path += Uri[I];
    }
  }
  // "file://host/path": only the local host is ours.
  if (!Path.empty() && Path[0] != '/') {
    size_t Slash = Path.find('/');
    if (Slash == std::string::npos)
      return "";
    Path = Path.substr(Slash);
  }
  return Path;
}

std::string uriFromPath(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-_.~").contains(C))
      Uri += char(C);
    else {
      Uri += '%';
      Uri += llvm::hexdigit(C >> 4, /*LowerCase=*/false);
      Uri += llvm::hexdigit(C & 15, false);
    }
  }
  return Uri;
}

} // namespace forkhazard::clangd
