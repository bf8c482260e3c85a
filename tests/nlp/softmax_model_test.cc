#include "nlp/softmax_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace opinia::nlp {
namespace {

SoftmaxModelFormat Format(bool any_order) {
  return {"OPTEST1", "test model", 2, {"a", "b", "c"}, any_order};
}

TEST(SoftmaxModelTest, ReadsWhatItWrites) {
  const std::string text =
      FormatSoftmaxModel(Format(false), 0.25, {0.5, -1, 0}, {{1, 2}, {0, 0}, {-3, 0.125}});
  EXPECT_EQ(text, "OPTEST1\nfeatures 2\nthreshold 0.25\na 0.5 1 2\nb -1 0 0\nc 0 -3 0.125\n");
  auto m = SoftmaxModel::Parse(text, "t.meta", Format(false));
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FLOAT_EQ(m->threshold(), 0.25f);
  float p[3];
  m->Predict({1, 1}, p);
  // Logits 3.5, -1, -2.875.
  const double s = std::exp(3.5) + std::exp(-1.0) + std::exp(-2.875);
  EXPECT_FLOAT_EQ(p[0], static_cast<float>(std::exp(3.5) / s));
  EXPECT_FLOAT_EQ(p[1], static_cast<float>(std::exp(-1.0) / s));
  EXPECT_FLOAT_EQ(p[2], static_cast<float>(std::exp(-2.875) / s));
}

// Predict() sums three or four classes side by side: bit for bit what one
// class at a time gives (the loop before that change, written out here), for
// models of 2 to 5 classes and inputs shorter than, as long as and longer
// than the model's features; the weights written as %.9g, as the files are.
TEST(SoftmaxModelTest, PredictIsBitForBitThePlainSums) {
  std::mt19937 rng(20);
  std::uniform_real_distribution<double> u(-3, 3);
  const std::vector<std::string_view> names = {"a", "b", "c", "d", "e"};
  for (int classes = 2; classes <= 5; ++classes) {
    for (int features : {1, 7, 33}) {
      const SoftmaxModelFormat format{
          "OPTEST1", "test model", features,
          std::vector<std::string_view>(names.begin(), names.begin() + classes), false};
      std::vector<double> bias(classes);
      std::vector<std::vector<double>> w(classes, std::vector<double>(features));
      for (int k = 0; k < classes; ++k) {
        bias[k] = u(rng);
        for (double& x : w[k]) x = u(rng);
      }
      const std::string text = FormatSoftmaxModel(format, 0.5, bias, w);
      auto m = SoftmaxModel::Parse(text, "t.meta", format);
      ASSERT_TRUE(m.ok()) << m.status();
      // The weights as read back (the file holds 9 digits).
      for (int k = 0; k < classes; ++k) {
        std::vector<std::string> line;
        const size_t at = text.find(std::string("\n") + std::string(names[k]) + " ");
        ASSERT_NE(at, std::string::npos);
        const size_t end = text.find('\n', at + 1);
        std::string rest = text.substr(at + 3, end - at - 3);
        char* p = rest.data();
        bias[k] = std::strtod(p, &p);
        for (double& x : w[k]) x = std::strtod(p, &p);
      }
      for (int trial = 0; trial < 20; ++trial) {
        const int n = std::vector<int>{0, features / 2, features, features + 3}[trial % 4];
        std::vector<float> x(n);
        for (float& v : x) v = static_cast<float>(u(rng));
        std::vector<double> d(classes);
        double mx = -1e300;
        for (int k = 0; k < classes; ++k) {
          double dk = bias[k];
          for (size_t i = 0; i < std::min(w[k].size(), x.size()); ++i) dk += w[k][i] * x[i];
          d[k] = dk;
          mx = std::max(mx, dk);
        }
        double s = 0;
        for (double& v : d) s += (v = std::exp(v - mx));
        std::vector<float> want(classes), got(classes);
        for (int k = 0; k < classes; ++k) want[k] = static_cast<float>(d[k] / s);
        m->Predict(x, got.data());
        EXPECT_EQ(std::memcmp(want.data(), got.data(), sizeof(float) * classes), 0)
            << classes << " classes, " << features << " features, " << n << " inputs";
      }
    }
  }
}

TEST(SoftmaxModelTest, ClassOrderIsStrictUnlessAnyOrder) {
  const std::string swapped = "OPTEST1\nfeatures 2\nthreshold 0.5\nb 0 0 0\na 1 0 0\nc 0 0 0\n";
  auto strict = SoftmaxModel::Parse(swapped, "t.meta", Format(false));
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("t.meta"), std::string::npos);
  auto any = SoftmaxModel::Parse(swapped, "t.meta", Format(true));
  ASSERT_TRUE(any.ok()) << any.status();
  float p[3];
  any->Predict({0, 0}, p);
  EXPECT_GT(p[0], p[1]);  // "a" kept its bias 1 although listed second
  const std::string twice = "OPTEST1\nfeatures 2\nthreshold 0.5\na 0 0 0\na 1 0 0\nc 0 0 0\n";
  EXPECT_FALSE(SoftmaxModel::Parse(twice, "t.meta", Format(true)).ok());
}

