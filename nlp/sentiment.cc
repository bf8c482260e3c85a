#include "nlp/sentiment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "nlp/sentiment_features.h"
#include "util/status_macros.h"

namespace opinia::nlp {
namespace {

constexpr std::string_view kClassLabels[] = {"positive", "negative", "neutral",
                                             "mixed"};

void Softmax(std::array<float, 4>& z, std::array<bool, 4> present) {
  float mx = -1e30f;
  for (int i = 0; i < 4; ++i) {
    if (present[i]) mx = std::max(mx, z[i]);
  }
  float sum = 0;
  for (int i = 0; i < 4; ++i) {
    z[i] = present[i] ? std::exp(z[i] - mx) : 0.0f;
    sum += z[i];
  }
  for (float& v : z) v /= sum;
}

// SentimentParams::compose_weight of `language` (its primary subtag).
float ComposeWeight(const SentimentParams& p, std::string_view language) {
  if (p.compose_weight_by_language.empty()) return p.compose_weight;
  auto it = p.compose_weight_by_language.find(language.substr(0, language.find('-')));
  return it != p.compose_weight_by_language.end() ? it->second : p.compose_weight;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SentimentClassifier>> SentimentClassifier::Create(
    const std::string& models_dir, SentimentParams params) {
  std::unique_ptr<SentimentClassifier> c(new SentimentClassifier());
  c->params_ = std::move(params);
  ASSIGN_OR_RETURN(
      auto rows, LoadSentimentModels(models_dir + "/" + kSentimentModelsFile));
  RETURN_IF_ERROR(c->LoadModels(models_dir, rows));
  ASSIGN_OR_RETURN(auto lex, Lexicon::Load(models_dir + "/lexicon.tsv"));
  c->lexicon_ = std::move(lex);
  c->any_view_ = c->lexicon_->ForLanguage("*");
  auto polarity = PolarityRules::Create(models_dir, c->params_.put_right,
                                        c->params_.more_events, c->params_.reply_failures);
  if (!polarity.ok()) return polarity.status();
  c->polarity_ = *std::move(polarity);
  return c;
}

absl::Status SentimentClassifier::LoadModels(
    const std::string& models_dir, const std::vector<SentimentModelRow>& rows) {
  models_.resize(rows.size());  // never resized again: routes point into it
  for (size_t i = 0; i < rows.size(); ++i) {
    Model& m = models_[i];
    m.name = rows[i].name;
    const std::string path = models_dir + "/" + m.name;
    auto linear = LinearModel::Load(path + ".lin");
    if (!linear.ok()) return linear.status();
    m.linear = *std::move(linear);
    for (int k = 0; k < kNumClasses; ++k) {
      m.class_index[k] = m.linear->LabelIndex(kClassLabels[k]);
    }
    if (m.class_index[kPos] < 0 || m.class_index[kNeg] < 0) {
      return absl::InvalidArgumentError(m.name +
                                        ".lin: needs positive and negative labels");
    }
    auto meta = MetaModel::Load(path + ".meta", m.linear->Labels());
    if (meta.ok()) {
      m.meta = *std::move(meta);
    } else if (!absl::IsNotFound(meta.status())) {
      return meta.status();
    }
    auto words = WordExpansion::Load(path + ".words");
    if (words.ok()) {
      m.words = *std::move(words);
    } else if (!absl::IsNotFound(words.status())) {
      return words.status();
    }
    auto k = params_.length_k.find(m.name);
    m.length_k = k != params_.length_k.end() ? k->second : rows[i].length_k;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool tweet = rows[i].domain == TextDomain::kTweet;
    for (const std::string& l : rows[i].languages) {
      Route& r = l == kAnyLanguage ? other_languages_ : routes_[l];
      (tweet ? r.tweet : r.review) = &models_[i];
    }
  }
  // A language's model of the other domain serves it when it has none of
  // the text's own; the cap says how well the language is served.
  auto complete = [](Route& r, float cap) {
    r.confidence_cap = cap;
    r.reviews_by_tweet_model = r.review == nullptr && r.tweet != nullptr;
    if (r.review == nullptr) r.review = r.tweet;
    if (r.tweet == nullptr) r.tweet = r.review;
  };
  for (auto& [language, r] : routes_) {
    complete(r, r.review != nullptr ? 1.0f : kTweetOnlyConfidenceCap);
  }
  complete(other_languages_, kUnsupportedConfidenceCap);
  return absl::OkStatus();
}

const SentimentClassifier::Route& SentimentClassifier::RouteFor(
    std::string_view language) const {
  auto it = routes_.find(absl::string_view(language.data(), language.size()));
  return it != routes_.end() ? it->second : other_languages_;
}

const SentimentClassifier::Model& SentimentClassifier::ModelFor(
    std::string_view language, bool tweet) const {
  const Route& r = RouteFor(language);
  return tweet ? *r.tweet : *r.review;
}

float SentimentClassifier::ConfidenceCap(std::string_view language) const {
  return RouteFor(language).confidence_cap;
}

bool SentimentClassifier::Knows(std::string_view language) const {
  return &RouteFor(language) != &other_languages_;
}

std::string_view SentimentClassifier::ModelName(std::string_view language,
                                                bool tweet) const {
  return ModelFor(language, tweet).name;
}

std::vector<std::string> SentimentClassifier::ModelFiles() const {
  std::vector<std::string> files;
  for (const Model& m : models_) files.push_back(m.name + ".lin");
  for (const Model& m : models_) {
    if (m.meta != nullptr) files.push_back(m.name + ".meta");
    if (m.words != nullptr) files.push_back(m.name + ".words");
  }
  return files;
}

namespace {

// ASCII letters, digits and '_', by table (LooksLikeTweet reads every byte
// of every text).
constexpr std::array<bool, 256> kTweetWordChars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
  }
  return t;
}();

bool TweetWordChar(char c) { return kTweetWordChars[static_cast<unsigned char>(c)]; }

// An @mention, a #hashtag or a link, full ("https://...") or a bare "http"
// token (data sets that strip URLs leave it).
bool HasTweetMark(std::string_view text) {
  // Most texts have none of the marks: three vectorised scans say so
  // without the byte loop below.
  if (text.find('@') == std::string_view::npos &&
      text.find('#') == std::string_view::npos &&
      text.find("http") == std::string_view::npos) {
    return false;
  }
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c != '@' && c != '#' && c != 'h') continue;
    // Marks start a token: an e-mail address is not a mention.
    if (i > 0 && TweetWordChar(text[i - 1])) continue;
    if (c == 'h') {
      if (text.substr(i, 4) != "http") continue;
      size_t end = i + 4;
      if (end < text.size() && text[end] == 's') ++end;
      if (text.substr(end, 3) == "://") return true;
      // A bare "http" / "https" token: a link whose URL was stripped.
      if (end == text.size() || !TweetWordChar(text[end])) return true;
      continue;
    }
    // "@user", "#hashtag" (a letter after '#': "#1" is a number).
    const char n = text[i + 1];
    if (c == '@' ? TweetWordChar(n) : ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') ||
                                       static_cast<unsigned char>(n) >= 0x80)) {
      return true;
    }
  }
  return false;
}

