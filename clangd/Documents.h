// The editor's view of the open documents: their text (unsaved edits included), version and
// path, kept up to date from didOpen/didChange, and LSP positions converted to and from byte
// offsets in the negotiated position encoding.
#ifndef FORK_HAZARD_CLANGD_DOCUMENTS_H
#define FORK_HAZARD_CLANGD_DOCUMENTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <optional>
#include <string>

namespace forkhazard::clangd {

/// How LSP counts the characters of a line (LSP 3.17 positionEncoding; clangd's offsetEncoding).
enum class PositionEncoding { UTF8, UTF16, UTF32 };
std::optional<PositionEncoding> parseEncoding(llvm::StringRef Name);
llvm::StringRef encodingName(PositionEncoding Encoding);

/// The byte offset of an LSP position in Text (clamped to the line and the text, as clangd
/// does with positions past the end).
size_t offsetOf(llvm::StringRef Text, int64_t Line, int64_t Character, PositionEncoding Encoding);
/// How many characters of Encoding the UTF-8 text Prefix counts.
unsigned lengthIn(llvm::StringRef Prefix, PositionEncoding Encoding);
/// The LSP position of byte Offset in Text.
llvm::json::Object positionOf(llvm::StringRef Text, size_t Offset, PositionEncoding Encoding);

/// Applies one didChange contentChanges entry (a range and its new text, or the whole text).
/// Returns "" or what is wrong with it.
std::string applyChange(std::string &Text, const llvm::json::Object &Change,
                        PositionEncoding Encoding);

/// A file URI's path ("file:///a%20b.c" -> "/a b.c"); "" for another scheme.
std::string pathFromUri(llvm::StringRef Uri);
std::string uriFromPath(llvm::StringRef Path);

struct Document {
  std::string Path;
  std::string Text;
  int64_t Version = 0;
};

} // namespace forkhazard::clangd

#endif
