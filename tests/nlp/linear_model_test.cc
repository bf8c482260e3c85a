// LinearModel (the sentiment models' inference): load errors, exact
// probabilities on a hand-made model, agreement with a plain reference
// implementation of the documented formula on every dev/test text with the
// shipped models, and the review computed from its sentences' parts (as the
// analyzer does) equal to the model on the training line (ReviewInput).
#include "nlp/linear_model.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "gtest/gtest.h"
#include "nlp/sentiment_features.h"
#include "nlp/text.h"
#include "nlp/tools/tsv.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

using ::opinia::nlp::test_paths::ModelsDir;
using ::opinia::nlp::test_paths::DataDir;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("opinia_linear_model_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

template <typename T>
void Put(std::string* s, T v) {
  s->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

struct Feature {
  std::string token;  // unigram whose hash is stored
  float idf;
  std::vector<float> w;
};

// Everything after the magic (and OPLM2/3's n-gram sizes): classes, bias,
// features with float (OPLM1/2) or binary16 (OPLM3) idf and weights.
std::string ModelBody(const std::vector<std::string>& labels,
                      const std::vector<float>& bias,
                      const std::vector<Feature>& features, bool half) {
  std::string s;
  Put<uint32_t>(&s, static_cast<uint32_t>(labels.size()));
  for (const auto& l : labels) {
    Put<uint32_t>(&s, static_cast<uint32_t>(l.size()));
    s += l;
  }
  for (float b : bias) Put<float>(&s, b);
  Put<uint64_t>(&s, features.size());
  for (const Feature& f : features) {
    std::vector<uint64_t> h;
    LinearFeatures(f.token, &h);
    Put<uint64_t>(&s, h.at(0));
    if (half) {
      Put<uint16_t>(&s, FloatToHalf(f.idf));
      for (float w : f.w) Put<uint16_t>(&s, FloatToHalf(w));
    } else {
      Put<float>(&s, f.idf);
      for (float w : f.w) Put<float>(&s, w);
    }
  }
  return s;
}

// A model file in the documented format.
std::string ModelBytes(const std::vector<std::string>& labels,
                       const std::vector<float>& bias,
                       const std::vector<Feature>& features) {
  return "OPLM1\n" + ModelBody(labels, bias, features, /*half=*/false);
}

// The same model in the quantized format (OPLM3, binary16 idf and weights),
// with character n-grams min..max (0, 0: none).
std::string HalfModelBytes(const std::vector<std::string>& labels,
                           const std::vector<float>& bias,
                           const std::vector<Feature>& features,
                           uint32_t min = 0, uint32_t max = 0) {
  std::string s = "OPLM3\n";
  Put<uint32_t>(&s, min);
  Put<uint32_t>(&s, max);
  return s + ModelBody(labels, bias, features, /*half=*/true);
}

// An OPLM1 file's model as OPLM2 with character n-grams min..max.
std::string WithChars(const std::string& oplm1, uint32_t min, uint32_t max) {
  std::string s = "OPLM2\n";
  Put<uint32_t>(&s, min);
  Put<uint32_t>(&s, max);
  return s + oplm1.substr(6);
}

std::string WriteFile(const std::string& name, const std::string& bytes) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

double Sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

TEST(LinearFeaturesTest, TokensAndPairs) {
  struct Case {
    const char* input;
    size_t features;
  };
  for (const Case& c : std::vector<Case>{{"", 0},
                                         {"   ", 0},
                                         {"good", 1},
                                         {"not good", 3},
                                         {"a  b   c", 5},
                                         {"nie polecam ~polec", 5}}) {
    std::vector<uint64_t> f;
    LinearFeatures(c.input, &f);
    EXPECT_EQ(f.size(), c.features) << c.input;
    for (uint64_t h : f) EXPECT_NE(h, 0u) << c.input;
  }
  // Order matters for pairs, not for the set of unigrams.
  std::vector<uint64_t> ab, ba;
  LinearFeatures("a b", &ab);
  LinearFeatures("b a", &ba);
  EXPECT_EQ(ab[0], ba[1]);
  EXPECT_NE(ab[2], ba[2]);
}

TEST(LinearFeaturesTest, CharacterGrams) {
  const CharGrams c36{3, 6};
  struct Case {
    const char* input;
    size_t features;  // tokens + pairs + grams
  };
  for (const Case& c : std::vector<Case>{
           {"", 0},
           // "<good>": 6 code points -> 4 + 3 + 2 + 1 grams of 3..6.
           {"good", 1 + 10},
           // The same in code points, not bytes: "<żółw>".
           {"\xC5\xBC\xC3\xB3\xC5\x82w", 1 + 10},
           // "<a>": 3 code points -> one 3-gram.
           {"a", 1 + 1},
           // Marks of SentimentInput() get none.
           {"neg_good ~polec", 2 + 1},
           // "<not>": 3 + 2 + 1.
           {"not good", 3 + (3 + 2 + 1) + 10},
           // A stray continuation byte belongs to the code point before
           // it: "<\x80" ">" are 2 points, too few for a 3-gram.
           {"\x80", 1 + 0}}) {
    std::vector<uint64_t> f;
    LinearFeatures(c.input, &f, c36);
    EXPECT_EQ(f.size(), c.features) << c.input;
    for (uint64_t h : f) EXPECT_NE(h, 0u) << c.input;
  }
  // Without n-grams the features are the OPLM1 ones.
  std::vector<uint64_t> plain, with, grams;
  LinearFeatures("so good", &plain);
  LinearFeatures("so good", &with, c36, &grams);
  EXPECT_EQ(with, plain);
  EXPECT_EQ(grams.size(), 3u + 10u);  // "<so>": 2 + 1; "<good>": 10
  // Words that share letters share grams ("<go", "goo", "ood", "<goo", ...),
  // and a gram is not the token of the same letters.
  std::vector<uint64_t> good, goods, token;
  LinearFeatures("good", &good, c36);
  LinearFeatures("goods", &goods, c36);
  LinearFeatures("<go", &token);
  int shared = 0;
  for (size_t i = 1; i < good.size(); ++i) {
    for (size_t j = 1; j < goods.size(); ++j) shared += good[i] == goods[j];
  }
  EXPECT_EQ(shared, 3 + 2 + 1);  // <go goo ood, <goo good, <good
  for (uint64_t h : good) EXPECT_NE(h, token.at(0));
}

TEST(HalfFloatTest, KnownValuesAndRounding) {
  struct Case {
    float f;
    uint16_t h;
  };
  for (const Case& c : std::vector<Case>{
           {0.0f, 0x0000},       {-0.0f, 0x8000},     {1.0f, 0x3C00},
           {-2.0f, 0xC000},      {0.5f, 0x3800},      {65504.0f, 0x7BFF},
           {0.1f, 0x2E66},       {6.1035156e-05f, 0x0400},  // smallest normal
           {5.9604645e-08f, 0x0001},                        // smallest subnormal
           {1e-9f, 0x0000},      {1e6f, 0x7C00},      {-1e6f, 0xFC00},
           // Ties go to the even mantissa: 2049 -> 2048, 2051 -> 2052.
           {2049.0f, 0x6800},    {2051.0f, 0x6802},
           // A carry out of the mantissa moves to the next exponent.
           {2047.9f, 0x6800}}) {
    EXPECT_EQ(FloatToHalf(c.f), c.h) << c.f;
  }
  EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(std::nanf("")))));
  EXPECT_TRUE(std::isinf(HalfToFloat(0x7C00)));
}

