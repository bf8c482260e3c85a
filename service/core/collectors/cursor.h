// A collector's sync position: the newest sort-key time committed (GBP:
// update time; Trustpilot: create time; feeds: update, else create time)
// and the ids seen at exactly that time, so a later page holding more
// reviews with the same timestamp is not mistaken for the synced region.
// Persisted opaque in CollectorRow::cursor, advanced only after a run's
// reviews are committed.
#ifndef OPINIA_SERVICE_CORE_COLLECTORS_CURSOR_H_
#define OPINIA_SERVICE_CORE_COLLECTORS_CURSOR_H_

#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace opinia::core::collectors {

struct SyncCursor {
  absl::Time high_water = absl::InfinitePast();  // nothing synced yet
  std::set<std::string> boundary_ids;

  bool empty() const { return high_water == absl::InfinitePast(); }
  // true when a review with this key and id lies in the synced region (a
  // review without a time never does).
  bool Covers(absl::Time key, const std::string& id) const {
    return !empty() && key != absl::InfinitePast() &&
           (key < high_water ||
            (key == high_water && boundary_ids.count(id) > 0));
  }
  // Takes a committed review into account.
  void Advance(absl::Time key, const std::string& id);
};

std::string EncodeCursor(const SyncCursor& cursor);
// "" decodes to the empty cursor. INTERNAL for a corrupt one.
absl::StatusOr<SyncCursor> DecodeCursor(std::string_view encoded);
// For CollectorState.cursor: "2026-10-05T23:00:00Z (1 id at this time)".
std::string DescribeCursor(const SyncCursor& cursor);

}  // namespace opinia::core::collectors

#endif  // OPINIA_SERVICE_CORE_COLLECTORS_CURSOR_H_
