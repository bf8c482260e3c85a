// Inline terminal charts from Unicode block characters.
#ifndef OPINIA_SERVICE_CLI_TERM_CHART_H_
#define OPINIA_SERVICE_CLI_TERM_CHART_H_

#include <string>
#include <vector>

namespace opinia::cli {

// One of ▁▂▃▄▅▆▇█ per value, scaled from the smallest to the largest value
// (all equal: a flat line; empty input: "").
std::string Sparkline(const std::vector<double>& values);

// A horizontal bar of `fraction` (clamped to [0, 1]) of `width` cells, in
// eighths of a cell.
std::string Bar(double fraction, int width);

}  // namespace opinia::cli

#endif  // OPINIA_SERVICE_CLI_TERM_CHART_H_
