#include "nlp/aspects.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlp/lexicon_file.h"
#include "util/status_macros.h"

namespace opinia::nlp {
namespace {

constexpr int kNumAspects = 9;  // including kUnspecified at 0
// Matcher label of the SHOP words: the clause is about the shop, not the
// product; no aspect of its own.
constexpr int kShop = kNumAspects;
// Matcher label of the SPEED words ("schnell", "super fast"): no aspect of
// their own; a clause naming nothing else with one speaks of the delivery.
constexpr int kSpeed = kNumAspects + 1;
// Matcher label of the PART words ("handle", "shelf", "Reißverschluss"): a
// part of the product, no aspect of its own; a late clause read negative
// that names one joins the product in a NEGATIVE review (Extract's
// late_part).
constexpr int kPart = kNumAspects + 2;
// A clause scoring beyond this either way judges something (for the product
// default below).
constexpr float kOpinionScore = 0.05f;

constexpr std::array<std::string_view, kNumAspects> kAspectNames = {
    "ASPECT_UNSPECIFIED", "PRODUCT_QUALITY", "PRICE",
    "DELIVERY",           "RETURNS",         "PAYMENT",
    "CUSTOMER_SERVICE",   "USABILITY",       "PACKAGING"};

using Side = AspectSide;

// Per-aspect running totals while scanning one review.
struct Tally {
  int first_mention = -1;  // order of first mention; -1 = not mentioned
  bool named = false;      // a term of the aspect, not only the default product
  int last_unit = -1;
  int sentences = 0;
  int positive = 0;
  int negative = 0;
  int mixed = 0;
  float weight_sum = 0;
  float score_sum = 0;
  float confidence_sum = 0;
  std::vector<Span> evidence;
  Side sides[2];  // [0] positive clauses, [1] negative ones
  int late_side = -1;  // TwoSidedAspect::late_side

  // The side of sentiment `s`, or null when it judges neither way.
  Side* SideOf(const Sentiment& s) {
    if (s.score > kOpinionScore) return &sides[0];
    if (s.score < -kOpinionScore) return &sides[1];
    return nullptr;
  }

  // A mention's span, for the aspect and for the side of its sentiment `s`.
  void AddEvidence(const Span& span, const Sentiment& s) {
    if (static_cast<int>(evidence.size()) < AspectExtractor::kMaxEvidence) {
      evidence.push_back(span);
    }
    Side* side = SideOf(s);
    if (side != nullptr &&
        static_cast<int>(side->evidence.size()) < AspectExtractor::kMaxEvidence) {
      side->evidence.push_back(span);
    }
  }