// A written laugh as one ASCII word, case ignored: "jajaja", "jajaj",
// "hahaha", "jejeje", "ahahah" (j or h alternating with a, e or i, five
// letters or more: "haha" and Polish "jaja" are ordinary words in reviews),
// Portuguese "kkkk" and "rsrs".
bool IsLaugh(std::string_view w) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  if (w.size() >= 4 && std::all_of(w.begin(), w.end(), [&](char c) { return lower(c) == 'k'; })) {
    return true;
  }
  bool rsrs = w.size() >= 4;
  for (size_t i = 0; rsrs && i < w.size(); ++i) rsrs = lower(w[i]) == (i % 2 == 0 ? 'r' : 's');
  if (rsrs) return true;
  if (w.size() < 5) return false;
  auto consonant = [](char c) { return c == 'j' || c == 'h'; };
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i'; };
  const bool first_consonant = consonant(lower(w[0]));
  for (size_t i = 0; i < w.size(); ++i) {
    const char c = lower(w[i]);
    const bool want_consonant = (i % 2 == 0) == first_consonant;
    if (want_consonant ? !consonant(c) : !vowel(c)) return false;
  }
  return true;
}

bool MayStartLaugh(char c) {
  switch (c) {
    case 'k': case 'K': case 'r': case 'R': case 'j': case 'J': case 'h': case 'H':
    case 'a': case 'A': case 'e': case 'E': case 'i': case 'I':
      return true;
    default:
      return false;
  }
}

