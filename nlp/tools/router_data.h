// Training examples for the post/review router (nlp/tweet_router.h;
// models/README.md, "Tweet router (seventh pass)"): social-media posts
// against reviews and shop messages, from TRAIN data only.
#ifndef OPINIA_NLP_TOOLS_ROUTER_DATA_H_
#define OPINIA_NLP_TOOLS_ROUTER_DATA_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace opinia::nlp::tools {

struct RouterDataOptions {
  // Posts: the tweets LooksLikeTweet() does not route (what the router
  // sees), plus, with `stripped`, the marked ones with their marks (RT,
  // @mentions, #, links) taken out.
  bool stripped = true;
  // At most this many reviews per language and source file (every k-th
  // row), 0: all. 3000 keeps the English and Polish sets and the
  // translations (4,670 Amazon reviews per language) from outweighing the
  // ~1,800 posts of a language (models/README.md, "Tweet router (seventh
  // pass)").
  int review_cap = 3000;
  // Where scripts/translate_reviews.sh wrote the machine-translated
  // English reviews (es, fr, it, pt: the review side of those languages
  // beside the shop corpus; Portuguese has no other); empty: not read.
  std::string translated_dir;
};

// The inputs: <data_dir>/sentiment/multi_tweets.train.tsv (posts) and
// pl_clarin_emo, en_amazon_reviews, en_uci_sentences train splits and
// <corpus_dir>/shop_<lang>.tsv:train for the six corpus languages, and
// the translated amazon_reviews and uci_sentences train splits of
// options.translated_dir (reviews).
// Writes <out_dir>/router_posts.tsv and router_reviews.tsv (the
// ../shared/data format: lang, label "post" or "review", stars, text);
// returns the rows written per "label lang". NOT_FOUND / INVALID_ARGUMENT
// from ReadTsv; INTERNAL when an output file cannot be written.
absl::StatusOr<std::map<std::string, int>> WriteRouterData(const std::string& data_dir,
                                                           const std::string& corpus_dir,
                                                           const std::string& out_dir,
                                                           const RouterDataOptions& options);

// `text` without the marks of a post: a leading "RT ", @mentions, links
// (also a bare "http"), the '#' of hashtags (the word stays); spaces
// collapsed.
std::string StripPostMarks(const std::string& text);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_ROUTER_DATA_H_
