// The post/review router (nlp/tweet_router.h) and what the analyzer makes
// of it: per language hand-written posts without any of LooksLikeTweet()'s
// marks that it sends to the tweet model, short shop messages that stay
// with the review models, posts that the review model read wrong and the
// tweet model right; a models directory without router.lin analyses as
// before; a malformed one is INVALID_ARGUMENT naming it. The texts are
// written for this test, apart from the training and evaluation data.
#include "nlp/tweet_router.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

#include "gtest/gtest.h"
#include "nlp/analyzer.h"
#include "nlp/analyzer_config.h"
#include "nlp/sentiment.h"
#include "nlp/text.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

namespace fs = std::filesystem;

// Posts of the kind a collector fetches without a known platform (news,
// sport, politics, television), one or more per language the router may
// move.
const char* const kPosts[] = {
    "the president speaks at noon tomorrow, live on all channels",
    "heute abend spielt die nationalmannschaft gegen frankreich",
    "mañana es el debate presidencial, a ver qué dicen",
    "la conférence sur le climat s'ouvre demain à Paris",
    "domani il governo vota la nuova legge sul lavoro",
    "o governo aumentou os impostos de novo, que absurdo",
};

// Short shop messages with no rating and no title.
const char* const kReviews[] = {
    "The charger stopped working after two weeks, I'd like a replacement.",
    "Die Lieferung kam pünktlich, die Schuhe passen gut.",
    "El pedido llegó incompleto, falta el cable de carga.",
    "Colis reçu en bon état, le produit correspond à la description.",
    "Ho ricevuto il pacco ieri, la taglia è giusta.",
    "O produto chegou com defeito e ainda não recebi o reembolso.",
    "Paczka dotarła szybko, wszystko w porządku.",
};

TEST(TweetRouterTest, ReadsPostsAsPostsAndShopMessagesAsReviews) {
  auto router = TweetRouter::Load(test_paths::ModelsDir());
  ASSERT_TRUE(router.ok()) << router.status();
  ASSERT_TRUE((*router)->Enabled());
  EXPECT_EQ((*router)->File(), "router.lin");
  const AnalyzeOptions plain;
  for (const char* text : kPosts) {
    ASSERT_FALSE(LooksLikeTweet(text)) << text;
    const TokenizedText t = Tokenize(text);
    EXPECT_GE((*router)->PostProbability(t), TweetRouter::kThreshold) << text;
    EXPECT_TRUE((*router)->ToTweetModel(text, t, plain)) << text;
    // A rating or a title is a review form's: never a post.
    AnalyzeOptions rated;
    rated.rating = 4;
    EXPECT_FALSE((*router)->ToTweetModel(text, t, rated)) << text;
    AnalyzeOptions titled;
    titled.title = "Nice";
    EXPECT_FALSE((*router)->ToTweetModel(text, t, titled)) << text;
    // Nor is a text longer than a post.
    const std::string longer = std::string(text) + std::string(TweetRouter::kMaxBytes, ' ');
    EXPECT_FALSE((*router)->ToTweetModel(longer, Tokenize(longer), plain)) << text;
  }
  for (const char* text : kReviews) {
    const TokenizedText t = Tokenize(text);
    EXPECT_LT((*router)->PostProbability(t), 0.1f) << text;
    EXPECT_FALSE((*router)->ToTweetModel(text, t, plain)) << text;
  }
}

// A copy of the shipped models directory (symbolic links) without
// router.lin; removed with the object.
class ModelsWithoutRouter {
 public:
  explicit ModelsWithoutRouter(const std::string& name)
      : dir_(fs::path(::testing::TempDir()) / name) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    fs::create_directories(dir_);
    for (const fs::directory_entry& e : fs::directory_iterator(test_paths::ModelsDir())) {
      if (e.path().filename() == TweetRouter::kFile) continue;
      fs::create_symlink(fs::absolute(e.path()), dir_ / e.path().filename());
    }
  }
  ~ModelsWithoutRouter() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string dir() const { return dir_.string(); }
  fs::path router() const { return dir_ / TweetRouter::kFile; }

 private:
  fs::path dir_;
};

struct PostCase {
  const char* text;
  SentimentLabel label;
  bool review_model_wrong = true;
};

// Posts the review models read wrong (en: NEGATIVE, fr: NEGATIVE, it:
// POSITIVE) and the tweet model right. The Spanish one the Romance review
// model read NEGATIVE until it trained on the translated table rows
// (models/README.md, "Thirteenth pass: Romance languages from translated
// tables"), the German one the German review model read NEUTRAL until it
// trained with cases17 (eighteenth pass); both now read them right too.
const PostCase kPostCases[] = {
    {"the senate hearing on the oil spill starts tomorrow at ten", SentimentLabel::kNeutral},
    {"heute abend tatort, ich freu mich schon", SentimentLabel::kPositive, false},
    {"mañana es el debate presidencial, a ver qué dicen", SentimentLabel::kNeutral, false},
    {"la conférence sur le climat s'ouvre demain à Paris", SentimentLabel::kNeutral},
    {"oggi sciopero dei treni, tutti a casa", SentimentLabel::kNeutral},
};