bool HasLaugh(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !TweetWordChar(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && TweetWordChar(text[i])) ++i;
    // A word glued to a non-ASCII letter ("jajañ") is not a laugh.
    const bool glued = (start > 0 && static_cast<unsigned char>(text[start - 1]) >= 0x80) ||
                       (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80);
    // (IsLaugh() needs four letters or more, the first k, r, j, h, a, e or
    // i: most words end here, without the call.)
    if (i - start >= 4 && !glued && MayStartLaugh(text[start]) &&
        IsLaugh(text.substr(start, i - start))) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool LooksLikeTweet(std::string_view text) {
  if (text.substr(0, 3) == "RT ") return true;
  return HasTweetMark(text) || HasLaugh(text);
}

bool IsSocialSource(std::string_view source) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  for (std::string_view s : {"twitter", "x", "threads", "mastodon", "bluesky"}) {
    if (source.size() == s.size() &&
        std::equal(s.begin(), s.end(), source.begin(),
                   [&](char a, char b) { return a == lower(b); })) {
      return true;
    }
  }
  return false;
}

Sentiment SentimentClassifier::FromProbs(const Probs& p, float cap) {
  Sentiment s;
  int best = 0;
  for (int k = 1; k < kNumClasses; ++k) {
    if (p[k] > p[best]) best = k;
  }
  switch (best) {
    case kPos: s.label = SentimentLabel::kPositive; break;
    case kNeg: s.label = SentimentLabel::kNegative; break;
    case kNeu: s.label = SentimentLabel::kNeutral; break;
    default: s.label = SentimentLabel::kMixed; break;
  }
  s.score = std::clamp(p[kPos] - p[kNeg], -1.0f, 1.0f);
  s.confidence = std::clamp(std::min(p[best], cap), 0.0f, 1.0f);
  return s;
}

std::string ConcededInput(const TokenizedText& t, int first, int end,
                          const std::vector<Clause>& clauses, const WordExpansion* words) {
  first = std::max(first, 0);
  end = std::min<int>(end, static_cast<int>(t.tokens.size()));
  if (first >= end) return {};
  std::vector<bool> kept(static_cast<size_t>(end - first), true);
  bool skipped = false;
  for (const Clause& c : clauses) {
    // Only a concession that opens the sentence: one told after the main
    // clause ("Nice jacket, though the zip is flimsy") is often the
    // complaint that makes the review MIXED.
    if (!c.concession || c.weight >= 1.0f || c.first_token > first) continue;
    for (int i = std::max(c.first_token, first); i < std::min(c.end_token, end); ++i) {
      kept[static_cast<size_t>(i - first)] = false;
      skipped = true;
    }
  }
  if (!skipped) return {};
  bool word = false;
  for (int i = first; i < end; ++i) {
    word |= kept[static_cast<size_t>(i - first)] && t.tokens[i].kind == TokenKind::kWord;
  }
  if (!word) return {};
  std::string out;
  for (int i = first; i < end;) {
    if (!kept[static_cast<size_t>(i - first)]) {
      ++i;
      continue;
    }
    int j = i;
    while (j < end && kept[static_cast<size_t>(j - first)]) ++j;
    const std::string part = SentimentInput(t, i, j, words);
    if (!part.empty()) {
      if (!out.empty()) out += ' ';
      out += part;
    }
    i = j;
  }
  return out;
}

