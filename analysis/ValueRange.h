// What the per-role facts know of one integer (or pointer) value: a closed interval, optionally
// without zero. One domain for constants (`flag = 1`), values known nonzero or non-null
// (`if (p)`), ranges from relational tests (`shard >= 0`, a loop index counting up from 0) and
// the result of a fork in a process that continued as its parent (-1 or a pid, never 0).
#ifndef FORK_HAZARD_VALUE_RANGE_H
#define FORK_HAZARD_VALUE_RANGE_H

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

namespace forkhazard {

/// Closed interval of values a fork's result may have in one process.
struct PidRange {
  int64_t Low, High;
};
constexpr PidRange ChildPid{0, 0};
constexpr PidRange ParentPid{1, INT64_MAX};
constexpr PidRange FailedPid{-1, -1};

/// What a forking function returns to each process of its fork, when that tells them apart
/// (analysis/RoleTellingCalls.h).
struct RoleTellingValues {
  PidRange Child, Parent;
  std::optional<PidRange> Failed; // none: it never returns when the fork fails
};

struct ValueRange {
  static constexpr int64_t Min = std::numeric_limits<int64_t>::min();
  static constexpr int64_t Max = std::numeric_limits<int64_t>::max();
  int64_t Low = Min, High = Max;
  bool NonZero = false; // zero is excluded even though Low <= 0 <= High

  static ValueRange unknown() { return ValueRange(); }
  static ValueRange exactly(int64_t Value) { return between(Value, Value); }
  static ValueRange between(int64_t Low, int64_t High, bool NonZero = false) {
    ValueRange Range;
    Range.Low = Low;
    Range.High = High;
    Range.NonZero = NonZero;
    Range.normalize();
    return Range;
  }
  static ValueRange nonZero() { return between(Min, Max, true); }

  bool isEmpty() const { return Low > High; }
  bool isUnknown() const { return Low == Min && High == Max && !NonZero; }
  std::optional<int64_t> constant() const {
    if (Low == High)
      return Low;
    return std::nullopt;
  }
  bool excludesZero() const { return NonZero || Low > 0 || High < 0; }
  bool isZero() const { return Low == 0 && High == 0; }
  bool operator==(const ValueRange &Other) const {
    return Low == Other.Low && High == Other.High && NonZero == Other.NonZero;
  }
  bool operator!=(const ValueRange &Other) const { return !(*this == Other); }
  /// Whether every value Other allows is one this allows.
  bool contains(const ValueRange &Other) const {
    return Other.isEmpty() ||
           (Low <= Other.Low && Other.High <= High && (!NonZero || Other.excludesZero()));
  }

  /// The smallest range holding both (the join of two paths).
  ValueRange hull(const ValueRange &Other) const {
    if (isEmpty())
      return Other;
    if (Other.isEmpty())
      return *this;
    return between(std::min(Low, Other.Low), std::max(High, Other.High),
                   excludesZero() && Other.excludesZero());
  }
  /// The values both allow (a test's edge applied to what was known).
  ValueRange intersect(const ValueRange &Other) const {
    return between(std::max(Low, Other.Low), std::min(High, Other.High),
                   NonZero || Other.NonZero);
  }
  /// Hull, but a bound that moved goes straight to the end of Bounds (widening: a loop index
  /// counting up from 0 becomes [0, max] after a few rounds instead of one round per value).
  ValueRange widen(const ValueRange &Other, const ValueRange &Bounds) const {
    ValueRange Joined = hull(Other);
    if (Joined.Low < Low)
      Joined.Low = Bounds.Low;
    if (Joined.High > High)
      Joined.High = Bounds.High;
    Joined.normalize();
    return Joined;
  }

private:
  /// Zero at an end of the interval is cut off when excluded; the flag is kept only where it
  /// says more than the bounds.
  void normalize() {
    if (NonZero && Low == 0)
      Low = 1;
    if (NonZero && High == 0)
      High = -1;
    if (Low > 0 || High < 0 || Low > High)
      NonZero = false;
  }
};

} // namespace forkhazard

#endif
