#include "nlp/aspect_signs.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlp/sentiment_features.h"

namespace opinia::nlp {
namespace {

constexpr int kSources = 5;
constexpr int kAspects = 8;  // Aspect::kProductQuality .. kPackaging
constexpr std::string_view kLanguageGroups[] = {"pl", "en", "de", "es", "fr", "it"};
constexpr std::string_view kClassNames[3] = {"positive", "negative", "neutral"};
// The index of the sarcasm feature (AspectSignFeatures).
constexpr size_t kSarcasmFeature = 49;
constexpr size_t kTweetFeature = 51;
// The language group "other" (none of kLanguageGroups).
constexpr size_t kOtherLanguageFeature = 46;

// n entries, `value` at `index` and 0 elsewhere.
void OneHotValue(int index, int n, float value, std::vector<float>* x) {
  for (int i = 0; i < n; ++i) x->push_back(i == index ? value : 0.0f);
}

void OneHot(int index, int n, std::vector<float>* x) { OneHotValue(index, n, 1.0f, x); }

int LabelIndex(SentimentLabel l) {
  switch (l) {
    case SentimentLabel::kPositive: return 0;
    case SentimentLabel::kNegative: return 1;
    case SentimentLabel::kNeutral: return 2;
    case SentimentLabel::kMixed: return 3;
    default: return -1;
  }
}

// The clause model's P(pos), P(neg), P(neu), recovered from its reading
// (score P(pos) - P(neg), the most probable label and its probability).
std::array<float, 3> ClauseProbs(const Sentiment& m) {
  float pos = 0, neg = 0, neu = 0;
  if (m.label == SentimentLabel::kPositive) {
    pos = m.confidence;
    neg = pos - m.score;
    neu = 1 - pos - neg;
  } else if (m.label == SentimentLabel::kNegative) {
    neg = m.confidence;
    pos = m.score + neg;
    neu = 1 - pos - neg;
  } else {
    neu = m.confidence;
    pos = (1 - neu + m.score) / 2;
    neg = 1 - neu - pos;
  }
  return {pos, neg, neu};
}

// The index of the clause of `clauses` holding byte offset `begin` of the
// text, or -1.
int ClauseAt(const TokenizedText& t, const std::vector<ClauseSentiment>& clauses,
             int32_t begin) {
  for (size_t i = 0; i < clauses.size(); ++i) {
    const ClauseSentiment& c = clauses[i];
    if (c.first_token >= c.end_token || c.end_token > static_cast<int>(t.tokens.size())) continue;
    if (t.tokens[c.first_token].span.begin <= begin &&
        begin < t.tokens[c.end_token - 1].span.end) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

void AspectSignFeatures(const AspectSignInput& in, const AspectSentiment& aspect,
                        bool two_sided, std::vector<float>* x, ClauseReadings* readings) {
  x->clear();
  const float score = aspect.sentiment.score;
  x->push_back(score);
  x->push_back(std::fabs(score));
  OneHot(LabelIndex(aspect.sentiment.label), 4, x);
  // The aspect's clauses, each once.
  thread_local std::vector<int> idx;
  idx.clear();
  if (in.t != nullptr && in.clauses != nullptr) {
    for (const Span& sp : aspect.evidence) {
      const int i = ClauseAt(*in.t, *in.clauses, sp.begin);
      if (i >= 0 && std::find(idx.begin(), idx.end(), i) == idx.end()) idx.push_back(i);
    }
  }
  const float n = static_cast<float>(idx.size());
  float lexicon = 0, lexicon_sign = 0, net = 0, hits = 0, sentence = 0, sentence_neutral = 0;
  float sources[kSources] = {};
  std::array<float, 3> probs{};
  bool negator = false, question = false, decides = false, concession = false, wait = false;
  const bool read = in.models != nullptr && in.models->Knows(in.language);
  for (int i : idx) {
    const AspectClauseFacts& f = (*in.facts)[static_cast<size_t>(i)];
    const ClauseSentiment& c = (*in.clauses)[static_cast<size_t>(i)];
    lexicon += f.lexicon.score;
    lexicon_sign += f.lexicon.score > 0 ? 1.0f : f.lexicon.score < 0 ? -1.0f : 0.0f;
    net += f.net;
    hits += static_cast<float>(f.hits);
    sentence += f.sentence.score;
    sentence_neutral += f.sentence.label == SentimentLabel::kNeutral;
    if (f.source >= 0 && f.source < kSources) sources[f.source] += 1;
    question |= f.question;
    concession |= f.concession;
    decides |= c.decides;
    wait |= c.wait;
    for (int k = c.first_token; k < c.end_token; ++k) {
      negator |= IsNegator(in.t->tokens[static_cast<size_t>(k)].norm);
    }
    if (read) {
      std::array<float, 4> local{};
      std::array<float, 4>& r =
          readings != nullptr && static_cast<size_t>(i) < readings->size()
              ? (*readings)[static_cast<size_t>(i)]
              : local;
      if (r[3] == 0) {
        const std::array<float, 3> p =
            ClauseProbs(in.reader != nullptr
                            ? in.reader->Read(c.first_token, c.end_token)
                            : in.models->Read(*in.t, c.first_token, c.end_token, in.language));
        r = {p[0], p[1], p[2], 1};
      }
      for (int k = 0; k < 3; ++k) probs[k] += r[k];
    }
  }
  const float inv = n > 0 ? 1.0f / n : 0.0f;
  x->push_back(lexicon * inv);
  x->push_back(lexicon_sign * inv);
  x->push_back(net / std::sqrt(net * net + 1.0f));
  x->push_back(std::log1p(hits));
  for (float s : sources) x->push_back(s * inv);
  x->push_back(read && n > 0 ? 1.0f : 0.0f);
  for (float p : probs) x->push_back(p * inv);
  x->push_back(negator);
  x->push_back(question);
  x->push_back(decides);
  x->push_back(concession);
  x->push_back(wait);
  x->push_back(two_sided);
  OneHot(LabelIndex(in.review.label), 4, x);
  x->push_back(in.review.score);
  x->push_back(sentence * inv);
  x->push_back(sentence_neutral * inv);
  OneHot(static_cast<int>(aspect.aspect) - 1, kAspects, x);
  const std::string_view primary = in.language.substr(0, in.language.find('-'));
  int group = static_cast<int>(std::size(kLanguageGroups));
  for (size_t g = 0; g < std::size(kLanguageGroups); ++g) {
    if (primary == kLanguageGroups[g]) group = static_cast<int>(g);
  }
  OneHot(group, static_cast<int>(std::size(kLanguageGroups)) + 1, x);
  x->push_back(std::log1p(n));
  x->push_back(aspect.named);
  x->push_back(in.sarcasm);  // kSarcasmFeature
  x->push_back(n == 0);
  x->push_back(in.tweet);  // kTweetFeature
  // Eleventh pass (kClauseReadingByAspect ...): the clause model's mean
  // P(pos) - P(neg) of the aspect's clauses once per aspect and once per
  // review label, so that how far it trusts the clause against the review
  // may differ by aspect (a product's praise before its failure, a
  // delivery mentioned in a happy review) and by the review's label.
  const float reading = (probs[0] - probs[1]) * inv;
  OneHotValue(static_cast<int>(aspect.aspect) - 1, kAspects, reading, x);
  OneHotValue(LabelIndex(in.review.label), 4, reading, x);
  // Fourteenth pass (kUnnamedAspect ...): the same for an aspect no clause
  // names (the product judged from clauses that name nothing: "Działa
  // świetnie, ale po tygodniu przestał"), whose praise or complaint may be
  // one side of a review that decides the other way: the review's label
  // and score, and its clauses' reading, once more for it alone.
  const float unnamed = aspect.named ? 0.0f : 1.0f;
  OneHotValue(LabelIndex(in.review.label), 4, unnamed, x);
  x->push_back(unnamed * in.review.score);
  x->push_back(unnamed * reading);
  // ... and what the text says after the aspect's last clause: a failure
  // event told later ("po tygodniu przestał"), the lexicon sign of the
  // last later clause with one; for an unnamed aspect, then for any.
  int last = -1;
  for (int i : idx) last = std::max(last, i);
  float later_failure = 0, later_sign = 0;
  if (last >= 0) {
    for (size_t j = static_cast<size_t>(last) + 1; j < in.clauses->size(); ++j) {
      if ((*in.clauses)[j].failure) later_failure = 1;
      const float l = (*in.facts)[j].lexicon.score;
      if (std::fabs(l) > 0.05f) later_sign = l > 0 ? 1.0f : -1.0f;
    }
  }
  x->push_back(unnamed * later_failure);
  x->push_back(unnamed * later_sign);
  x->push_back(later_failure);
  x->push_back(later_sign);
}

bool KeepsItsSign(const std::vector<float>& x) {
  return x.size() > kTweetFeature &&
         (x[kSarcasmFeature] > 0 || x[kTweetFeature] > 0 || x[kOtherLanguageFeature] > 0);
}

const SoftmaxModelFormat& AspectSignFormat() {
  static const SoftmaxModelFormat* const format = new SoftmaxModelFormat{
      "OPASPECTSIGN1", "aspect-sign model", kNumAspectSignFeatures,
      {kClassNames[0], kClassNames[1], kClassNames[2]}, false};
  return *format;
}

absl::StatusOr<std::unique_ptr<AspectSignModel>> AspectSignModel::Load(
    const std::string& models_dir) {
  return LoadIfExists<AspectSignModel>(models_dir + "/" + kAspectSignsFile);
}

absl::StatusOr<std::unique_ptr<AspectSignModel>> AspectSignModel::Parse(
    std::string_view text, const std::string& name) {
  absl::StatusOr<SoftmaxModel> model = SoftmaxModel::Parse(text, name, AspectSignFormat());
  if (!model.ok()) return model.status();
  return std::unique_ptr<AspectSignModel>(new AspectSignModel(*std::move(model)));
}

std::array<float, 3> AspectSignModel::Predict(const std::vector<float>& x) const {
  std::array<float, 3> p{};
  model_.Predict(x, p.data());
  return p;
}

Sentiment AspectSignModel::FromProbs(const std::array<float, 3>& p) {
  const float diff = p[0] - p[1];
  if (p[2] >= p[0] && p[2] >= p[1]) {
    return {kNeutralScore * diff, SentimentLabel::kNeutral, p[2]};
  }
  if (p[0] >= p[1]) return {std::max(diff, kMinPolarScore), SentimentLabel::kPositive, p[0]};
  return {std::min(diff, -kMinPolarScore), SentimentLabel::kNegative, p[1]};
}

void DecideAspectSigns(const AspectSignModel* model, const AspectSignInput& in,
                       const std::vector<TwoSidedAspect>& two_sided,
                       std::vector<AspectSentiment>* aspects,
                       std::vector<std::vector<float>>* rows) {
  if (rows != nullptr) rows->clear();
  if (model == nullptr && rows == nullptr) return;
  thread_local std::vector<float> x;
  thread_local ClauseReadings readings;
  readings.assign(in.clauses != nullptr ? in.clauses->size() : 0, {0, 0, 0, 0});
  for (size_t i = 0; i < aspects->size(); ++i) {
    AspectSentiment& as = (*aspects)[i];
    const bool both = std::any_of(two_sided.begin(), two_sided.end(),
                                  [i](const TwoSidedAspect& ts) { return ts.index == i; });
    AspectSignFeatures(in, as, both, &x, &readings);
    if (rows != nullptr) rows->push_back(x);
    if (model == nullptr || KeepsItsSign(x)) continue;
    const std::array<float, 3> p = model->Predict(x);
    if (std::max({p[0], p[1], p[2]}) < model->threshold()) continue;
    as.sentiment = AspectSignModel::FromProbs(p);
  }
}

}  // namespace opinia::nlp
