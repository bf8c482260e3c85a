#include "nlp/tools/router_data.h"

#include <fstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlp/sentiment.h"
#include "nlp/tools/tsv.h"
#include "util/status_macros.h"

namespace opinia::nlp::tools {

std::string StripPostMarks(const std::string& text) {
  std::vector<std::string> kept;
  bool first = true;
  for (absl::string_view w : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    const bool rt = first && w == "RT";
    first = false;
    if (rt || absl::StartsWith(w, "@") || absl::StartsWithIgnoreCase(w, "http")) continue;
    while (absl::ConsumePrefix(&w, "#")) {
    }
    if (!w.empty()) kept.emplace_back(w);
  }
  return absl::StrJoin(kept, " ");
}

absl::StatusOr<std::map<std::string, int>> WriteRouterData(const std::string& data_dir,
                                                           const std::string& corpus_dir,
                                                           const std::string& out_dir,
                                                           const RouterDataOptions& options) {
  std::map<std::string, int> counts;
  auto open = [&](const std::string& name, std::ofstream* out) -> absl::Status {
    out->open(out_dir + "/" + name, std::ios::binary);
    *out << "lang\tlabel\tstars\ttext\n";
    if (!*out) return absl::InternalError("cannot write " + out_dir + "/" + name);
    return absl::OkStatus();
  };
  auto write = [&](std::ofstream& out, const std::string& lang, const char* label,
                   const std::string& text) {
    if (text.empty()) return;
    out << lang << '\t' << label << "\t\t" << text << '\n';
    ++counts[absl::StrCat(label, " ", lang)];
  };
  std::ofstream posts, reviews;
  RETURN_IF_ERROR(open("router_posts.tsv", &posts));
  RETURN_IF_ERROR(open("router_reviews.tsv", &reviews));
  ASSIGN_OR_RETURN(std::vector<Example> tweets,
                   ReadTsv(data_dir + "/sentiment/multi_tweets.train.tsv"));
  for (const Example& e : tweets) {
    if (!LooksLikeTweet(e.text)) {
      write(posts, e.lang, "post", e.text);
    } else if (options.stripped) {
      const std::string plain = StripPostMarks(e.text);
      if (!LooksLikeTweet(plain)) write(posts, e.lang, "post", plain);
    }
  }
  std::vector<std::string> files;
  for (const char* f : {"pl_clarin_emo", "en_amazon_reviews", "en_uci_sentences"}) {
    files.push_back(absl::StrCat(data_dir, "/sentiment/", f, ".train.tsv"));
  }
  for (const char* lang : {"pl", "en", "de", "es", "fr", "it"}) {
    files.push_back(absl::StrCat(corpus_dir, "/shop_", lang, ".tsv:train"));
  }
  if (!options.translated_dir.empty()) {
    for (const char* lang : {"es", "fr", "it", "pt"}) {
      for (const char* f : {"amazon_reviews", "uci_sentences"}) {
        files.push_back(absl::StrCat(options.translated_dir, "/sentiment/", lang, "_", f, ".train.tsv"));
      }
    }
  }
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(std::vector<Example> rows, ReadTsv(file));
    std::map<std::string, int> per_lang;
    for (const Example& e : rows) ++per_lang[e.lang];
    std::map<std::string, int> seen;
    for (const Example& e : rows) {
      const int n = per_lang[e.lang];
      const int i = seen[e.lang]++;
      // Every k-th row, k = n / cap rounded up.
      if (options.review_cap > 0 && n > options.review_cap &&
          i % ((n + options.review_cap - 1) / options.review_cap) != 0) {
        continue;
      }
      write(reviews, e.lang, "review", e.text);
    }
  }
  posts.close();
  reviews.close();
  if (!posts || !reviews) return absl::InternalError("cannot write the router data in " + out_dir);
  return counts;
}

}  // namespace opinia::nlp::tools