TEST(TweetRouterAnalyzerTest, AnUnmarkedPostIsReadByTheTweetModel) {
  ModelsWithoutRouter copy("router_none_posts");
  auto with = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(with.ok()) << with.status();
  auto without = CreateAnalyzer(copy.dir());
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_NE((*with)->ModelVersion(), (*without)->ModelVersion());
  for (const PostCase& c : kPostCases) {
    const AnalyzeOptions plain;
    const Analysis a = (*with)->Analyze(c.text, plain);
    EXPECT_EQ(a.sentiment.label, c.label) << c.text;
    if (c.review_model_wrong) {
      EXPECT_NE((*without)->Analyze(c.text, plain).sentiment.label, c.label)
          << "review model: " << c.text;
    }
    // As if the collector had named the platform.
    AnalyzeOptions social;
    social.source = "twitter";
    const Analysis s = (*without)->Analyze(c.text, social);
    EXPECT_EQ(s.sentiment.label, a.sentiment.label) << c.text;
    EXPECT_FLOAT_EQ(s.sentiment.score, a.sentiment.score) << c.text;
  }
}

TEST(TweetRouterAnalyzerTest, WithoutTheFileEverythingIsAsBefore) {
  ModelsWithoutRouter copy("router_none");
  auto router = TweetRouter::Load(copy.dir());
  ASSERT_TRUE(router.ok()) << router.status();
  EXPECT_FALSE((*router)->Enabled());
  EXPECT_EQ((*router)->File(), "");
  const TokenizedText t = Tokenize(kPosts[0]);
  EXPECT_EQ((*router)->PostProbability(t), 0.0f);
  EXPECT_FALSE((*router)->ToTweetModel(kPosts[0], t, AnalyzeOptions()));
  auto with = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(with.ok()) << with.status();
  auto without = CreateAnalyzer(copy.dir());
  ASSERT_TRUE(without.ok()) << without.status();
  // A shop message reads the same with and without the router.
  for (const char* text : kReviews) {
    const Analysis a = (*with)->Analyze(text, AnalyzeOptions());
    const Analysis b = (*without)->Analyze(text, AnalyzeOptions());
    EXPECT_EQ(a.sentiment.label, b.sentiment.label) << text;
    EXPECT_FLOAT_EQ(a.sentiment.score, b.sentiment.score) << text;
  }
}

// Twelfth pass: the analysis says which way the text went (opinia-eval's
// "router: N of M texts read as posts" counts kRoutedPost): the router's
// posts, the marked ones and the social sources apart, reviews (also a
// post with a rating, and any text with routing off or without router.lin).
TEST(TweetRouterAnalyzerTest, TheAnalysisSaysHowTheTextWasRouted) {
  ModelsWithoutRouter copy("router_none_route");
  auto with = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(with.ok()) << with.status();
  auto without = CreateAnalyzer(copy.dir());
  ASSERT_TRUE(without.ok()) << without.status();
  AnalyzerConfig off;
  off.route_tweets = false;
  auto unrouted = CreateAnalyzerWithConfig(test_paths::ModelsDir(), off);
  ASSERT_TRUE(unrouted.ok()) << unrouted.status();
  AnalyzeOptions social;
  social.source = "twitter";
  AnalyzeOptions rated;
  rated.rating = 3;
  for (const PostCase& c : kPostCases) {
    EXPECT_EQ((*with)->Analyze(c.text, AnalyzeOptions()).route, TextRoute::kRoutedPost) << c.text;
    EXPECT_EQ((*with)->Analyze(c.text, social).route, TextRoute::kMarkedPost) << c.text;
    EXPECT_EQ((*with)->Analyze(std::string("@someone ") + c.text, AnalyzeOptions()).route,
              TextRoute::kMarkedPost)
        << c.text;
    EXPECT_EQ((*with)->Analyze(c.text, rated).route, TextRoute::kReview) << c.text;
    EXPECT_EQ((*without)->Analyze(c.text, AnalyzeOptions()).route, TextRoute::kReview) << c.text;
    EXPECT_EQ((*unrouted)->Analyze(c.text, social).route, TextRoute::kReview) << c.text;
  }
  for (const char* text : kReviews) {
    EXPECT_EQ((*with)->Analyze(text, AnalyzeOptions()).route, TextRoute::kReview) << text;
  }
}

// Fourteenth pass (models/README.md "Fourteenth pass: the router"): the
// threshold is the detected language's (French 0.6, Spanish 0.85; English
// keeps kThreshold), and a text that names a shop aspect stays a review.
TEST(TweetRouterTest, TheThresholdIsTheLanguages) {
  EXPECT_FLOAT_EQ(TweetRouter::Threshold("fr"), 0.6f);
  EXPECT_FLOAT_EQ(TweetRouter::Threshold("it"), 0.8f);
  EXPECT_FLOAT_EQ(TweetRouter::Threshold("es"), 0.85f);
  for (const char* lang : {"en", "de", "pt", "pl", "und", ""}) {
    EXPECT_FLOAT_EQ(TweetRouter::Threshold(lang), TweetRouter::kThreshold) << lang;
  }
}