Sentiment SentimentClassifier::Classify(const TokenizedText& t, int first,
                                        int end, std::string_view language,
                                        Probs* out, Part* keep,
                                        bool tweet) const {
  const Model& model = ModelFor(language, tweet);
  thread_local std::vector<float> raw;
  thread_local Part scratch;
  Part& part = keep != nullptr ? *keep : scratch;
  part.clauses.clear();
  // The words' lexicon values, looked up once for both rule passes.
  thread_local Lexicon::WordValences valences;
  valences.Reset(lexicon_->ForLanguage(language), t, first, end);
  part.polarity = params_.use_composition
                      ? polarity_->Score(t, first, end, language, *lexicon_,
                                         &part.clauses, &valences)
                      : PolarityEvidence();
  std::string input = SentimentInput(t, first, end, model.words.get());
  // The model reads the sentence without its conceded clause (the main
  // clause decides); `input`, what the router and the aspect detector
  // read, stays the whole sentence's.
  const std::string main =
      params_.model_skips_conceded && !tweet
          ? ConcededInput(t, first, end, part.clauses, model.words.get())
          : std::string();
  const std::string& read = main.empty() ? input : main;
  part.has_features = main.empty() && !model.linear->Chars().enabled();
  model.linear->PredictPart(read, &part.model, &raw,
                            part.has_features ? &part.features : nullptr);
  part.lex = LexiconCounts();
  if (MetaFor(model) != nullptr) {
    CountLexicon(read, lexicon_->ForLanguage(language), any_view_, &part.lex);
  }
  part.words = 0;
  for (int i = std::max(first, 0); i < end && i < static_cast<int>(t.tokens.size()); ++i) {
    part.words += t.tokens[i].kind != TokenKind::kPunct;
  }
  // Rules use the detected language's lexicon; unknown languages still get
  // the language-independent emoji/emoticon entries.
  part.rules = params_.use_rules ? ScoreRules(t, first, end, language, *lexicon_, &valences)
                                 : RuleScore();
  part.input = std::move(input);
  part.plain_input = model.words == nullptr;
  return Combine(model, raw, part.words, part.rules, part.lex,
                 part.polarity, language, tweet, out);
}

Sentiment SentimentClassifier::ClassifyJoined(
    const std::vector<const Part*>& parts, std::string_view language,
    Probs* out, bool tweet, Probs* plain_probs) const {
  return Joined(parts, language, tweet, out, /*plain=*/false, plain_probs);
}

Sentiment SentimentClassifier::ClassifyJoinedPlain(const std::vector<const Part*>& parts,
                                                   std::string_view language,
                                                   Probs* probs) const {
  return Joined(parts, language, /*tweet=*/false, probs, /*plain=*/true);
}

Sentiment SentimentClassifier::Joined(const std::vector<const Part*>& parts,
                                      std::string_view language, bool tweet, Probs* out,
                                      bool plain, Probs* plain_out) const {
  const Model& model = ModelFor(language, tweet);
  thread_local std::vector<const LinearModel::PartialInput*> inputs;
  thread_local std::vector<const RuleScore*> rules;
  thread_local std::vector<float> raw;
  inputs.clear();
  rules.clear();
  int words = 0;
  LexiconCounts lex;
  for (const Part* p : parts) {
    inputs.push_back(&p->model);
    rules.push_back(&p->rules);
    words += p->words;
    lex.Add(p->lex);
  }
  model.linear->PredictJoined(inputs, &raw);
  const RuleScore joined_rules = JoinRules(rules.data(), rules.size());
  const PolarityEvidence polarity = JoinedPolarity(parts);
  if (plain_out != nullptr && !plain && !tweet) {
    Combine(model, raw, words, joined_rules, lex, polarity, language, /*tweet=*/false, plain_out,
            /*plain=*/true);
  }
  return Combine(model, raw, words, joined_rules, lex, polarity, language, tweet, out, plain);
}

PolarityEvidence SentimentClassifier::JoinedPolarity(
    const std::vector<const Part*>& parts) {
  thread_local std::vector<const PolarityEvidence*> evidence;
  evidence.clear();
  for (const Part* p : parts) evidence.push_back(&p->polarity);
  return JoinPolarity(evidence.data(), evidence.size());
}

