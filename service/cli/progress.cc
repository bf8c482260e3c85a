#include "service/cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace opinia::cli {

Progress::Mode Progress::DefaultMode(bool enabled) {
  if (!enabled) return Mode::kOff;
  return isatty(STDERR_FILENO) ? Mode::kBar : Mode::kLines;
}

Progress::Progress(Mode mode, uint64_t total_bytes)
    : mode_(mode),
      total_bytes_(total_bytes),
      start_(absl::Now()),
      last_print_(absl::InfinitePast()) {}

void Progress::Update(uint64_t bytes_done, int64_t items_done) {
  if (mode_ == Mode::kOff) return;
  const absl::Time now = absl::Now();
  const absl::Duration interval =
      mode_ == Mode::kBar ? absl::Milliseconds(100) : absl::Seconds(5);
  if (now - last_print_ < interval) return;
  last_print_ = now;
  Print(bytes_done, items_done, now);
}

void Progress::Print(uint64_t bytes_done, int64_t items_done, absl::Time now) {
  const double seconds = std::max(1e-3, absl::ToDoubleSeconds(now - start_));
  const double rate = items_done / seconds;
  const double fraction =
      total_bytes_ > 0
          ? std::min(1.0, static_cast<double>(bytes_done) / total_bytes_)
          : -1;
  if (mode_ == Mode::kBar) {
    std::string bar;
    if (fraction >= 0) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(fraction * kWidth);
      bar = absl::StrFormat("[%s%s] %3d%% ", std::string(filled, '#'),
                            std::string(kWidth - filled, '.'),
                            static_cast<int>(fraction * 100));
    }
    std::fprintf(stderr, "\r%s%lld reviews  %.0f/s ", bar.c_str(),
                 static_cast<long long>(items_done), rate);
  } else {
    std::string percent =
        fraction >= 0
            ? absl::StrFormat(" (%d%%)", static_cast<int>(fraction * 100))
            : "";
    std::fprintf(stderr, "ingest: %lld reviews sent%s, %.0f/s\n",
                 static_cast<long long>(items_done), percent.c_str(), rate);
  }
  std::fflush(stderr);
  printed_ = true;
}

void Progress::Finish() {
  if (mode_ == Mode::kBar && printed_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace opinia::cli
