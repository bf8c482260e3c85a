// Language identification: fastText lid.176.ftz (176 languages) as the
// accurate model, CLD2 (Debian libcld2) as the fast path: when CLD2 is
// reliable and >= 90% sure on >= 60 bytes its answer stands, otherwise
// lid.176 decides (with CLD2 and the hint as tie-breakers when it is unsure). Measured on ../shared/data (models/README.md): lid.176 is the more
// accurate on the review/tweet data except for English, where CLD2 is
// slightly better; the two agree on most texts.
#ifndef OPINIA_NLP_LANGUAGE_ID_H_
#define OPINIA_NLP_LANGUAGE_ID_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlp/fasttext_model.h"
#include "nlp/text.h"

namespace opinia::nlp {

struct LanguageGuess {
  std::string language = "und";  // BCP-47 primary subtag or "und"
  float confidence = 0;
  bool sure = false;  // internal: CLD2 alone is enough
  // The most likely language when `language` is "und" because the text is
  // too short or the models too unsure ("Bad choice."): empty when there
  // is no guess. Not a language id: the analyzer may score with it.
  std::string guess;
};

class LanguageIdentifier {
 public:
  enum class Method { kCombined, kFastText, kCld2 };

  // Loads <models_dir>/lid.176.ftz. NOT_FOUND / INVALID_ARGUMENT as
  // FastTextModel::Load.
  static absl::StatusOr<std::unique_ptr<LanguageIdentifier>> Create(
      const std::string& models_dir);

  // `text` is the original text, `t` its tokens. `hint` (BCP-47 or empty)
  // decides when the text has too few letters to tell; "und" when neither
  // the text nor the hint tells.
  // `polish_letters` > 0 (a speed setting, 0 here by default; the analyzer
  // passes AnalyzerConfig::lid_polish_letters, 2; kCombined only): a text
  // not too short to tell (12 bytes of words) whose first 40 words show at
  // least that many of ą ć ę ł ń ś ź ż and no non-ASCII letter other than
  // these and ó (PolishByLetters) is Polish, confidence kLettersConfidence,
  // without CLD2 or lid.176.
  LanguageGuess Identify(std::string_view text, const TokenizedText& t,
                         std::string_view hint,
                         Method method = Method::kCombined,
                         int polish_letters = 0) const;

  // The confidence of a language told by its letters.
  static constexpr float kLettersConfidence = 0.95f;
  // Whether the word tokens of `t` (the first 40) hold at least
  // `min_letters` of ą ć ę ł ń ś ź ż (their norm forms) and no other
  // non-ASCII character but ó.
  static bool PolishByLetters(const TokenizedText& t, int min_letters);

 private:
  explicit LanguageIdentifier(std::unique_ptr<FastTextModel> lid)
      : lid_(std::move(lid)) {}
  LanguageGuess FastTextGuess(const TokenizedText& t) const;
  static LanguageGuess Cld2Guess(std::string_view text);

  std::unique_ptr<FastTextModel> lid_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LANGUAGE_ID_H_