TEST(HalfFloatTest, EveryHalfRoundTripsAndFloatsStayClose) {
  for (uint32_t h = 0; h <= 0xFFFF; ++h) {
    const float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(FloatToHalf(f), h) << std::hex << h;
  }
  // Normal range: relative error at most 2^-11 (half a unit in the last
  // place of an 11-bit significand).
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 100000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const double u = static_cast<double>(x >> 11) / 9007199254740992.0;  // [0, 1)
    const float f = static_cast<float>(std::ldexp(1.0 + u, static_cast<int>(x % 30) - 14)) *
                    ((x & 1) != 0 ? -1.0f : 1.0f);
    const float back = HalfToFloat(FloatToHalf(f));
    ASSERT_LE(std::fabs(back - f), std::fabs(f) * (1.0 / 2048)) << f;
  }
}

// The filter in front of a model's table: it must never answer "absent"
// for a feature it holds (predictions would change), and should answer it
// for most others (else it saves no lookup).
TEST(FeatureFilterTest, NoFalseNegativesFewFalsePositives) {
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x;
  };
  FeatureFilter unset;  // before Reset(): lets everything through
  EXPECT_TRUE(unset.MayContain(next()));
  FeatureFilter f;
  f.Reset(1000);
  std::vector<uint64_t> held;
  for (int i = 0; i < 1000; ++i) {
    held.push_back(next());
    f.Add(held.back());
  }
  for (uint64_t v : held) EXPECT_TRUE(f.MayContain(v)) << v;
  int passed = 0;
  for (int i = 0; i < 100000; ++i) passed += f.MayContain(next());
  EXPECT_LT(passed, 100000 / 5);
}

