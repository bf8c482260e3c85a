// Reads ReviewInput items from a JSONL or CSV file, one at a time, with the
// file line each came from so that rejections can point at it.
#ifndef OPINIA_SERVICE_CLI_REVIEW_READER_H_
#define OPINIA_SERVICE_CLI_REVIEW_READER_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "opinia/v1/reviews.pb.h"

namespace opinia::cli {

enum class FileFormat { kJsonl, kCsv };

// "jsonl"/"json"/"ndjson" or "csv" from --format, else from the file name's
// extension. INVALID_ARGUMENT when neither says.
absl::StatusOr<FileFormat> DetectFormat(absl::string_view path,
                                        absl::string_view format_flag);

struct ReadItem {
  enum class Kind { kReview, kBadLine, kEnd };
  Kind kind = Kind::kEnd;
  int line = 0;                    // 1-based line where the item starts
  opinia::v1::ReviewInput review;  // kReview
  std::string error;               // kBadLine: why the line was not read
};

class ReviewReader {
 public:
  virtual ~ReviewReader() = default;

  // JSONL: one ReviewInput per line in proto JSON (field names as in the
  // .proto or lowerCamelCase); blank lines are skipped; unknown fields are
  // errors. CSV: a header row naming ReviewInput fields (`attributes.KEY`
  // columns fill the attributes map; create_time/update_time in RFC 3339 or
  // YYYY-MM-DD). `in` must outlive the reader. INVALID_ARGUMENT for a CSV
  // header that names unknown or repeated columns.
  static absl::StatusOr<std::unique_ptr<ReviewReader>> Create(
      std::istream* in, FileFormat format);

  virtual ReadItem Next() = 0;
  virtual uint64_t bytes_read() const = 0;
};

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_REVIEW_READER_H_
