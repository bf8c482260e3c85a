#include "nlp/label_arbiter.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp {
namespace {

// x / sqrt(x^2 + 1): evidence sums into (-1, 1).
float Squash(float x) { return x / std::sqrt(x * x + 1.0f); }
float Capped(int n) { return static_cast<float>(std::min(n, 3)); }

// An aspect's side counts for features 87-89 from this score on.
constexpr float kAspectSide = 0.3f;

const char* const kLabelNames[4] = {"positive", "negative", "neutral", "mixed"};
constexpr SentimentLabel kLabels[4] = {SentimentLabel::kPositive, SentimentLabel::kNegative,
                                       SentimentLabel::kNeutral, SentimentLabel::kMixed};

}  // namespace

// The features, in order:
//   0-3   the composed label one-hot (positive, negative, neutral, mixed)
//   4     the composed score
//   5-8   the review model's P(pos), P(neg), P(neu), P(mix)
//   9-10  the model has no NEUTRAL / no MIXED class (its probability 0)
//   11-12 ln(1 + clauses with positive / negative net evidence)
//   13-14 the strongest positive / negative clause's net evidence, squashed
//   15    the deciding clause's net evidence, squashed (the last clause
//         opened by a contrast or a concession's main clause with evidence,
//         else the last clause with evidence)
//   16    the last clause's net evidence, squashed
//   17    a contrast decides (15 is a contrasted clause)
//   18-19 the clause models' highest and lowest clause score
//         (P(pos) - P(neg)); 20: the clause models read the text
//   21-24 joined positive, negative, lexicon positive, lexicon negative,
//         squashed
//   25-30 contrasts, buts, concessions, resolutions, denials, sarcasms
//         (each capped at 3)
//   31    the share of sentences read as questions
//   32    distress, squashed; 33 no opinion (PolarityEvidence::NoOpinion)
//   34-36 notes, failures, praise idioms (capped at 3)
//   37    evidence after a contrast, squashed
//   38-39 a star rating is given; the rating in [-1, 1]
//   40    ln(1 + words)
//   41-44 the language group: pl, en, de, es/fr/it/pt (none: other)
//   45    both sides in the clause models' readings: min(max(18, 0),
//         max(-19, 0))
//   46    both sides in the clause evidence: min(13, 14)
//   47-48 the highest and lowest sentence score (the sentence models)
//   49    both sides in the sentences: min(max(47, 0), max(-48, 0))
//   50-85 features 0-8 times each language group (41-44): 50-58 pl,
//         59-67 en, 68-76 de, 77-85 es/fr/it/pt
//   86    both sides in the aspects: min(the highest aspect score, minus
//         the lowest) (eleventh pass: two-sided reviews the review model
//         reads one-sided, models/README.md "Eleventh pass: MIXED")
//   87    the product's quality is blamed (an aspect at <= -kAspectSide)
//   88    the product praised and another aspect blamed (each at
//         kAspectSide or more)
//   89    another aspect praised and the product blamed
void LabelArbiterFeatures(const LabelArbiterInput& in, std::vector<float>* x) {
  x->assign(kNumLabelArbiterFeatures, 0.0f);
  std::vector<float>& f = *x;
  for (int i = 0; i < 4; ++i) f[static_cast<size_t>(i)] = in.composed.label == kLabels[i] ? 1.0f : 0.0f;
  f[4] = in.composed.score;
  using C = SentimentClassifier;
  f[5] = in.probs[C::kPos];
  f[6] = in.probs[C::kNeg];
  f[7] = in.probs[C::kNeu];
  f[8] = in.probs[C::kMix];
  f[9] = in.probs[C::kNeu] <= 0 ? 1.0f : 0.0f;
  f[10] = in.probs[C::kMix] <= 0 ? 1.0f : 0.0f;
  int pos_clauses = 0, neg_clauses = 0;
  float best_pos = 0, best_neg = 0, deciding = 0, last = 0;
  bool by_contrast = false;
  if (in.parts != nullptr) {
    for (const C::Part* p : *in.parts) {
      const std::vector<Clause>& cl = p->clauses;
      for (size_t ci = 0; ci < cl.size(); ++ci) {
        const float net = cl[ci].Net();
        last = net;
        if (net == 0) continue;
        pos_clauses += net > 0;
        neg_clauses += net < 0;
        best_pos = std::max(best_pos, net);
        best_neg = std::max(best_neg, -net);
        const bool decides = !cl[ci].concession &&
                             (cl[ci].contrast || (ci > 0 && cl[ci - 1].concession) ||
                              (ci + 1 < cl.size() && cl[ci + 1].concession));
        if (decides) {
          deciding = net;
          by_contrast = true;
        } else if (!by_contrast) {
          deciding = net;
        }
      }
    }
  }
  f[11] = std::log1p(static_cast<float>(pos_clauses));
  f[12] = std::log1p(static_cast<float>(neg_clauses));
  f[13] = Squash(best_pos);
  f[14] = Squash(best_neg);
  f[15] = Squash(deciding);
  f[16] = Squash(last);
  f[17] = by_contrast ? 1.0f : 0.0f;
  if (in.clause_reads != nullptr && !in.clause_reads->empty()) {
    f[18] = *std::max_element(in.clause_reads->begin(), in.clause_reads->end());
    f[19] = *std::min_element(in.clause_reads->begin(), in.clause_reads->end());
    f[20] = 1.0f;
  }
  const PolarityEvidence& e = in.joined;
  f[21] = Squash(e.positive);
  f[22] = Squash(e.negative);
  f[23] = Squash(e.lexicon_positive);
  f[24] = Squash(e.lexicon_negative);
  f[25] = Capped(e.contrasts);
  f[26] = Capped(e.buts);
  f[27] = Capped(e.contrasts - e.buts);
  f[28] = Capped(e.resolutions);
  f[29] = Capped(e.denials);
  f[30] = Capped(e.sarcasms);
  f[31] = e.sentences > 0 ? static_cast<float>(e.questions) / static_cast<float>(e.sentences) : 0;
  f[32] = Squash(e.distress);
  f[33] = e.NoOpinion() ? 1.0f : 0.0f;
  f[34] = Capped(e.notes);
  f[35] = Capped(e.failures);
  f[36] = Capped(e.praise_idioms);
  f[37] = Squash(e.after_contrast);
  if (in.rating > 0 && in.rating_scale > 1 && in.rating <= in.rating_scale) {
    f[38] = 1.0f;
    f[39] = 2.0f * static_cast<float>(in.rating - 1) / static_cast<float>(in.rating_scale - 1) - 1.0f;
  }
  f[40] = std::log1p(static_cast<float>(std::max(in.words, 0)));
  const std::string_view lang = in.language.substr(0, in.language.find('-'));
  if (lang == "pl") f[41] = 1.0f;
  if (lang == "en") f[42] = 1.0f;
  if (lang == "de") f[43] = 1.0f;
  if (lang == "es" || lang == "fr" || lang == "it" || lang == "pt") f[44] = 1.0f;
  f[45] = std::min(std::max(f[18], 0.0f), std::max(-f[19], 0.0f));
  f[46] = std::min(f[13], f[14]);
  if (in.sentences != nullptr && !in.sentences->empty()) {
    float hi = -1, lo = 1;
    for (const SentenceSentiment& s : *in.sentences) {
      hi = std::max(hi, s.sentiment.score);
      lo = std::min(lo, s.sentiment.score);
    }
    f[47] = hi;
    f[48] = lo;
    f[49] = std::min(std::max(hi, 0.0f), std::max(-lo, 0.0f));
  }
  for (size_t g = 0; g < 4; ++g) {
    for (size_t i = 0; i < 9; ++i) f[50 + 9 * g + i] = f[i] * f[41 + g];
  }
  if (in.aspects != nullptr && !in.aspects->empty()) {
    float hi = 0, lo = 0;
    bool product_praised = false, product_blamed = false, other_praised = false,
         other_blamed = false;
    for (const AspectSentiment& as : *in.aspects) {
      const float s = as.sentiment.score;
      hi = std::max(hi, s);
      lo = std::min(lo, s);
      const bool product = as.aspect == Aspect::kProductQuality;
      (product ? product_praised : other_praised) |= s >= kAspectSide;
      (product ? product_blamed : other_blamed) |= s <= -kAspectSide;
    }
    f[86] = std::min(hi, -lo);
    f[87] = product_blamed ? 1.0f : 0.0f;
    f[88] = product_praised && other_blamed ? 1.0f : 0.0f;
    f[89] = other_praised && product_blamed ? 1.0f : 0.0f;
  }
  // Twenty-second pass: what the review model reads without the
  // compositional layer, alone and by language group.
  for (int k = 0; k < 4; ++k) f[90 + static_cast<size_t>(k)] = in.plain_probs[static_cast<size_t>(k)];
  for (size_t g = 0; g < 4; ++g) {
    for (size_t i = 0; i < 4; ++i) f[94 + 4 * g + i] = f[90 + i] * f[41 + g];
  }
}

