#include "service/storage/sqlite/aspects_json.h"

#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace opinia::storage::sqlite {
namespace {

// The number that follows `pos` (up to the next ',' of the object); 0
// when there is none.
double NumberAt(std::string_view object, size_t pos) {
  const size_t end = object.find(',', pos);
  double value = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(absl::string_view(
                            object.data() + pos,
                            (end == std::string_view::npos ? object.size()
                                                           : end) -
                                pos)),
                        &value)) {
    return 0;
  }
  return value;
}

std::string ScoreText(float score) {
  return absl::StrFormat("%.9g", std::isfinite(score) ? score : 0.0f);
}

}  // namespace

double StoredScore(float score) {
  double value = 0;
  return absl::SimpleAtod(ScoreText(score), &value) ? value : 0;
}

std::string AspectsToJson(const std::vector<ReviewAspect>& aspects) {
  std::string out = "[";
  for (const ReviewAspect& a : aspects) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", "{\"a\":", a.aspect,
                    ",\"l\":", a.label, ",\"s\":",
                    ScoreText(a.score), ",\"b\":", a.begin,
                    ",\"e\":", a.end, "}");
  }
  out.push_back(']');
  return out;
}

std::vector<ReviewAspect> AspectsFromJson(std::string_view json) {
  std::vector<ReviewAspect> out;
  size_t pos = 0;
  while ((pos = json.find('{', pos)) != std::string_view::npos) {
    const size_t close = json.find('}', pos);
    if (close == std::string_view::npos) break;
    const std::string_view object = json.substr(pos, close - pos);
    auto member = [&](const char* key) -> double {
      const std::string quoted = absl::StrCat("\"", key, "\":");
      const size_t at = object.find(quoted);
      return at == std::string_view::npos ? 0
                                          : NumberAt(object, at + quoted.size());
    };
    ReviewAspect a;
    a.aspect = static_cast<int32_t>(member("a"));
    a.label = static_cast<int32_t>(member("l"));
    a.score = static_cast<float>(member("s"));
    a.begin = static_cast<int32_t>(member("b"));
    a.end = static_cast<int32_t>(member("e"));
    out.push_back(a);
    pos = close + 1;
  }
  return out;
}

}  // namespace opinia::storage::sqlite
