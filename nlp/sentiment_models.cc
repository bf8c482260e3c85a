#include "nlp/sentiment_models.h"

#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp {
namespace {

constexpr char kHeader[] =
    "# Sentiment models and what each serves (nlp/sentiment_models.h),\n"
    "# written by opinia-train from its training table.\n"
    "# name\tdomain\tlanguages\tlength_k\n";

absl::string_view DomainName(TextDomain d) {
  return d == TextDomain::kTweet ? "tweet" : "review";
}

}  // namespace

absl::StatusOr<std::vector<SentimentModelRow>> ParseSentimentModels(
    absl::string_view text, absl::string_view file) {
  std::vector<SentimentModelRow> rows;
  std::set<std::pair<std::string, TextDomain>> seen;
  int any_rows = 0;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ":", line_no, ": ", what));
    };
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() != 4) return error("want name, domain, languages, length_k");
    SentimentModelRow row;
    row.name = std::string(f[0]);
    if (row.name.empty()) return error("empty model name");
    if (f[1] == "review") {
      row.domain = TextDomain::kReview;
    } else if (f[1] == "tweet") {
      row.domain = TextDomain::kTweet;
    } else {
      return error(absl::StrCat("unknown domain '", f[1], "'"));
    }
    row.languages = absl::StrSplit(f[2], ',', absl::SkipEmpty());
    if (row.languages.empty()) return error("no language");
    for (const std::string& l : row.languages) {
      if (l == kAnyLanguage) ++any_rows;
      if (!seen.emplace(l, row.domain).second) {
        return error(absl::StrCat("language '", l, "' has a ", f[1],
                                  " model already"));
      }
    }
    if (!absl::SimpleAtof(f[3], &row.length_k) || !(row.length_k >= 0)) {
      return error(absl::StrCat("bad length_k '", f[3], "'"));
    }
    rows.push_back(std::move(row));
  }
  if (any_rows != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": exactly one row must list '*' (the model for every other "
              "language), found ", any_rows));
  }
  return rows;
}

absl::StatusOr<std::vector<SentimentModelRow>> LoadSentimentModels(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseSentimentModels(text.str(), path);
}

std::string FormatSentimentModels(const std::vector<SentimentModelRow>& rows) {
  std::string out = kHeader;
  for (const SentimentModelRow& r : rows) {
    absl::StrAppend(&out, r.name, "\t", DomainName(r.domain), "\t",
                    absl::StrJoin(r.languages, ","), "\t",
                    absl::StrFormat("%g", r.length_k), "\n");
  }
  return out;
}

}  // namespace opinia::nlp
