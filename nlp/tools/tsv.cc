#include "nlp/tools/tsv.h"

#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp::tools {

absl::StatusOr<std::vector<Example>> ReadTsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot open " + path);
  std::string line;
  if (!std::getline(in, line) || line.rfind("lang\tlabel\tstars\ttext", 0) != 0) {
    return absl::InvalidArgumentError("bad header in " + path);
  }
  std::vector<Example> out;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits('\t', 3));
    if (f.size() < 4) continue;
    Example e;
    e.lang = f[0];
    e.label = f[1];
    if (!f[2].empty() && !absl::SimpleAtoi(f[2], &e.stars)) e.stars = 0;
    e.text = f[3];
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace opinia::nlp::tools
