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
#include "util/status_macros.h"

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
    // Empty when there is no title. The scratch is per thread: Analyze() is
    // const and called from many threads.
    thread_local TokenizedText title;
    title = options.title.empty() ? TokenizedText() : Tokenize(options.title);
    const bool has_title = !options.title.empty();

    const LanguageGuess lang = IdentifyLanguage(text, t, title, has_title, options);
    a.language = lang.language;
    a.language_confidence = lang.confidence;

    const bool tweet = config_.route_tweets && (IsSocialSource(options.source) ||
                                                LooksLikeTweet(text));
    thread_local Parts parts;
    SentimentClassifier::Probs probs =
        ClassifySentences(t, has_title ? &title : nullptr, a.language, tweet,
                          &a.sentences, &parts);
    a.sentiment = ReviewSentiment(t, title, has_title, a, parts, tweet, &probs);
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
  // What each text part (the title, then every sentence) contributes to the
  // review's sentiment: kept from the sentence pass, so the review needs no
  // second pass over its tokens.
  struct Parts {
    std::vector<SentimentClassifier::Part> parts;
    std::vector<const SentimentClassifier::Part*> in_order;
  };

  // Language of the title and text together (the title's words help a short
  // review); of the text alone when that says nothing.
  LanguageGuess IdentifyLanguage(std::string_view text, const TokenizedText& t,
                                 const TokenizedText& title, bool has_title,
                                 const AnalyzeOptions& options) const {
    if (!has_title) {
      return lid_->Identify(text, t, options.language_hint, config_.lid_method);
    }
    TokenizedText with_title;
    with_title.tokens = title.tokens;
    with_title.tokens.insert(with_title.tokens.end(), t.tokens.begin(),
                             t.tokens.end());
    LanguageGuess lang = lid_->Identify(std::string_view(), with_title,
                                        options.language_hint, config_.lid_method);
    if (lang.language == "und") {
      lang = lid_->Identify(text, t, options.language_hint, config_.lid_method);
    }
    return lang;
  }

  // Sentiment of every sentence of `t` into `sentences`, keeping each part's
  // contribution in `parts` (the title, when given, first, as "title. text"
  // in training). Returns the last sentence's probabilities.
  SentimentClassifier::Probs ClassifySentences(
      const TokenizedText& t, const TokenizedText* title,
      std::string_view language, bool tweet,
      std::vector<SentenceSentiment>* sentences, Parts* parts) const {
    parts->parts.resize(t.sentences.size() + 1);
    parts->in_order.clear();
    if (title != nullptr) {
      sentiment_->Classify(*title, 0, static_cast<int>(title->tokens.size()),
                           language, nullptr, &parts->parts.back(), tweet);
      parts->in_order.push_back(&parts->parts.back());
    }
    SentimentClassifier::Probs probs{};
    sentences->reserve(t.sentences.size());
    for (size_t si = 0; si < t.sentences.size(); ++si) {
      const Sentence& s = t.sentences[si];
      SentenceSentiment ss;
      ss.span = s.span;
      ss.sentiment = sentiment_->Classify(t, s.first_token, s.end_token, language,
                                          &probs, &parts->parts[si], tweet);
      parts->in_order.push_back(&parts->parts[si]);
      sentences->push_back(ss);
    }
    return probs;
  }

  // The review's sentiment from its parts; `probs` holds the last sentence's
  // probabilities on entry and the review's on return.
  Sentiment ReviewSentiment(const TokenizedText& t, const TokenizedText& title,
                            bool has_title, const Analysis& a,
                            const Parts& parts, bool tweet,
                            SentimentClassifier::Probs* probs) const {
    const size_t n = title.tokens.size() + t.tokens.size();
    if (n == 0) {
      *probs = {0.0f, 0.0f, 1.0f, 0.0f};
      return {0.0f, SentimentLabel::kNeutral, 0.0f};
    }
    if (!has_title && t.sentences.size() == 1 &&
        t.sentences[0].first_token == 0 &&
        static_cast<size_t>(t.sentences[0].end_token) == n) {
      // One sentence: the review is that sentence (saves a model call).
      return a.sentences[0].sentiment;
    }
    return sentiment_->ClassifyJoined(parts.in_order, a.language, probs, tweet);
  }

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
  ASSIGN_OR_RETURN(auto lid, LanguageIdentifier::Create(models_dir));
  ASSIGN_OR_RETURN(auto sentiment,
                   SentimentClassifier::Create(models_dir, config.sentiment));
  std::vector<std::string> files = {"lid.176.ftz"};
  for (std::string& f : sentiment->ModelFiles()) files.push_back(std::move(f));
  for (const char* f : {"lexicon.tsv", "aspects.tsv", "urgency.tsv"}) {
    files.push_back(f);
  }
  uint64_t h = 1469598103934665603ULL;
  for (const std::string& f : files) h = HashFile(models_dir + "/" + f, h);
  ASSIGN_OR_RETURN(auto aspects, AspectExtractor::Create(models_dir));
  ASSIGN_OR_RETURN(auto urgency, UrgencyAssessor::Create(models_dir));
  return std::make_unique<AnalyzerImpl>(
      std::move(lid), std::move(sentiment), std::move(aspects),
      std::move(urgency),
      absl::StrFormat("%s-%08x", kVersionPrefix, static_cast<uint32_t>(h)),
      config);
}

}  // namespace opinia::nlp
