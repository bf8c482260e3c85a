// Analyzer: Tokenize -> language id -> sentence and review sentiment (with
// title and star rating) -> aspects -> urgency.
//
// Title handling: the title is tokenized on its own and its tokens are put in
// front of the text's tokens for the review-level sentiment (the models were
// trained on "title. text"), so the title counts towards the overall
// sentiment and language, but sentences, aspects and urgency evidence are
// computed on `text` alone: every reported span is a byte offset into `text`.
#include "nlp/analyzer.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "nlp/analyzer_config.h"
#include "nlp/aspects.h"
#include "nlp/language_id.h"
#include "nlp/sentiment.h"
#include "nlp/text.h"
#include "nlp/urgency.h"

namespace opinia::nlp {
namespace {

constexpr char kVersionPrefix[] = "opinia-nlp-1";

// FNV-1a of the model files: the version changes whenever a model does.
uint64_t HashFile(const std::string& path, uint64_t h) {
  std::ifstream in(path, std::ios::binary);
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof(buf));
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ULL;
    }
  }
  return h;
}

class AnalyzerImpl : public Analyzer {
 public:
  AnalyzerImpl(std::unique_ptr<LanguageIdentifier> lid,
               std::unique_ptr<SentimentClassifier> sentiment,
               std::unique_ptr<AspectExtractor> aspects,
               std::unique_ptr<UrgencyAssessor> urgency, std::string version,
               AnalyzerConfig config)
      : config_(std::move(config)),
        lid_(std::move(lid)),
        sentiment_(std::move(sentiment)),
        aspects_(std::move(aspects)),
        urgency_(std::move(urgency)),
        version_(std::move(version)) {}

  Analysis Analyze(std::string_view text,
                   const AnalyzeOptions& options) const override {
    Analysis a;
    a.model_version = version_;
    const TokenizedText t = Tokenize(text);
    TokenizedText with_title;
    const TokenizedText* review = &t;
    if (!options.title.empty()) {
      with_title = Tokenize(options.title);
      with_title.tokens.insert(with_title.tokens.end(), t.tokens.begin(),
                               t.tokens.end());
      review = &with_title;
    }

    LanguageGuess lang = lid_->Identify(
        options.title.empty() ? text : std::string_view(), *review,
        options.language_hint, config_.lid_method);
    if (!options.title.empty() && lang.language == "und") {
      lang = lid_->Identify(text, t, options.language_hint, config_.lid_method);
    }
    a.language = lang.language;
    a.language_confidence = lang.confidence;

    a.sentences.reserve(t.sentences.size());
    SentimentClassifier::Probs probs{};
    // Each sentence's model input and rule contributions are kept: the
    // review's sentiment is computed from them without a second pass.
    const bool tweet = config_.route_tweets && (IsSocialSource(options.source) ||
                                                LooksLikeTweet(text));
    thread_local std::vector<SentimentClassifier::Part> parts;
    thread_local std::vector<const SentimentClassifier::Part*> part_ptrs;
    parts.resize(t.sentences.size() + 1);
    part_ptrs.clear();
    if (!options.title.empty()) {
      // The title is the first part (as "title. text" in training).
      thread_local TokenizedText title;
      title = Tokenize(options.title);
      sentiment_->Classify(title, 0, static_cast<int>(title.tokens.size()),
                           a.language, nullptr, &parts.back(), tweet);
      part_ptrs.push_back(&parts.back());
    }
    for (size_t si = 0; si < t.sentences.size(); ++si) {
      const Sentence& s = t.sentences[si];
      SentenceSentiment ss;
      ss.span = s.span;
      // Probabilities kept for a one-sentence review (below).
      ss.sentiment = sentiment_->Classify(t, s.first_token, s.end_token,
                                          a.language, &probs, &parts[si], tweet);
      part_ptrs.push_back(&parts[si]);
      a.sentences.push_back(ss);
    }

    const int n = static_cast<int>(review->tokens.size());
    if (n == 0) {
      a.sentiment = {0.0f, SentimentLabel::kNeutral, 0.0f};
      probs = {0.0f, 0.0f, 1.0f, 0.0f};
    } else if (review == &t && t.sentences.size() == 1 &&
               t.sentences[0].first_token == 0 && t.sentences[0].end_token == n) {
      // One sentence: the review is that sentence (saves a model call).
      a.sentiment = a.sentences[0].sentiment;
    } else {
      a.sentiment =
          sentiment_->ClassifyJoined(part_ptrs, a.language, &probs, tweet);
    }
    if (options.rating > 0) {
      const float cap = sentiment_->ConfidenceCap(a.language);
      a.sentiment = sentiment_->FuseRating(probs, cap, options.rating,
                                           options.rating_scale);
    }

    a.aspects = aspects_->Extract(text, t, a.language, a.sentences);
    a.urgency = urgency_->Assess(text, t, a.language, a.sentiment, options);
    return a;
  }

  std::string ModelVersion() const override { return version_; }

 private:
  const AnalyzerConfig config_;
  std::unique_ptr<LanguageIdentifier> lid_;
  std::unique_ptr<SentimentClassifier> sentiment_;
  std::unique_ptr<AspectExtractor> aspects_;
  std::unique_ptr<UrgencyAssessor> urgency_;
  std::string version_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzer(
    const std::string& models_dir) {
  return CreateAnalyzerWithConfig(models_dir, AnalyzerConfig());
}

absl::StatusOr<std::unique_ptr<Analyzer>> CreateAnalyzerWithConfig(
    const std::string& models_dir, const AnalyzerConfig& config) {
  auto lid = LanguageIdentifier::Create(models_dir);
  if (!lid.ok()) return lid.status();
  auto sentiment = SentimentClassifier::Create(models_dir, config.sentiment);
  if (!sentiment.ok()) return sentiment.status();
  uint64_t h = 1469598103934665603ULL;
  for (const char* f : {"lid.176.ftz", "sentiment_pl.lin", "sentiment_en.lin",
                        "sentiment_multi.lin", "sentiment_pl.meta",
                        "sentiment_en.meta", "sentiment_multi.meta",
                        "lexicon.tsv", "aspects.tsv", "urgency.tsv"}) {
    h = HashFile(models_dir + "/" + f, h);
  }
  auto aspects = AspectExtractor::Create(models_dir);
  if (!aspects.ok()) return aspects.status();
  auto urgency = UrgencyAssessor::Create(models_dir);
  if (!urgency.ok()) return urgency.status();
  return std::make_unique<AnalyzerImpl>(
      *std::move(lid), *std::move(sentiment), *std::move(aspects),
      *std::move(urgency),
      absl::StrFormat("%s-%08x", kVersionPrefix, static_cast<uint32_t>(h)),
      config);
}

}  // namespace opinia::nlp