const MetaModel* SentimentClassifier::MetaFor(const Model& model) const {
  return params_.use_meta ? model.meta.get() : nullptr;
}

Sentiment SentimentClassifier::Combine(const Model& model,
                                       const std::vector<float>& base,
                                       int words, const RuleScore& r,
                                       const LexiconCounts& lex,
                                       const PolarityEvidence& e,
                                       std::string_view language,
                                       bool tweet, Probs* out, bool plain) const {
  // The meta model's probabilities replace the base model's.
  thread_local std::vector<float> meta;
  const MetaModel* mm = MetaFor(model);
  if (mm != nullptr) mm->Predict(base, lex, &meta);
  const std::vector<float>& raw = mm != nullptr ? meta : base;
  const float length_k = model.length_k;
  const float temper =
      length_k > 0 ? static_cast<float>(words) / (static_cast<float>(words) + length_k)
                   : 1.0f;
  std::array<float, 4> z{};
  std::array<bool, 4> present{};
  for (int k = 0; k < kNumClasses; ++k) {
    present[k] = model.class_index[k] >= 0;
    if (present[k]) {
      z[k] = temper * std::log(std::max(raw[model.class_index[k]], 1e-6f));
    }
  }
  const bool binary = !present[kNeu] && !present[kMix];
  // Social posts are not what the table was written for (a #hashtag or an
  // @mention: multi_tweets.dev loses 0.4 points macro-F1 under the layer).
  const bool compose = params_.use_composition && !tweet && !plain;
  if (params_.use_rules) {
    // Rules weigh more where the model is tempered most (short texts).
    // A meta model already weighs the lexicon: the rules add less. Where
    // the compositional layer reads an opinion in a text longer than
    // composed_rule_words it carries the same words clause by clause
    // (composed_rule_weight).
    const bool composed = compose && !e.NoOpinion() &&
                          static_cast<float>(words) > params_.composed_rule_words;
    const float rule_weight = mm != nullptr ? params_.meta_rule_weight
                              : composed    ? params_.composed_rule_weight
                                            : params_.rule_weight;
    const float emoji_weight = mm != nullptr ? params_.meta_emoji_weight : params_.emoji_weight;
    const float w = rule_weight * (2.0f - temper);
    const float shift = w * r.score + emoji_weight * r.emoji /
                                          std::sqrt(r.emoji * r.emoji + 1.0f);
    z[kPos] += shift;
    z[kNeg] -= shift;
    if (present[kNeu]) z[kNeu] -= 0.5f * std::fabs(shift);
    if (present[kMix] && (r.positive == 0 || r.negative == 0)) {
      // MIXED needs both sides; one-sided evidence argues against it.
      z[kMix] -= w * std::fabs(r.score);
    }
  }
  const bool borrowed = RouteFor(language).reviews_by_tweet_model;
  if (compose && !e.NoOpinion()) {
    // Clause-level evidence dominates the model (models/README.md). On a
    // long text without a construction the table's words are mostly what
    // the model already weighs: they shift it less.
    const float net =
        e.Net() + params_.compose_lexicon * (e.lexicon_positive - e.lexicon_negative);
    float damp =
        std::min(1.0f, params_.compose_words / static_cast<float>(std::max(words, 1)));
    if (static_cast<float>(words) > params_.compose_plain_words && e.constructions == 0) {
      damp *= params_.compose_plain;
    }
    const float weight =
        (borrowed ? params_.borrowed_compose_weight : ComposeWeight(params_, language)) *
        (e.constructions > 0 ? params_.compose_construction : 1.0f);
    const float shift = damp * weight * net / std::sqrt(net * net + 1.0f);
    z[kPos] += shift;
    z[kNeg] -= shift;
    if (present[kNeu]) z[kNeu] -= 0.5f * std::fabs(shift);
  }
  Softmax(z, present);
  Probs p = z;
  if (binary) {
    // Two-class model: a small margin means neither; spread it to neutral.
    float margin = std::fabs(p[kPos] - p[kNeg]);
    if (margin < params_.neutral_margin) {
      // NEUTRAL wins exactly when the margin is below neutral_margin.
      p[kNeu] = 0.5f + 0.5f * (1.0f - margin / params_.neutral_margin);
      p[kPos] *= 1.0f - p[kNeu];
      p[kNeg] *= 1.0f - p[kNeu];
    }
  }
  if (compose && e.sentences > 0) {
    // A length-tempered model (English) is judged by how sure it is
    // itself: tempering makes every short sentence look unsure.
    float model_top = 0;
    for (int k = 0; k < kNumClasses; ++k) {
      if (present[k]) model_top = std::max(model_top, raw[model.class_index[k]]);
    }
    Compose(e, params_.neutral_raw && length_k > 0 ? model_top : -1.0f, words,
            r.emoji != 0, &p);
  }
  if (out != nullptr) *out = p;
  return FromProbs(p, ConfidenceCap(language));
}

