// AspectExtractor: which parts of the customer journey a review talks about
// (PRODUCT_QUALITY, PRICE, DELIVERY, RETURNS, PAYMENT, CUSTOMER_SERVICE,
// USABILITY, PACKAGING) and how the customer feels about each.
//
// Mentions are found with the phrase lexicon models/aspects.tsv (format in
// lexicon_file.h, phrase syntax in term_matcher.h): stems and prefixes for
// inflection ("dostaw*" finds dostawa, dostawy, dostawę, dostawie),
// suffixes for German compounds ("*lieferung"), multi-word phrases
// ("łatwy w obsłudze" is USABILITY although "obsługa" alone is
// CUSTOMER_SERVICE) and stop phrases for false friends ("za pomocą").
//
// Immutable and thread-safe once built; Extract() does no per-token
// allocation (a few microseconds for a short review).
#ifndef OPINIA_NLP_ASPECTS_H_
#define OPINIA_NLP_ASPECTS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/analysis.h"
#include "nlp/term_matcher.h"
#include "nlp/text.h"

namespace opinia::nlp {

// The sentiment of one clause (tokens [first_token, end_token) of a
// sentence): what an aspect mentioned in it feels like.
struct ClauseSentiment {
  int first_token = 0;
  int end_token = 0;
  Sentiment sentiment;
  // The clause judges something with evidence of its own (not its
  // sentence's): without an aspect term or a shop word, what it judges is
  // the product ("Works like a charm", "Incredibly comfortable shoes").
  bool opinion = false;
  // Its weight in the sentence (a clause before "but" weighs less): an
  // aspect mentioned in several clauses takes their weighted mean.
  float weight = 1;
  // A wait was scored in the clause (nlp/polarity_rules.h, Clause::wait):
  // without an aspect term of its own it speaks of the delivery.
  bool wait = false;
  // The clause tells a failure event (nlp/polarity_rules.h, Clause::failure:
  // "fell off", "zaczął przeciekać"): a complaint without an opinion word.
  bool failure = false;
  // The clause wins over a neighbour of the other sign
  // (SettleDecidingSides): it
  // is opened by a contrast word ("but the paint was flaking") or is the main clause
  // of a concession ("Although the box was nice, it broke").
  bool decides = false;
};

// The clauses of one sign that judge an aspect: running totals.
struct AspectSide {
  int clauses = 0;
  float weight_sum = 0;
  float score_sum = 0;
  float confidence_sum = 0;
  bool decides = false;  // one of them decides (ClauseSentiment::decides)
  int last_unit = -1;    // the last of them
  std::vector<Span> evidence;
};

// An aspect judged in clauses of both signs: its index in Extract's result
// and what each side says ([0] positive clauses, [1] negative ones).
struct TwoSidedAspect {
  size_t index = 0;
  AspectSide sides[2];
  // The side a later clause that names nothing joined (Extract's
  // late_turn; -1: none): it decides.
  int late_side = -1;
};

// Sets each aspect of `two_sided` (judged in clauses of both signs) to its
// deciding side: the side a late clause joined (TwoSidedAspect::late_side),
// else the side whose clauses decide (ClauseSentiment::decides), else the
// one of `review_sign` (+1 POSITIVE, -1 NEGATIVE), else that of its last
// clause, with that side's evidence. `two_sided` comes from the
// Extract call that returned `aspects`; its evidence is moved out.
void SettleDecidingSides(std::vector<TwoSidedAspect>& two_sided,
                         int review_sign,
                         std::vector<AspectSentiment>* aspects);

class AspectExtractor {
 public:
  // Loads `models_dir`/aspects.tsv. NOT_FOUND when the file is missing;
  // INVALID_ARGUMENT (naming the line) for a malformed line or an unknown
  // aspect name.
  static absl::StatusOr<std::unique_ptr<AspectExtractor>> Create(
      const std::string& models_dir);

  // `t` is Tokenize(text); sentences[i] is the sentiment of t.sentences[i]
  // (a missing entry counts as neutral with confidence 0). `language` selects
  // the lexicon ("pl", "en-US"); an unknown or empty language ("und") tries
  // every lexicon.
  //
  // Returns one AspectSentiment per aspect mentioned, in order of first
  // mention. Its sentiment combines the sentences that mention it, each
  // sentence counted once: score and confidence are their means (the score
  // weighted by each clause's weight, with `clauses`); the label is
  // MIXED when they include both a positive and a negative sentence (or a
  // mixed one), else NEGATIVE or POSITIVE when any is, else NEUTRAL. Its
  // evidence is the byte span of each mention in `text` (at most
  // kMaxEvidence per aspect, first ones kept).
  //
  // With `clauses` (in token order, from the compositional layer), a mention
  // takes the sentiment of the clause it stands in instead of its
  // sentence's ("a bit overpriced, but the quality is excellent": PRICE
  // negative, PRODUCT_QUALITY positive), each clause counted once. A
  // clause with an opinion of its own that names no aspect and no SHOP
  // word ("store", "sklep", "Händler") is about the product: it counts
  // for PRODUCT_QUALITY with the clause as its evidence. An aspect judged
  // both ways is the mean of its clauses; with `two_sided`, those aspects
  // are also handed out with their two sides, for SettleDecidingSides once
  // the caller knows the review's label.
  //
  // With `late_turn` (SentimentParams::aspects_late_turn), a product
  // story that turns gives PRODUCT_QUALITY its late complaint: a later
  // clause read negative that names no aspect and no shop word, has no
  // opinion word, wait or speed word of its own and goes on about the same
  // thing (a failure event, ClauseSentiment::failure, or a pronoun or
  // demonstrative among its first words: "it", "sie", "się", "il") joins
  // the product when the product is the aspect named or judged last
  // before it and reads positive so far; its span is evidence and its side
  // the aspect's TwoSidedAspect::late_side ("The kettle looks lovely.
  // After two weeks it started leaking."). Without `late_turn`,
  // `late_found` (when given) says whether such a clause would join: the
  // same call with `late_turn` returns the same aspects when it is false.
  //
  // With `late_part` (SentimentParams::aspects_late_part; the caller's
  // review is NEGATIVE), a clause read negative that names a part of the
  // product (a PART term: "the middle shelves have bowed") and no aspect,
  // after a clause that named or judged the product, joins PRODUCT_QUALITY
  // and decides for it (TwoSidedAspect::late_side). `late_part_found`, as
  // `late_found`, says whether one would join.
  std::vector<AspectSentiment> Extract(
      std::string_view text, const TokenizedText& t, std::string_view language,
      const std::vector<SentenceSentiment>& sentences,
      const std::vector<ClauseSentiment>* clauses = nullptr,
      std::vector<TwoSidedAspect>* two_sided = nullptr, bool late_turn = false,
      bool* late_found = nullptr, bool late_part = false,
      bool* late_part_found = nullptr) const;

  static constexpr int kMaxEvidence = 16;

 private:
  explicit AspectExtractor(std::unique_ptr<TermMatcher> matcher)
      : matcher_(std::move(matcher)) {}

  std::unique_ptr<TermMatcher> matcher_;
};

// "DELIVERY" for Aspect::kDelivery; "ASPECT_UNSPECIFIED" for kUnspecified.
std::string_view AspectName(Aspect aspect);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ASPECTS_H_
