#include "service/cli/term_chart.h"

#include <algorithm>
#include <cmath>

namespace opinia::cli {

std::string Sparkline(const std::vector<double>& values) {
  static const char* const kTicks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty()) return "";
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  std::string out;
  for (double v : values) {
    int i = 0;
    if (*hi > *lo) i = static_cast<int>(std::lround(7 * (v - *lo) / (*hi - *lo)));
    out += kTicks[std::clamp(i, 0, 7)];
  }
  return out;
}

std::string Bar(double fraction, int width) {
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (!(fraction > 0)) return "";
  const int eighths =
      static_cast<int>(std::lround(std::min(fraction, 1.0) * width * 8));
  std::string out;
  for (int i = 0; i < eighths / 8; ++i) out += "█";
  out += kEighths[eighths % 8];
  return out;
}

}  // namespace opinia::cli