void SentimentClassifier::Compose(const PolarityEvidence& e, float model_top,
                                  int words, bool emoji, Probs* p) const {
  Probs& q = *p;
  // A question is not a complaint; a note without evidence is NEUTRAL
  // unless the model is sure. (MIXED is decided on the aspects' clauses:
  // nlp/analyzer.cc.)
  const float top =
      model_top >= 0 ? model_top : *std::max_element(q.begin(), q.end());
  const float keep =
      model_top >= 0 ? params_.neutral_keep_untempered : params_.neutral_keep;
  // An order note without opinion evidence is NEUTRAL unless the model is
  // very sure (the model reads "zamówienie", "Bestellung" as complaints:
  // its training reviews mention orders mostly when they went wrong).
  const bool note = e.notes > 0 && !emoji && (e.failures == 0 || !params_.note_failures) &&
                    static_cast<float>(words) <=
                        (e.calms > 0 ? params_.calm_words : params_.note_words) &&
                    e.positive == 0 && e.negative == 0 &&
                    e.lexicon_positive + e.lexicon_negative <= params_.note_lexicon &&
                    top < params_.note_keep;
  // A calm notice of a complaint put right ("Box dented, but the lamp
  // inside is fine, just letting you know"): a CALM marker, a complaint and
  // at least calm_relief times as much reassurance, nothing sarcastic.
  // Tenth pass: a DISMISS marker ("no big deal", "all fine now", "fixed it
  // myself", "is that normal?") is dismiss_weight of reassurance against a
  // complaint no greater than the praise it has (none: "Keine große
  // Sache, aber vielleicht können Sie die 5 Euro gutschreiben?"); praise
  // beyond the complaint makes the text a review ("Toller Mixer, sehr
  // leise. Nur als Anregung: ein Rezeptheft wäre schön").
  const float complaint = e.negative + e.lexicon_negative;
  const float praise = e.positive + e.lexicon_positive;
  const float dismissed =
      params_.dismiss_weight * static_cast<float>(params_.dismiss_weight > 0 ? e.dismissals : 0);
  const bool relieved =
      (complaint > 0 && praise >= params_.calm_relief * complaint) ||
      (dismissed > 0 && praise <= complaint &&
       praise + dismissed >= params_.calm_relief * complaint);
  const bool calm_relief = params_.calm_relief > 0 && e.calms > 0 && !emoji &&
                           e.sarcasms == 0 && e.failures == 0 && relieved &&
                           static_cast<float>(words) <= params_.calm_words;
  if (e.QuestionsOnly() || (e.hits == 0 && top < keep) || note || calm_relief) {
    q = {0.2f, 0.2f, 0.6f, 0.0f};
    return;
  }
  // Sarcasm ("Great, broke on day two", "thanks for nothing") is a
  // complaint whatever the model read in its praise.
  if (e.sarcasms > 0 && e.Net() < 0 && q[kNeg] < 0.6f) {
    q = {0.15f, 0.6f, 0.15f, 0.1f};
  }
  // "Paczka szła długo, ale kurtka warta każdego dnia czekania": in a
  // short text the clause after the last "but" decides when the evidence
  // agrees with it, against the model's other side.
  if (params_.contrast_override > 0 && e.buts > 0 &&
      static_cast<float>(words) <= params_.contrast_override_words &&
      std::fabs(e.Net()) >= params_.contrast_override &&
      e.Net() * e.after_contrast > 0) {
    const int side = e.Net() > 0 ? kPos : kNeg;
    const int other = side == kPos ? kNeg : kPos;
    if (q[other] > q[side]) std::swap(q[side], q[other]);
  }
  // "Brak zastrzeżeń, towar zgodny z opisem", "Zero problemów ze
  // zwrotem", "Does the job": praise by denying a problem, or a praise
  // idiom, decides when nothing in the text complains (the models read
  // "problem", "zastrzeżenia" as complaints).
  if (params_.denial_lexicon >= 0 && e.denials + e.praise_idioms > 0 && e.negative == 0 &&
      e.sarcasms == 0 && e.lexicon_negative <= params_.denial_lexicon && e.Net() > 0) {
    const int top_class =
        static_cast<int>(std::max_element(q.begin(), q.end()) - q.begin());
    // The model's MIXED of a longer text may have read a second topic; a
    // praise idiom does not overrule it ("Pytania z kosmosu, na szczęście
    // wystrzelałem 3.0": pl_clarin_emo.dev -1 sentence).
    if (top_class == kNeg || top_class == kNeu ||
        (top_class == kMix && e.denials > 0 &&
         static_cast<float>(words) <= params_.contrast_override_words)) {
      std::swap(q[top_class], q[kPos]);
    }
  }
  // "Die Bestellung kam am Montag. Geht zurück.": the model reads the
  // order facts NEUTRAL, the table a one-sided construction (the return)
  // at least evidence_over_neutral strong: that side, in a short text.
  if (params_.evidence_over_neutral > 0 && e.constructions > 0 && e.sarcasms == 0 &&
      (e.positive == 0) != (e.negative == 0) &&
      static_cast<float>(words) <= params_.evidence_over_neutral_words &&
      std::fabs(e.Net()) >= params_.evidence_over_neutral &&
      std::max_element(q.begin(), q.end()) - q.begin() == kNeu) {
    std::swap(q[kNeu], q[e.Net() > 0 ? kPos : kNeg]);
  }
  // "Trochę drogo, lecz jakość to rekompensuje": a short text whose "but"
  // comes down on one side is that side, not the model's MIXED (MIXED of
  // two aspects is the analyzer's, on their clauses).
  const int best = static_cast<int>(std::max_element(q.begin(), q.end()) - q.begin());
  if (best == kMix && e.buts > 0 &&
      static_cast<float>(words) <= params_.contrast_decides_words &&
      std::fabs(e.Net()) >= params_.contrast_decides) {
    const int side = e.Net() > 0 ? kPos : kNeg;
    q[side] += q[kMix];
    q[kMix] = 0;
  }
}

Sentiment SentimentClassifier::FuseRating(const Probs& text, float cap,
                                          int rating, int scale,
                                          Probs* fused) const {
  if (scale < 2 || rating < 1 || rating > scale) {
    if (fused != nullptr) *fused = text;
    return FromProbs(text, cap);
  }
  // 1 star -> -1, top -> +1, middle -> 0.
  const float star = 2.0f * static_cast<float>(rating - 1) /
                         static_cast<float>(scale - 1) - 1.0f;
  std::array<float, 4> z{};
  std::array<bool, 4> present{};
  for (int k = 0; k < kNumClasses; ++k) {
    present[k] = true;
    z[k] = std::log(std::max(text[k], 1e-4f));
  }
  z[kPos] += params_.rating_weight * star;
  z[kNeg] -= params_.rating_weight * star;
  z[kNeu] -= params_.rating_weight * 0.5f * std::fabs(star);
  Softmax(z, present);
  if (fused != nullptr) *fused = z;
  // A rating is strong evidence of the author's own opinion: the cap of an
  // unsupported language is lifted half-way.
  return FromProbs(z, std::max(cap, 0.5f * (cap + 1.0f)));
}

}  // namespace opinia::nlp