// The table's fast widening of binary16 (scalar and four or eight at a
// time in Row()) must give HalfToFloat()'s float for every finite half:
// the models' rows are stored as binary16 and widened at each lookup, so a
// difference would change predictions.
TEST(FeatureTableTest, RowsWidenEveryFiniteHalfExactly) {
  std::vector<uint16_t> finite;
  for (uint32_t h = 0; h <= 0xFFFF; ++h) {
    if (((h >> 10) & 0x1F) != 0x1F) finite.push_back(static_cast<uint16_t>(h));
  }
  auto same = [](float a, float b) {
    uint32_t x = 0;
    uint32_t y = 0;
    std::memcpy(&x, &a, sizeof(x));
    std::memcpy(&y, &b, sizeof(y));
    return x == y;
  };
  for (uint16_t h : finite) {
    ASSERT_TRUE(same(FiniteHalfToFloat(h), HalfToFloat(h))) << h;
  }
  for (const size_t width : {3, 5, 9}) {  // narrow, wide, the aspect detector's
    FeatureTable table;
    const size_t n = (finite.size() + width - 1) / width;
    table.Reset(n, width, /*half=*/true);
    for (size_t i = 0; i < n; ++i) {
      uint16_t row[9] = {};
      for (size_t j = 0; j < width; ++j) row[j] = finite[(i * width + j) % finite.size()];
      ASSERT_TRUE(table.Insert(0x1000 + i, row));
    }
    for (size_t i = 0; i < n; ++i) {
      const int64_t entry = table.Find(0x1000 + i);
      ASSERT_GE(entry, 0);
      float out[8];
      table.Row(static_cast<uint32_t>(entry), out);
      for (size_t j = 0; j < width; ++j) {
        const uint16_t h = finite[(i * width + j) % finite.size()];
        const float got = j < 8 && (width > 4 || j < 4)
                              ? out[j]
                              : table.Value(static_cast<uint32_t>(entry), j);
        ASSERT_TRUE(same(got, HalfToFloat(h))) << "width " << width << " value " << h;
        ASSERT_TRUE(same(table.Value(static_cast<uint32_t>(entry), j), HalfToFloat(h)));
      }
    }
  }
}

// Lookups find exactly the keys inserted, with their rows, also when many
// keys share a home bucket (probing into the next buckets and around the
// end of the table), and nothing else; a repeated key is refused.
TEST(FeatureTableTest, FindsExactlyTheInsertedKeys) {
  for (const bool half : {false, true}) {
    for (const size_t width : {3, 4, 5}) {
      FeatureTable table;
      table.Reset(300, width, half);
      std::map<uint64_t, std::vector<float>> held;
      uint64_t x = 12345;
      for (int i = 0; i < 300; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        // A third of the keys on the last bucket's home (low bits all set):
        // their probes wrap around to the first buckets.
        const uint64_t key = (i % 3 == 0 ? (x | 0xFFFF) : x) | 1;
        std::vector<float> row(width);
        uint16_t packed[8] = {};
        for (size_t j = 0; j < width; ++j) {
          packed[j] = FloatToHalf(static_cast<float>(i) * 0.25f - static_cast<float>(j));
          row[j] = HalfToFloat(packed[j]);
        }
        ASSERT_TRUE(half ? table.Insert(key, packed) : table.Insert(key, row.data()));
        EXPECT_FALSE(half ? table.Insert(key, packed) : table.Insert(key, row.data()));
        held[key] = row;
      }
      for (const auto& [key, row] : held) {
        const int64_t entry = table.Find(key);
        ASSERT_GE(entry, 0) << key;
        float out[8];
        table.Row(static_cast<uint32_t>(entry), out);
        for (size_t j = 0; j < width; ++j) EXPECT_EQ(out[j], row[j]) << key;
      }
      int found = 0;
      for (int i = 0; i < 100000; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const uint64_t key = (i % 3 == 0 ? (x | 0xFFFF) : x) | 1;
        found += held.count(key) == 0 && table.Find(key) >= 0;
      }
      EXPECT_EQ(found, 0);
    }
  }
}

