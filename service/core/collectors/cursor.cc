#include "service/core/collectors/cursor.h"

#include <cstdint>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace opinia::core::collectors {

void SyncCursor::Advance(absl::Time key, const std::string& id) {
  if (key == absl::InfinitePast()) return;  // no time: no position
  if (key > high_water) {
    high_water = key;
    boundary_ids.clear();
  }
  if (key == high_water) boundary_ids.insert(id);
}

// "v1\n<unix micros>\n" then one C-escaped id per line.
std::string EncodeCursor(const SyncCursor& cursor) {
  if (cursor.empty()) return "";
  std::string out =
      absl::StrCat("v1\n", absl::ToUnixMicros(cursor.high_water), "\n");
  for (const std::string& id : cursor.boundary_ids) {
    absl::StrAppend(&out, absl::CEscape(id), "\n");
  }
  return out;
}

absl::StatusOr<SyncCursor> DecodeCursor(std::string_view encoded) {
  SyncCursor cursor;
  if (encoded.empty()) return cursor;
  std::vector<std::string> lines =
      absl::StrSplit(absl::string_view(encoded.data(), encoded.size()), '\n',
                     absl::SkipEmpty());
  int64_t micros = 0;
  if (lines.size() < 2 || lines[0] != "v1" ||
      !absl::SimpleAtoi(lines[1], &micros)) {
    return absl::InternalError("stored collector cursor is corrupt");
  }
  cursor.high_water = absl::FromUnixMicros(micros);
  for (size_t i = 2; i < lines.size(); ++i) {
    std::string id;
    if (!absl::CUnescape(lines[i], &id)) {
      return absl::InternalError("stored collector cursor is corrupt");
    }
    cursor.boundary_ids.insert(std::move(id));
  }
  return cursor;
}

std::string DescribeCursor(const SyncCursor& cursor) {
  if (cursor.empty()) return "";
  return absl::StrCat(absl::FormatTime(absl::RFC3339_full, cursor.high_water,
                                       absl::UTCTimeZone()),
                      " (", cursor.boundary_ids.size(),
                      cursor.boundary_ids.size() == 1 ? " id" : " ids",
                      " at this time)");
}

}  // namespace opinia::core::collectors