const SoftmaxModelFormat& LabelArbiterFormat() {
  static const SoftmaxModelFormat* const format = new SoftmaxModelFormat{
      "OPARB1", "label arbiter", kNumLabelArbiterFeatures,
      {kLabelNames[0], kLabelNames[1], kLabelNames[2], kLabelNames[3]}, true, true};
  return *format;
}

absl::StatusOr<std::unique_ptr<LabelArbiter>> LabelArbiter::Load(const std::string& models_dir) {
  return LoadIfExists<LabelArbiter>(models_dir + "/" + kLabelArbiterFile);
}

size_t ArbiterGroup(const std::vector<float>& x) {
  for (size_t g = 0; g < kNumArbiterGroups; ++g) {
    if (kFirstGroupFeature + g < x.size() && x[kFirstGroupFeature + g] > 0.5f) return g;
  }
  return kNumArbiterGroups;
}

std::string GroupThresholdsLine(const std::vector<float>& group_thresholds, float threshold) {
  const std::string t = absl::StrFormat("%.2f", threshold);
  std::string line = "group_thresholds";
  bool differs = false;
  for (float g : group_thresholds) {
    const std::string v = absl::StrFormat("%.2f", g);
    differs |= v != t;
    absl::StrAppend(&line, " ", v);
  }
  return differs ? line + "\n" : "";
}