// The filter and the lookup apart (Collect asks the filter once, then
// FindPassed): together they answer as Find() for inserted keys and others.
TEST(FeatureTableTest, FilterThenFindPassedIsFind) {
  FeatureTable table;
  table.Reset(500, 4, /*half=*/true);
  uint64_t x = 777;
  std::vector<uint64_t> inserted;
  for (int i = 0; i < 500; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const uint16_t packed[4] = {FloatToHalf(1.0f), FloatToHalf(static_cast<float>(i)), 0, 0};
    ASSERT_TRUE(table.Insert(x | 1, packed));
    inserted.push_back(x | 1);
  }
  for (const uint64_t key : inserted) {
    ASSERT_TRUE(table.MayContain(key));
    EXPECT_EQ(table.FindPassed(key), table.Find(key));
    EXPECT_GE(table.Find(key), 0);
  }
  int passed = 0;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const uint64_t key = x | 1;
    const int64_t split = table.MayContain(key) ? table.FindPassed(key) : -1;
    EXPECT_EQ(split, table.Find(key));
    passed += table.MayContain(key) ? 1 : 0;
  }
  // The filter lets few absent keys through.
  EXPECT_LT(passed, 20000 / 4);
}

TEST(LinearModelTest, QuantizedModelPredictsLikeTheFloatOne) {
  const std::vector<std::string> labels = {"positive", "negative", "neutral"};
  const std::vector<float> bias = {0.1f, -0.2f, 0.3f};
  const std::vector<Feature> features = {{"good", 2.0f, {1.0f, -1.0f, 0.0f}},
                                         {"bad", 1.1f, {-2.3f, 2.0f, 0.51f}},
                                         {"ok", 0.7f, {0.013f, -0.004f, 0.2f}}};
  const std::string full = WriteFile("full", ModelBytes(labels, bias, features));
  const std::string half =
      WriteFile("half", HalfModelBytes(labels, bias, features));
  auto f = LinearModel::Load(full);
  auto h = LinearModel::Load(half);
  std::filesystem::remove(full);
  std::filesystem::remove(half);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_FALSE((*h)->Chars().enabled());
  for (const char* input : {"", "good", "good bad ok", "ok ok ok bad", "x"}) {
    std::vector<float> pf, ph;
    (*f)->Predict(input, &pf);
    (*h)->Predict(input, &ph);
    ASSERT_EQ(pf.size(), ph.size());
    for (size_t k = 0; k < pf.size(); ++k) {
      EXPECT_NEAR(pf[k], ph[k], 1e-3) << input << " class " << k;
    }
  }
}

