// FastTextModel (libfasttext behind our interface; serves lid.176.ftz):
// load errors, label handling and predictions on a few clear sentences.
#include "nlp/fasttext_model.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/nlp/test_paths.h"

namespace opinia::nlp {
namespace {

using ::opinia::nlp::test_paths::ModelsDir;

TEST(FastTextModelTest, LoadErrors) {
  EXPECT_EQ(FastTextModel::Load(ModelsDir() + "/no_such_model.ftz").status().code(),
            absl::StatusCode::kNotFound);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("opinia_ft_test_" + std::to_string(::getpid())))
                               .string();
  std::ofstream(path, std::ios::binary) << "not a model";
  EXPECT_EQ(FastTextModel::Load(path).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::filesystem::remove(path);
}

TEST(FastTextModelTest, LanguageIdModel) {
  auto m = FastTextModel::Load(ModelsDir() + "/lid.176.ftz");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->Labels().size(), 176u);
  EXPECT_GE((*m)->LabelIndex("pl"), 0);
  EXPECT_EQ((*m)->LabelIndex("__label__pl"), -1);  // prefix stripped
  struct Case {
    const char* line;
    const char* language;
  };
  for (const Case& c : std::vector<Case>{
           {"to jest bardzo dobry produkt polecam", "pl"},
           {"this is a very good product i recommend it", "en"},
           {"das ist ein sehr gutes produkt", "de"},
           {"c est un très bon produit", "fr"}}) {
    auto best = (*m)->Predict(c.line, 3);
    ASSERT_EQ(best.size(), 3u) << c.line;
    EXPECT_EQ(best[0].second, c.language) << c.line;
    EXPECT_GE(best[0].first, best[1].first) << c.line;
    EXPECT_GE(best[1].first, best[2].first) << c.line;
  }
  // The k best alone (fastText's pruned search of its label tree) are the
  // first k of every label's probability, to the bit (labels of equal
  // probability, the ones at 0, come in no defined order).
  for (const char* line :
       {"to jest bardzo dobry produkt polecam", "this is a very good product",
        "das ist ein sehr gutes produkt", "ok", "xyz qqq", "   "}) {
    const auto all = (*m)->Predict(line);
    ASSERT_EQ(all.size(), 176u) << line;
    for (const int k : {1, 3, 10}) {
      const auto best = (*m)->Predict(line, k);
      ASSERT_EQ(best.size(), static_cast<size_t>(k)) << line;
      for (int i = 0; i < k; ++i) {
        EXPECT_EQ(best[i].first, all[i].first) << line << " " << k << " " << i;
        const bool tied = (i > 0 && all[i - 1].first == all[i].first) ||
                          all[i + 1].first == all[i].first;
        if (!tied) {
          EXPECT_EQ(best[i].second, all[i].second) << line << " " << k << " " << i;
        }
      }
    }
  }
  // Every label gets a probability, also for a line without words (fastText
  // still sees its end-of-line token).
  for (const char* line : {"to jest dobry produkt", "   "}) {
    std::vector<float> p;
    (*m)->PredictAll(line, &p);
    ASSERT_EQ(p.size(), 176u);
    float sum = 0;
    for (float v : p) {
      EXPECT_GE(v, 0.0f);
      sum += v;
    }
    EXPECT_NEAR(sum, 1.0f, 1e-3f) << line;
  }
}

}  // namespace
}  // namespace opinia::nlp