absl::StatusOr<std::unique_ptr<LabelArbiter>> LabelArbiter::Parse(
    std::string_view text, const std::string& name) {
  // The optional group_thresholds line is the arbiter's own; the rest is
  // the softmax format's.
  static constexpr absl::string_view kGroupLine = "group_thresholds ";
  std::vector<float> groups;
  std::string rest;
  size_t line_no = 0;
  const absl::string_view all(text.data(), text.size());
  for (absl::string_view line : absl::StrSplit(all, '\n')) {
    ++line_no;
    if (!absl::StartsWith(line, kGroupLine)) {
      if (!line.empty()) absl::StrAppend(&rest, line, "\n");
      continue;
    }
    std::vector<absl::string_view> v =
        absl::StrSplit(line.substr(kGroupLine.size()), ' ', absl::SkipEmpty());
    bool ok = groups.empty() && v.size() == kNumArbiterGroups;
    for (absl::string_view s : v) {
      float t = 0;
      ok = ok && absl::SimpleAtof(s, &t) && t >= 0 && t <= 1;
      groups.push_back(t);
    }
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": line ", line_no, ": expected one \"group_thresholds P E D R\" (",
          kNumArbiterGroups, " thresholds in [0, 1]: pl, en, de, es/fr/it/pt): ", line));
    }
  }
  absl::StatusOr<SoftmaxModel> model = SoftmaxModel::Parse(rest, name, LabelArbiterFormat());
  if (!model.ok()) return model.status();
  return std::unique_ptr<LabelArbiter>(new LabelArbiter(*std::move(model), std::move(groups)));
}

std::array<float, 4> LabelArbiter::Predict(const std::vector<float>& x) const {
  std::array<float, 4> p{};
  model_.Predict(x, p.data());
  return p;
}

Sentiment LabelArbiter::Decide(const std::vector<float>& x, const Sentiment& composed) const {
  const std::array<float, 4> p = Predict(x);
  const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
  const float threshold = model_.has_class_threshold(best) ? model_.threshold(best)
                                                           : group_threshold(ArbiterGroup(x));
  if (kLabels[best] == composed.label || p[best] < threshold) return composed;
  return {p[0] - p[1], kLabels[best], p[best]};
}

LabelArbiterTrace& ThreadLabelArbiterTrace() {
  thread_local LabelArbiterTrace trace;
  return trace;
}

}  // namespace opinia::nlp
