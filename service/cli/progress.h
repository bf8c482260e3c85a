// Ingest progress on stderr: a redrawn bar on a terminal, a plain line every
// few seconds otherwise (logs, CI), nothing when disabled.
#ifndef OPINIA_SERVICE_CLI_PROGRESS_H_
#define OPINIA_SERVICE_CLI_PROGRESS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace opinia::cli {

class Progress {
 public:
  enum class Mode { kOff, kBar, kLines };

  // kBar when stderr is a terminal, else kLines; kOff when `enabled` is false.
  static Mode DefaultMode(bool enabled);

  // `total_bytes` 0 means unknown (stdin): no percentage is shown.
  Progress(Mode mode, uint64_t total_bytes);

  // Called after each batch; prints when the mode's interval has passed.
  void Update(uint64_t bytes_done, int64_t items_done);
  // Clears the bar (kBar) so the summary starts on a clean line.
  void Finish();

 private:
  void Print(uint64_t bytes_done, int64_t items_done, absl::Time now);

  const Mode mode_;
  const uint64_t total_bytes_;
  const absl::Time start_;
  absl::Time last_print_;
  bool printed_ = false;
};

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_PROGRESS_H_