  // One more sentence (or clause: `unit`, deciding or not) of weight
  // `weight` that feels like `s`.
  void Add(const Sentiment& s, float weight, int unit = -1, bool decides = false) {
    ++sentences;
    weight_sum += weight;
    score_sum += weight * s.score;
    confidence_sum += s.confidence;
    positive += s.label == SentimentLabel::kPositive;
    negative += s.label == SentimentLabel::kNegative;
    mixed += s.label == SentimentLabel::kMixed;
    if (Side* side = SideOf(s)) {
      ++side->clauses;
      side->weight_sum += weight;
      side->score_sum += weight * s.score;
      side->confidence_sum += s.confidence;
      side->decides = side->decides || decides;
      side->last_unit = std::max(side->last_unit, unit);
    }
  }
};

Sentiment Combine(const Tally& a) {
  Sentiment s;
  const float n = static_cast<float>(a.sentences);
  s.score = a.score_sum / a.weight_sum;
  s.confidence = a.confidence_sum / n;
  if (a.mixed > 0 || (a.positive > 0 && a.negative > 0)) {
    s.label = SentimentLabel::kMixed;
  } else if (a.negative > 0) {
    s.label = SentimentLabel::kNegative;
  } else if (a.positive > 0) {
    s.label = SentimentLabel::kPositive;
  } else {
    s.label = SentimentLabel::kNeutral;
  }
  return s;
}

// The side that decides for an aspect judged both ways
// (SettleDecidingSides), or -1 when it is judged one way only.
int DecidingSide(const Side (&sides)[2], int late_side, int review_sign) {
  const Side& pos = sides[0];
  const Side& neg = sides[1];
  if (pos.clauses == 0 || neg.clauses == 0) return -1;
  if (late_side >= 0) return late_side;
  if (pos.decides != neg.decides) return pos.decides ? 0 : 1;
  if (review_sign != 0) return review_sign > 0 ? 0 : 1;
  return pos.last_unit > neg.last_unit ? 0 : 1;
}

}  // namespace

void SettleDecidingSides(std::vector<TwoSidedAspect>& two_sided,
                         int review_sign,
                         std::vector<AspectSentiment>* aspects) {
  for (TwoSidedAspect& two : two_sided) {
    const int side = DecidingSide(two.sides, two.late_side, review_sign);
    if (side < 0 || two.index >= aspects->size()) continue;
    AspectSentiment& as = (*aspects)[two.index];
    Side& d = two.sides[side];
    as.sentiment.score = d.score_sum / d.weight_sum;
    as.sentiment.confidence = d.confidence_sum / static_cast<float>(d.clauses);
    as.sentiment.label = side == 0 ? SentimentLabel::kPositive : SentimentLabel::kNegative;
    if (!d.evidence.empty()) as.evidence = std::move(d.evidence);
  }
}

std::string_view AspectName(Aspect aspect) {
  const int i = static_cast<int>(aspect);
  return i >= 0 && i < kNumAspects ? kAspectNames[i] : kAspectNames[0];
}

absl::StatusOr<std::unique_ptr<AspectExtractor>> AspectExtractor::Create(
    const std::string& models_dir) {
  const std::string path = absl::StrCat(models_dir, "/aspects.tsv");
  ASSIGN_OR_RETURN(std::vector<LexiconLine> lines, ReadLexiconFile(path));
  TermMatcher::Builder builder;
  for (const LexiconLine& l : lines) {
    int label = -2;
    if (l.label == "-") {
      label = TermMatcher::kStop;
    } else if (l.label == "SHOP") {
      label = kShop;
    } else if (l.label == "SPEED") {
      label = kSpeed;
    } else if (l.label == "PART") {
      label = kPart;
    } else {
      for (int a = 1; a < kNumAspects; ++a) {
        if (l.label == kAspectNames[a]) label = a;
      }
    }
    if (label == -2) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", l.line, ": unknown aspect \"", l.label, "\""));
    }
    if (absl::Status s = builder.Add(l.language, l.phrase, label); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", l.line, ": ", s.message()));
    }
  }
  return std::unique_ptr<AspectExtractor>(
      new AspectExtractor(std::move(builder).Build()));
}