TEST(LinearModelTest, LoadErrors) {
  const std::string good =
      ModelBytes({"positive", "negative"}, {0.5f, -0.5f},
                 {{"good", 2.0f, {1.5f, -1.5f}}});
  struct Case {
    const char* name;
    std::string bytes;
    absl::StatusCode code;
  };
  const std::vector<Case> cases = {
      {"ok", good, absl::StatusCode::kOk},
      {"empty", "", absl::StatusCode::kInvalidArgument},
      {"magic", "OPLM9\n" + good.substr(6), absl::StatusCode::kInvalidArgument},
      {"chars_ok", WithChars(good, 3, 6), absl::StatusCode::kOk},
      {"chars_none", WithChars(good, 0, 0), absl::StatusCode::kInvalidArgument},
      {"chars_reversed", WithChars(good, 4, 3), absl::StatusCode::kInvalidArgument},
      {"chars_too_long", WithChars(good, 1, 9), absl::StatusCode::kInvalidArgument},
      {"half_ok", HalfModelBytes({"a", "b"}, {0, 0}, {{"x", 1, {1, -1}}}),
       absl::StatusCode::kOk},
      {"half_chars_ok",
       HalfModelBytes({"a", "b"}, {0, 0}, {{"x", 1, {1, -1}}}, 3, 6),
       absl::StatusCode::kOk},
      {"half_chars_reversed",
       HalfModelBytes({"a", "b"}, {0, 0}, {{"x", 1, {1, -1}}}, 4, 3),
       absl::StatusCode::kInvalidArgument},
      {"half_infinite_weight",
       HalfModelBytes({"a", "b"}, {0, 0}, {{"x", 1, {1e6f, -1}}}),
       absl::StatusCode::kInvalidArgument},
      {"half_truncated",
       HalfModelBytes({"a", "b"}, {0, 0}, {{"x", 1, {1, -1}}}).substr(0, 40),
       absl::StatusCode::kInvalidArgument},
      {"chars_truncated", WithChars(good, 3, 6).substr(0, 8),
       absl::StatusCode::kInvalidArgument},
      {"truncated", good.substr(0, good.size() - 3),
       absl::StatusCode::kInvalidArgument},
      {"trailing", good + "x", absl::StatusCode::kInvalidArgument},
      {"one_class", ModelBytes({"positive"}, {0.0f}, {}),
       absl::StatusCode::kInvalidArgument},
      {"duplicate",
       ModelBytes({"a", "b"}, {0, 0},
                  {{"x", 1, {1, -1}}, {"x", 1, {1, -1}}}),
       absl::StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    auto m = LinearModel::Load(WriteFile(c.name, c.bytes));
    EXPECT_EQ(m.status().code(), c.code) << c.name << ": " << m.status();
    std::filesystem::remove(TempPath(c.name));
  }
  EXPECT_EQ(LinearModel::Load(WriteFile("five_classes",
                                         ModelBytes({"a", "b", "c", "d", "e"},
                                                    {0, 0, 0, 0, 0}, {})))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  std::filesystem::remove(TempPath("five_classes"));
  EXPECT_EQ(LinearModel::Load(TempPath("does_not_exist")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(LinearModelTest, ProbabilitiesFollowTheFormula) {
  const std::string path = WriteFile(
      "hand", ModelBytes({"positive", "negative", "neutral"}, {0.1f, -0.2f, 0.3f},
                         {{"good", 2.0f, {1.0f, -1.0f, 0.0f}},
                          {"bad", 1.0f, {-2.0f, 2.0f, 0.5f}}}));
  auto m = LinearModel::Load(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->LabelIndex("neutral"), 2);
  EXPECT_EQ((*m)->LabelIndex("mixed"), -1);
  EXPECT_EQ((*m)->NumFeatures(), 2u);
  struct Case {
    const char* input;
    double x_good, x_bad;  // (1 + ln count) * idf, before normalisation
  };
  for (const Case& c : std::vector<Case>{{"", 0, 0},
                                         {"unknown words only", 0, 0},
                                         {"good", 2, 0},
                                         {"good good", 2 * (1 + std::log(2.0)), 0},
                                         {"good bad", 2, 1},
                                         {"bad x bad y bad", 0, 1 + std::log(3.0)}}) {
    const double norm = std::sqrt(c.x_good * c.x_good + c.x_bad * c.x_bad);
    const double g = norm > 0 ? c.x_good / norm : 0, b = norm > 0 ? c.x_bad / norm : 0;
    const double z[3] = {0.1 + g * 1.0 - b * 2.0, -0.2 - g * 1.0 + b * 2.0,
                         0.3 + b * 0.5};
    const double sum = Sigmoid(z[0]) + Sigmoid(z[1]) + Sigmoid(z[2]);
    std::vector<float> p;
    (*m)->Predict(c.input, &p);
    ASSERT_EQ(p.size(), 3u);
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(p[k], Sigmoid(z[k]) / sum, 1e-6) << c.input << " class " << k;
    }
  }
}

// The documented formula over a std::map, in double precision.
class Reference {
 public:
  explicit Reference(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string magic(6, '\0');
    in.read(magic.data(), 6);
    const bool half = magic == "OPLM3\n";
    if (magic == "OPLM2\n" || half) {
      in.read(reinterpret_cast<char*>(&chars_.min), 4);
      in.read(reinterpret_cast<char*>(&chars_.max), 4);
    }
    uint32_t k = 0;
    in.read(reinterpret_cast<char*>(&k), 4);
    for (uint32_t c = 0; c < k; ++c) {
      uint32_t len = 0;
      in.read(reinterpret_cast<char*>(&len), 4);
      in.ignore(len);
    }
    bias_.resize(k);
    in.read(reinterpret_cast<char*>(bias_.data()), k * sizeof(float));
    uint64_t n = 0;
    in.read(reinterpret_cast<char*>(&n), 8);
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t key = 0;
      std::vector<float> row(1 + k);
      in.read(reinterpret_cast<char*>(&key), 8);
      if (half) {
        std::vector<uint16_t> packed(1 + k);
        in.read(reinterpret_cast<char*>(packed.data()), packed.size() * 2);
        for (uint32_t c = 0; c <= k; ++c) row[c] = HalfToFloat(packed[c]);
      } else {
        in.read(reinterpret_cast<char*>(row.data()), row.size() * sizeof(float));
      }
      rows_[key] = row;
    }
  }
  std::vector<double> Predict(const std::string& input) const {
    std::vector<uint64_t> f;
    LinearFeatures(input, &f, chars_);
    std::map<uint64_t, int> counts;
    for (uint64_t h : f) ++counts[h];
    std::vector<double> d(bias_.size(), 0.0);
    double norm2 = 0;
    for (const auto& [h, c] : counts) {
      auto it = rows_.find(h);
      if (it == rows_.end()) continue;
      const double x = (1 + std::log(static_cast<double>(c))) * it->second[0];
      norm2 += x * x;
      for (size_t k = 0; k < d.size(); ++k) d[k] += x * it->second[1 + k];
    }
    std::vector<double> p(d.size());
    double sum = 0;
    for (size_t k = 0; k < d.size(); ++k) {
      p[k] = Sigmoid(bias_[k] + (norm2 > 0 ? d[k] / std::sqrt(norm2) : 0));
      sum += p[k];
    }
    for (double& v : p) v /= sum;
    return p;
  }

 private:
  std::vector<float> bias_;
  CharGrams chars_;
  std::map<uint64_t, std::vector<float>> rows_;
};

struct ModelCase {
  const char* model;
  std::vector<const char*> files;
};

class ShippedLinearModelTest : public ::testing::TestWithParam<ModelCase> {};

TEST_P(ShippedLinearModelTest, MatchesReferenceAndTrainingInput) {
  const std::string path = ModelsDir() + "/" + GetParam().model;
  auto m = LinearModel::Load(path);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_GE((*m)->LabelIndex("positive"), 0);
  EXPECT_GE((*m)->LabelIndex("negative"), 0);
  const Reference ref(path);
  int compared = 0;
  for (const char* file : GetParam().files) {
    const std::string data = DataDir() + "/sentiment/" + file;
    if (!std::filesystem::exists(data)) continue;
    auto examples = tools::ReadTsv(data);
    ASSERT_TRUE(examples.ok()) << examples.status();
    for (const tools::Example& e : *examples) {
      const TokenizedText t = Tokenize(e.text);
      // What the analyzer feeds the model for the review: its sentences'
      // inputs joined (SentimentClassifier::ClassifyJoined) must be the
      // training line.
      std::string joined;
      std::vector<LinearModel::PartialInput> parts(t.sentences.size());
      std::vector<const LinearModel::PartialInput*> ptrs;
      std::vector<float> p;
      for (size_t i = 0; i < t.sentences.size(); ++i) {
        const Sentence& s = t.sentences[i];
        const std::string part = SentimentInput(t, s.first_token, s.end_token);
        (*m)->PredictPart(part, &parts[i], &p);
        ptrs.push_back(&parts[i]);
        if (part.empty()) continue;
        if (!joined.empty()) joined += ' ';
        joined += part;
      }
      const std::string line = ReviewInput(t);
      ASSERT_EQ(joined, line) << e.text;
      std::vector<float> from_parts;
      (*m)->PredictJoined(ptrs, &from_parts);
      (*m)->Predict(line, &p);
      ASSERT_EQ(from_parts.size(), p.size());
      for (size_t k = 0; k < p.size(); ++k) {
        ASSERT_NEAR(from_parts[k], p[k], 1e-6) << e.text;
      }
      const std::vector<double> want = ref.Predict(line);
      ASSERT_EQ(p.size(), want.size());
      double sum = 0;
      for (size_t k = 0; k < p.size(); ++k) {
        ASSERT_NEAR(p[k], want[k], 1e-5) << e.text;
        sum += p[k];
      }
      ASSERT_NEAR(sum, 1.0, 1e-5) << e.text;
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "no data under " << DataDir();
}

INSTANTIATE_TEST_SUITE_P(
    Models, ShippedLinearModelTest,
    ::testing::Values(
        ModelCase{"sentiment_pl.lin",
                  {"pl_clarin_emo.dev.tsv", "pl_clarin_emo.test.tsv"}},
        ModelCase{"sentiment_en.lin",
                  {"en_amazon_reviews.dev.tsv", "en_amazon_reviews.test.tsv",
                   "en_uci_sentences.test.tsv"}},
        ModelCase{"sentiment_multi.lin",
                  {"multi_tweets.dev.tsv", "multi_tweets.test.tsv"}},
        // Trained on translations (not under DataDir()): any text will do
        // to compare the served model with the reference.
        ModelCase{"sentiment_romance.lin", {"multi_tweets.dev.tsv"}}),
    [](const auto& info) {
      std::string n = info.param.model;
      return n.substr(0, n.find('.'));
    });

}  // namespace
}  // namespace opinia::nlp
