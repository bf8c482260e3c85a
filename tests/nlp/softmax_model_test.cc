#include "nlp/softmax_model.h"

#include <cmath>
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