TEST(SoftmaxModelTest, RefusesMalformedText) {
  const std::string good = "OPTEST1\nfeatures 2\nthreshold 0.5\na 0 0 0\nb 0 0 0\nc 0 0 0\n";
  ASSERT_TRUE(SoftmaxModel::Parse(good, "t", Format(false)).ok());
  for (const std::string& bad :
       {std::string("OPOTHER\n") + good.substr(8), good.substr(0, good.rfind("c 0")),
        std::string("OPTEST1\nfeatures 3\n") + good.substr(19),
        std::string("OPTEST1\nfeatures 2\nthreshold 1.5\n") + good.substr(33),
        good.substr(0, good.rfind("c 0")) + "c 0 nan 0\n",
        good.substr(0, good.rfind("c 0")) + "c 0 0\n"}) {
    auto m = SoftmaxModel::Parse(bad, "t.meta", Format(false));
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find("t.meta"), std::string::npos) << m.status();
  }
}

// Twelfth pass: a format with class thresholds takes optional
// "NAME_threshold T" lines after the threshold line; a class without one
// keeps the file's threshold.
SoftmaxModelFormat WithClassThresholds() {
  SoftmaxModelFormat f = Format(true);
  f.class_thresholds = true;
  return f;
}

TEST(SoftmaxModelTest, ClassThresholdsAreWrittenAndRead) {
  const std::vector<double> bias = {0, 0, 0};
  const std::vector<std::vector<double>> w = {{0, 0}, {0, 0}, {0, 0}};
  const std::string text =
      FormatSoftmaxModel(WithClassThresholds(), 0.75, bias, w, {-1, 0.75, 0.6});
  // "b" at the file's threshold and "a" (negative) get no line.
  EXPECT_EQ(text,
            "OPTEST1\nfeatures 2\nthreshold 0.75\nc_threshold 0.60\na 0 0 0\nb 0 0 0\n"
            "c 0 0 0\n");
  auto m = SoftmaxModel::Parse(text, "t.meta", WithClassThresholds());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_FLOAT_EQ(m->threshold(), 0.75f);
  EXPECT_FLOAT_EQ(m->threshold(0), 0.75f);
  EXPECT_FLOAT_EQ(m->threshold(1), 0.75f);
  EXPECT_FLOAT_EQ(m->threshold(2), 0.6f);
  // Without the lines the text is as before, every class at the file's.
  EXPECT_EQ(FormatSoftmaxModel(WithClassThresholds(), 0.75, bias, w),
            FormatSoftmaxModel(Format(true), 0.75, bias, w));
  auto plain = SoftmaxModel::Parse(FormatSoftmaxModel(Format(true), 0.75, bias, w), "t.meta",
                                   WithClassThresholds());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_FLOAT_EQ(plain->threshold(2), 0.75f);
  // Several classes, in any order.
  auto two = SoftmaxModel::Parse(
      "OPTEST1\nfeatures 2\nthreshold 0.5\nc_threshold 0.9\na_threshold 0.1\n"
      "a 0 0 0\nb 0 0 0\nc 0 0 0\n",
      "t.meta", WithClassThresholds());
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_FLOAT_EQ(two->threshold(0), 0.1f);
  EXPECT_FLOAT_EQ(two->threshold(1), 0.5f);
  EXPECT_FLOAT_EQ(two->threshold(2), 0.9f);
  EXPECT_EQ(ClassThresholdLine(Format(true), 1, 0.5, 0.25), "b_threshold 0.25\n");
  EXPECT_EQ(ClassThresholdLine(Format(true), 1, 0.5, 0.501), "");
}

TEST(SoftmaxModelTest, RefusesMalformedClassThresholds) {
  const std::string head = "OPTEST1\nfeatures 2\nthreshold 0.5\n";
  const std::string classes = "a 0 0 0\nb 0 0 0\nc 0 0 0\n";
  for (const char* line :
       {"c_threshold 1.5\n", "c_threshold x\n", "c_threshold\n", "c_threshold 0.5 1\n",
        "d_threshold 0.5\n", "c_threshold 0.5\nc_threshold 0.6\n"}) {
    auto m = SoftmaxModel::Parse(head + line + classes, "t.meta", WithClassThresholds());
    ASSERT_FALSE(m.ok()) << line;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find("t.meta"), std::string::npos) << m.status();
  }
  // A format without class thresholds refuses the line.
  auto other = SoftmaxModel::Parse(head + "c_threshold 0.6\n" + classes, "t.meta", Format(true));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("t.meta"), std::string::npos);
  // After the class lines it is not a class threshold.
  EXPECT_FALSE(
      SoftmaxModel::Parse(head + classes + "c_threshold 0.6\n", "t.meta", WithClassThresholds())
          .ok());
}

TEST(SoftmaxModelTest, AMissingFileIsNoModel) {
  auto text = SoftmaxModel::ReadIfExists("/nonexistent/dir/model.meta");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_FALSE(text->has_value());
}

}  // namespace
}  // namespace opinia::nlp