namespace {

// Counts clause `c` of `t` for an aspect it does not name (the product of
// an opinion, the delivery of a wait): its sentiment and its span.
void AddClause(const ClauseSentiment& c, int unit, const TokenizedText& t, int* mentioned,
               Tally* a) {
  if (a->first_mention < 0) a->first_mention = (*mentioned)++;
  int last = c.end_token - 1;  // the clause without its closing mark
  while (last > c.first_token && t.tokens[last].kind == TokenKind::kPunct) --last;
  a->AddEvidence({t.tokens[c.first_token].span.begin, t.tokens[last].span.end}, c.sentiment);
  a->Add(c.sentiment, c.weight, unit, c.decides);
}

// A pronoun or demonstrative among the first kPronounWindow words of
// clause `c`: the clause goes on about what came before ("it stopped",
// "they fell apart", "er ist gerissen", "potem się rozkleił", "il s'est
// cassé"). Plain (folded) forms, by language ("pl", "en-US"; another or
// "und": every list).
constexpr int kPronounWindow = 4;
bool GoesOnAboutIt(const TokenizedText& t, const ClauseSentiment& c, std::string_view language) {
  struct Words {
    std::string_view language;
    std::array<std::string_view, 12> words;  // empty ones unused
  };
  static constexpr Words kWords[] = {
      {"en", {"it", "its", "they", "them", "this", "these", "that", "those"}},
      {"pl", {"on", "ona", "ono", "one", "to", "ten", "ta", "te", "go", "sie", "nim", "niej"}},
      {"de", {"er", "es", "sie", "ihn", "ihm", "das", "der", "die", "dieser", "diese", "dieses"}},
      {"es", {"lo", "la", "los", "las", "se", "esto", "este", "esta"}},
      {"fr", {"il", "elle", "ils", "elles", "ca", "cela", "ce", "se", "le", "la", "les"}},
      {"it", {"lo", "la", "si", "questo", "questa", "esso", "essa"}},
  };
  const std::string_view lang = language.substr(0, 2);
  const bool known = std::any_of(std::begin(kWords), std::end(kWords),
                                 [&](const Words& w) { return w.language == lang; });
  int words = 0;
  for (int i = c.first_token; i < c.end_token && words < kPronounWindow; ++i) {
    if (t.tokens[i].kind != TokenKind::kWord) continue;
    ++words;
    for (const Words& w : kWords) {
      if (known && w.language != lang) continue;
      for (std::string_view word : w.words) {
        if (!word.empty() && t.tokens[i].plain == word) return true;
      }
    }
  }
  return false;
}

}  // namespace

