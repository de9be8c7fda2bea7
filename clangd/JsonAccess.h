// Reading llvm::json values the same way on every LLVM: their accessors return llvm::Optional
// before LLVM 16 and std::optional after; these return std::optional.
#ifndef FORK_HAZARD_CLANGD_JSON_ACCESS_H
#define FORK_HAZARD_CLANGD_JSON_ACCESS_H

#include "llvm/Support/JSON.h"
#include <optional>

namespace forkhazard::clangd {

template <typename T, typename Optional> std::optional<T> standard(const Optional &Value) {
  if (Value)
    return T(*Value);
  return std::nullopt;
}

inline std::optional<llvm::StringRef> stringOf(const llvm::json::Object &O, llvm::StringRef Key) {
  return standard<llvm::StringRef>(O.getString(Key));
}
inline std::optional<int64_t> integerOf(const llvm::json::Object &O, llvm::StringRef Key) {
  return standard<int64_t>(O.getInteger(Key));
}
inline std::optional<bool> booleanOf(const llvm::json::Object &O, llvm::StringRef Key) {
  return standard<bool>(O.getBoolean(Key));
}
inline std::optional<llvm::StringRef> asString(const llvm::json::Value &V) {
  return standard<llvm::StringRef>(V.getAsString());
}

} // namespace forkhazard::clangd

#endif