// The shipped router, the analyzer with the default config and one with
// `other`: a routing setting against its default.
struct RoutingPair {
  std::unique_ptr<TweetRouter> router;
  std::unique_ptr<Analyzer> analyzer;
  std::unique_ptr<Analyzer> other;
};

void LoadRoutingPair(const AnalyzerConfig& other, RoutingPair* pair) {
  auto router = TweetRouter::Load(test_paths::ModelsDir());
  ASSERT_TRUE(router.ok()) << router.status();
  auto analyzer = CreateAnalyzer(test_paths::ModelsDir());
  ASSERT_TRUE(analyzer.ok()) << analyzer.status();
  auto with_other = CreateAnalyzerWithConfig(test_paths::ModelsDir(), other);
  ASSERT_TRUE(with_other.ok()) << with_other.status();
  pair->router = *std::move(router);
  pair->analyzer = *std::move(analyzer);
  pair->other = *std::move(with_other);
  EXPECT_NE(pair->analyzer->ModelVersion(), pair->other->ModelVersion());
}

// French posts the router reads below kThreshold, above French's
// threshold.
const char* const kBelowThresholdPosts[] = {
    "encore un débat à l'assemblée sur les retraites",
    "encore une grève des trains demain, j'en ai marre",
};

TEST(TweetRouterAnalyzerTest, APostBelowTheThresholdMovesAtItsLanguages) {
  AnalyzerConfig one;
  one.router_threshold = TweetRouter::kThreshold;
  RoutingPair p;
  ASSERT_NO_FATAL_FAILURE(LoadRoutingPair(one, &p));
  for (const char* text : kBelowThresholdPosts) {
    const Analysis a = p.analyzer->Analyze(text, AnalyzeOptions());
    EXPECT_LT(p.router->PostProbability(Tokenize(text)), TweetRouter::kThreshold) << text;
    EXPECT_GE(p.router->PostProbability(Tokenize(text)), TweetRouter::Threshold(a.language))
        << text;
    EXPECT_EQ(a.route, TextRoute::kRoutedPost) << text;
    EXPECT_EQ(p.other->Analyze(text, AnalyzeOptions()).route, TextRoute::kReview) << text;
  }
}

// Posts the router reads above kThreshold that name a shop aspect (price).
const char* const kAspectPosts[] = {
    "the president speaks at noon tomorrow about the price of bread, live on all channels",
    "the senate hearing on the oil price starts tomorrow at ten",
};

TEST(TweetRouterAnalyzerTest, ATextThatNamesAShopAspectStaysAReview) {
  AnalyzerConfig ungated;
  ungated.router_aspect_gate = false;
  RoutingPair p;
  ASSERT_NO_FATAL_FAILURE(LoadRoutingPair(ungated, &p));
  for (const char* text : kAspectPosts) {
    EXPECT_GE(p.router->PostProbability(Tokenize(text)), TweetRouter::kThreshold) << text;
    const Analysis a = p.analyzer->Analyze(text, AnalyzeOptions());
    EXPECT_EQ(a.route, TextRoute::kReview) << text;
    EXPECT_FALSE(a.aspects.empty()) << text;
    EXPECT_EQ(p.other->Analyze(text, AnalyzeOptions()).route, TextRoute::kRoutedPost) << text;
  }
  // The posts that name none still move.
  for (const PostCase& c : kPostCases) {
    EXPECT_EQ(p.analyzer->Analyze(c.text, AnalyzeOptions()).route, TextRoute::kRoutedPost)
        << c.text;
  }
}

void ExpectRejected(const std::string& dir) {
  auto router = TweetRouter::Load(dir);
  ASSERT_FALSE(router.ok());
  EXPECT_EQ(router.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(router.status().message().find("router.lin"), std::string::npos) << router.status();
  auto analyzer = CreateAnalyzer(dir);
  ASSERT_FALSE(analyzer.ok());
  EXPECT_EQ(analyzer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(analyzer.status().message().find("router.lin"), std::string::npos)
      << analyzer.status();
}

TEST(TweetRouterTest, RejectsAFileThatIsNotAModel) {
  ModelsWithoutRouter copy("router_garbage");
  std::ofstream(copy.router()) << "not a model\n";
  ExpectRejected(copy.dir());
}

TEST(TweetRouterTest, RejectsAModelWithOtherLabels) {
  // The English review model: four sentiment classes, not post / review.
  ModelsWithoutRouter copy("router_wrong_labels");
  fs::create_symlink(fs::absolute(fs::path(test_paths::ModelsDir()) / "sentiment_en.lin"),
                     copy.router());
  ExpectRejected(copy.dir());
}

}  // namespace
}  // namespace opinia::nlp