std::vector<AspectSentiment> AspectExtractor::Extract(
    std::string_view text, const TokenizedText& t, std::string_view language,
    const std::vector<SentenceSentiment>& sentences,
    const std::vector<ClauseSentiment>* clauses,
    std::vector<TwoSidedAspect>* two_sided, bool late_turn, bool* late_found, bool late_part,
    bool* late_part_found) const {
  const uint32_t languages = matcher_->LanguageMask(language);
  std::array<Tally, kNumAspects> tally;
  int mentioned = 0;
  size_t clause = 0;  // clauses are in token order, as the mentions
  // Clauses that name an aspect or the shop, and sentences (index + 1;
  // 0: no sentences) that name an aspect.
  thread_local std::vector<bool> named;
  thread_local std::vector<bool> sentence_named;
  thread_local std::vector<bool> speed;  // clauses with a SPEED word
  thread_local std::vector<bool> part;   // clauses with a PART word
  // The aspect each clause names (the last of its terms) or, by default,
  // judges (the product's opinions); 0: none.
  thread_local std::vector<int> clause_aspect;
  named.assign(clauses != nullptr ? clauses->size() : 0, false);
  clause_aspect.assign(named.size(), 0);
  speed.assign(named.size(), false);
  part.assign(named.size(), false);
  sentence_named.assign(t.sentences.size() + 1, false);
  auto scan = [&](int sentence, int begin, int end) {
    Sentiment sentence_sentiment;  // neutral, confidence 0, when none given
    if (sentence >= 0 && sentence < static_cast<int>(sentences.size())) {
      sentence_sentiment = sentences[sentence].sentiment;
    }
    matcher_->Scan(t, begin, end, languages, [&](const TermMatcher::Match& m) {
      Sentiment s = sentence_sentiment;
      float weight = 1;
      bool decides = false;
      // Counted once per sentence, or once per clause with clauses.
      int unit = sentence;
      if (clauses != nullptr) {
        while (clause < clauses->size() &&
               (*clauses)[clause].end_token <= m.first_token) {
          ++clause;
        }
        if (clause < clauses->size() &&
            (*clauses)[clause].first_token <= m.first_token) {
          s = (*clauses)[clause].sentiment;
          weight = (*clauses)[clause].weight;
          unit = static_cast<int>(clause);
          if (m.label == kSpeed) {
            speed[clause] = true;
            return;
          }
          if (m.label == kPart) {
            part[clause] = true;
            return;
          }
          decides = (*clauses)[clause].decides;
          named[clause] = true;
          if (m.label != kShop) clause_aspect[clause] = m.label;
        }
      }
      if (m.label == kSpeed || m.label == kPart) return;
      if (m.label != kShop) sentence_named[sentence + 1] = true;
      if (m.label == kShop) return;
      Tally& a = tally[m.label];
      if (a.first_mention < 0) a.first_mention = mentioned++;
      a.named = true;
      a.AddEvidence({t.tokens[m.first_token].span.begin, t.tokens[m.end_token - 1].span.end}, s);
      if (a.sentences > 0 && a.last_unit == unit) return;
      a.last_unit = unit;
      a.Add(s, weight, unit, decides);
    });
  };
  if (t.sentences.empty()) {
    scan(-1, 0, static_cast<int>(t.tokens.size()));
  } else {
    for (int i = 0; i < static_cast<int>(t.sentences.size()); ++i) {
      scan(i, t.sentences[i].first_token, t.sentences[i].end_token);
    }
  }

  // Opinions that name nothing, in a sentence that names no aspect, are
  // about the product ("wszystko przebiegło bez problemu" after "płatności"
  // goes on about the payment). So is one whose sign is the opposite of
  // every aspect-naming clause of its sentence ("Zapatos muy cómodos, pero
  // el envío tardó dos semanas": the praise is not the delivery's).
  // Clauses and sentences are in token order.
  thread_local std::vector<int> named_signs;  // per sentence slot: bit 1 +, 2 -
  named_signs.assign(t.sentences.size() + 1, 0);
  auto sign_of = [](const ClauseSentiment& c) {
    return c.sentiment.score > kOpinionScore ? 1 : (c.sentiment.score < -kOpinionScore ? 2 : 0);
  };
  auto slot_of = [&](size_t* si, const ClauseSentiment& c) {
    while (*si < t.sentences.size() && t.sentences[*si].end_token <= c.first_token) ++*si;
    return *si < t.sentences.size() ? *si + 1 : 0;
  };
  size_t si = 0;
  for (size_t i = 0; i < named.size(); ++i) {
    const size_t slot = slot_of(&si, (*clauses)[i]);
    if (named[i]) named_signs[slot] |= sign_of((*clauses)[i]);
  }
  si = 0;
  for (size_t i = 0; i < named.size(); ++i) {
    const ClauseSentiment& c = (*clauses)[i];
    const size_t slot = slot_of(&si, c);
    const int sign = sign_of(c);
    const bool other_side =
        sign != 0 && named_signs[slot] != 0 && (named_signs[slot] & sign) == 0;
    if (named[i] || !c.opinion || c.end_token <= c.first_token ||
        (sentence_named[slot] && !other_side)) {
      continue;
    }
    AddClause(c, static_cast<int>(i), t, &mentioned,
              &tally[static_cast<int>(Aspect::kProductQuality)]);
    clause_aspect[i] = static_cast<int>(Aspect::kProductQuality);
  }

  // "The kettle looks lovely and was well packed. After two weeks it
  // started leaking.": the clause that decides names nothing (late_turn,
  // see Extract's comment).
  if (late_found != nullptr) *late_found = false;
  if (clauses != nullptr && (late_turn || late_found != nullptr)) {
    constexpr int kProduct = static_cast<int>(Aspect::kProductQuality);
    int current = 0;  // the aspect named or judged last
    for (size_t i = 0; i < named.size(); ++i) {
      const ClauseSentiment& c = (*clauses)[i];
      if (clause_aspect[i] != 0 || named[i]) {
        current = clause_aspect[i];  // a SHOP word: the shop, no aspect
        continue;
      }
      Tally& a = tally[kProduct];
      if (current != kProduct || c.opinion || c.wait || speed[i] ||
          c.end_token <= c.first_token || sign_of(c) != 2 ||
          a.score_sum <= kOpinionScore * a.weight_sum ||
          !(c.failure || GoesOnAboutIt(t, c, language))) {
        continue;
      }
      if (!late_turn) {  // only asked whether one would join
        *late_found = true;
        break;
      }
      AddClause(c, static_cast<int>(i), t, &mentioned, &a);
      a.late_side = 1;
      clause_aspect[i] = kProduct;  // joined (for late_part below)
    }
  }

  // "Tolle Regale, schnell aufgebaut. Nach drei Wochen haben sich die
  // mittleren Böden durchgebogen.": in a NEGATIVE review (the caller's
  // late_part), a clause read negative that names a part of the product
  // and no aspect, after the product was named or judged, joins it and
  // decides for it (late_part; with late_part_found only asked).
  if (late_part_found != nullptr) *late_part_found = false;
  if (clauses != nullptr && (late_part || late_part_found != nullptr)) {
    constexpr int kProduct = static_cast<int>(Aspect::kProductQuality);
    bool product_before = false;
    for (size_t i = 0; i < named.size(); ++i) {
      const ClauseSentiment& c = (*clauses)[i];
      const bool eligible = product_before && part[i] && !named[i] && clause_aspect[i] == 0 &&
                            !c.wait && !speed[i] && c.end_token > c.first_token &&
                            sign_of(c) == 2;
      if (clause_aspect[i] == kProduct) product_before = true;
      if (!eligible) continue;
      if (!late_part) {
        *late_part_found = true;
        break;
      }
      Tally& a = tally[kProduct];
      AddClause(c, static_cast<int>(i), t, &mentioned, &a);
      clause_aspect[i] = kProduct;
      a.late_side = 1;
    }
  }

  // "Hat eine Woche gedauert, aber ...", "Tardó una semana en llegar": a
  // wait in a clause that names no aspect speaks of the delivery, unless a
  // clause before it in its sentence names an aspect ("Zwrot ..., pieniądze
  // po 3 dniach": the refund's wait) or the delivery is named anyway. So
  // does a speed word in the first clause of its sentence that judges
  // anything ("Schnell da", "Super fast, well packed").
  if (!tally[static_cast<int>(Aspect::kDelivery)].named) {
    si = 0;
    size_t named_slot = 0;  // the sentence slot of the last naming clause
    size_t judged_slot = 0;  // ... of the last naming or opinion clause
    for (size_t i = 0; i < named.size(); ++i) {
      const ClauseSentiment& c = (*clauses)[i];
      const size_t slot = slot_of(&si, c);
      // A speed word counts only in its sentence's first judgement: "Zapach
      // intensywny, ale szybko się ulatnia" is the smell's speed.
      const bool first_judgement = judged_slot != slot;
      if (named[i]) named_slot = slot;
      if (named[i] || c.opinion) judged_slot = slot;
      if (named[i] || !(c.wait || (speed[i] && first_judgement)) ||
          c.end_token <= c.first_token || named_slot == slot) {
        continue;
      }
      AddClause(c, static_cast<int>(i), t, &mentioned, &tally[static_cast<int>(Aspect::kDelivery)]);
    }
  }

  std::vector<AspectSentiment> out(mentioned);
  if (two_sided != nullptr) two_sided->clear();
  for (int a = 1; a < kNumAspects; ++a) {
    Tally& ta = tally[a];
    if (ta.first_mention < 0) continue;
    AspectSentiment& as = out[ta.first_mention];
    as.aspect = static_cast<Aspect>(a);
    as.sentiment = Combine(ta);
    as.named = ta.named;
    as.evidence = std::move(ta.evidence);
    if (two_sided != nullptr && ta.sides[0].clauses > 0 && ta.sides[1].clauses > 0) {
      TwoSidedAspect& two = two_sided->emplace_back();
      two.index = static_cast<size_t>(ta.first_mention);
      two.sides[0] = std::move(ta.sides[0]);
      two.sides[1] = std::move(ta.sides[1]);
      two.late_side = ta.late_side;
    }
  }
  return out;
}

}  // namespace opinia::nlp
