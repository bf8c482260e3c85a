// The result of analysing one text: plain C++ types, no protos, no gRPC.
// Every span is a pair of byte offsets [begin, end) into the original text.
#ifndef OPINIA_NLP_ANALYSIS_H_
#define OPINIA_NLP_ANALYSIS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace opinia::nlp {

struct Span {
  int32_t begin = 0;
  int32_t end = 0;
  bool operator==(const Span& o) const {
    return begin == o.begin && end == o.end;
  }
};

enum class SentimentLabel { kUnspecified = 0, kNegative, kNeutral, kPositive, kMixed };

struct Sentiment {
  float score = 0;  // [-1, 1]
  SentimentLabel label = SentimentLabel::kUnspecified;
  float confidence = 0;  // [0, 1]
};

// Values match opinia.v1.Aspect so conversion is a cast.
enum class Aspect {
  kUnspecified = 0,
  kProductQuality = 1,
  kPrice = 2,
  kDelivery = 3,
  kReturns = 4,
  kPayment = 5,
  kCustomerService = 6,
  kUsability = 7,
  kPackaging = 8,
};

struct AspectSentiment {
  Aspect aspect = Aspect::kUnspecified;
  Sentiment sentiment;
  std::vector<Span> evidence;
  // A term of the aspect is in the text (false: PRODUCT_QUALITY only from
  // clauses with an opinion that name nothing, nlp/aspects.h).
  bool named = true;
};

struct SentenceSentiment {
  Span span;
  Sentiment sentiment;
};

// Values match opinia.v1.Priority so conversion is a cast.
enum class Priority { kUnspecified = 0, kP1 = 1, kP2 = 2, kP3 = 3, kP4 = 4, kNone = 5 };

struct Urgency {
  Priority priority = Priority::kNone;
  std::vector<std::string> reasons;  // LEGAL_THREAT, HEALTH_SAFETY, ...
  std::vector<Span> evidence;
};

// Which sentiment model read the text (nlp/tweet_router.h): the review
// model, or the tweet model because of the text's source or marks
// (IsSocialSource(), LooksLikeTweet()) or because the post/review router
// read the unmarked text as a post.
enum class TextRoute { kReview = 0, kMarkedPost, kRoutedPost };

struct Analysis {
  std::string language = "und";  // BCP-47
  float language_confidence = 0;
  Sentiment sentiment;
  TextRoute route = TextRoute::kReview;
  std::vector<SentenceSentiment> sentences;
  std::vector<AspectSentiment> aspects;
  Urgency urgency;
  std::string model_version;
};

// What the caller knows about the text besides its words.
struct AnalyzeOptions {
  std::string title;          // analysed together with the text when set
  std::string language_hint;  // BCP-47 or empty
  int rating = 0;             // 0 = none, else 1..rating_scale
  int rating_scale = 5;
  std::string source;  // platform id; some platforms have high reach
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_ANALYSIS_H_
