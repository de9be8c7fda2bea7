// Sorting findings and their parts into source order, keeping the order of equal locations.
// (Not std::stable_sort: libstdc++'s uses get_temporary_buffer, deprecated in newer clangs.)
#ifndef FORK_HAZARD_SOURCE_ORDER_H
#define FORK_HAZARD_SOURCE_ORDER_H

#include "clang/Basic/SourceManager.h"
#include <algorithm>
#include <vector>

namespace forkhazard {

/// Sorts Items by LocationOf(item) in translation-unit order; equal locations keep their order.
template <typename T, typename LocationFn>
void sortInSourceOrder(std::vector<T> &Items, const clang::SourceManager &SM,
                       LocationFn LocationOf) {
  std::vector<size_t> Order(Items.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    clang::SourceLocation LA = LocationOf(Items[A]), LB = LocationOf(Items[B]);
    if (LA != LB)
      return SM.isBeforeInTranslationUnit(LA, LB);
    return A < B;
  });
  std::vector<T> Sorted;
  Sorted.reserve(Items.size());
  for (size_t I : Order)
    Sorted.push_back(std::move(Items[I]));
  Items = std::move(Sorted);
}

} // namespace forkhazard

#endif
