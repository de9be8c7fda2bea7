#include "core/Reporter.h"

#include "analysis/SourceOrder.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/Hashing.h"

using namespace clang;

namespace forkhazard {

void Reporter::add(Finding F) {
  F.Check = CurrentCheck;
  if (F.Location.isInvalid() || SM.isInSystemHeader(SM.getExpansionLoc(F.Location)))
    return;
  auto Key = std::make_pair(static_cast<unsigned>(llvm::hash_value(F.Check)),
                            SM.getExpansionLoc(F.Location).getRawEncoding());
  if (!Seen.insert(Key).second)
    return;
  Pending.push_back(std::move(F));
}

unsigned Reporter::flush(FindingSink &Sink) {
  sortInSourceOrder(Pending, SM, [&](const Finding &F) { return SM.getExpansionLoc(F.Location); });
  unsigned Count = Pending.size();
  for (const Finding &F : Pending)
    Sink.report(F, SM);
  Pending.clear();
  return Count;
}

} // namespace forkhazard
