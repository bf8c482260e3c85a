#include "nlp/language_id.h"

#include <cld2/public/compact_lang_det.h>

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "util/status_macros.h"

namespace CLD2 {
// Declared in cld2/internal/lang_script.h, which is not a public header.
const char* LanguageCode(Language lang);
}  // namespace CLD2

namespace opinia::nlp {
namespace {

// Below this many letters the text is "too short to tell": the hint wins.
constexpr int kShortLetters = 12;
// fastText is trusted alone above this probability.
constexpr float kSure = 0.6f;
// Below this (and no agreement with CLD2) the answer is "und".
constexpr float kUnsure = 0.3f;
// Short text without a hint: the guess must be at least this sure.
constexpr float kShortSure = 0.9f;
// Only the start of long texts is looked at: language is a global property
// and this bounds the cost on 1 MB inputs.
constexpr int kMaxTokens = 40;
// CLD2 (about 20x cheaper than lid.176) decides alone when it is reliable
// and this sure on at least this many bytes; else fastText decides.
constexpr int kCld2SurePercent = 90;
constexpr int kCld2SureBytes = 60;
// CLD2 reads the first this many bytes (about 40 words, as lid.176 gets):
// same language-id accuracy on every dev split as 1024, a third of the CPU
// on long reviews.
constexpr size_t kMaxCld2Bytes = 256;

LanguageGuess Hinted(const std::string& language, float confidence) {
  LanguageGuess g;
  g.language = language;
  g.confidence = confidence;
  return g;
}

std::string Primary(std::string_view tag) {
  std::string s(tag.substr(0, tag.find_first_of("-_")));
  absl::AsciiStrToLower(&s);
  return s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<LanguageIdentifier>> LanguageIdentifier::Create(
    const std::string& models_dir) {
  ASSIGN_OR_RETURN(auto lid, FastTextModel::Load(models_dir + "/lid.176.ftz"));
  return std::unique_ptr<LanguageIdentifier>(
      new LanguageIdentifier(std::move(lid)));
}

LanguageGuess LanguageIdentifier::FastTextGuess(const TokenizedText& t) const {
  std::string input;
  int n = 0;
  for (const Token& tok : t.tokens) {
    if (tok.kind != TokenKind::kWord) continue;
    if (!input.empty()) input.push_back(' ');
    input += tok.norm;
    if (++n >= kMaxTokens) break;
  }
  LanguageGuess g;
  if (input.empty()) return g;
  auto best = lid_->Predict(input, 1);
  if (best.empty()) return g;
  g.language = best[0].second;
  g.confidence = best[0].first;
  return g;
}

LanguageGuess LanguageIdentifier::Cld2Guess(std::string_view text) {
  LanguageGuess g;
  if (text.size() > kMaxCld2Bytes) {
    // Cut at a character boundary.
    size_t cut = kMaxCld2Bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    text = text.substr(0, cut);
  }
  bool reliable = false;
  CLD2::Language lang3[3];
  int percent3[3];
  int text_bytes = 0;
  CLD2::Language lang = CLD2::DetectLanguageSummary(
      text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true,
      lang3, percent3, &text_bytes, &reliable);
  if (lang == CLD2::UNKNOWN_LANGUAGE) return g;
  g.language = Primary(CLD2::LanguageCode(lang));
  g.confidence = reliable ? percent3[0] / 100.0f : percent3[0] / 200.0f;
  g.sure = reliable && percent3[0] >= kCld2SurePercent &&
           text_bytes >= kCld2SureBytes;
  return g;
}

bool LanguageIdentifier::PolishByLetters(const TokenizedText& t, int min_letters) {
  int found = 0;
  int n = 0;
  for (const Token& tok : t.tokens) {
    if (tok.kind != TokenKind::kWord) continue;
    const std::string& w = tok.norm;
    for (size_t i = 0; i < w.size(); ++i) {
      const auto b = static_cast<unsigned char>(w[i]);
      if (b < 0x80) continue;
      if (i + 1 >= w.size()) return false;
      const auto c = static_cast<unsigned char>(w[i + 1]);
      ++i;
      if (b == 0xC3 && c == 0xB3) continue;  // ó: Spanish, Portuguese ... too
      // ą ć ę (U+0105, U+0107, U+0119); ł ń ś ź ż (U+0142, U+0144, U+015B,
      // U+017A, U+017C).
      if ((b == 0xC4 && (c == 0x85 || c == 0x87 || c == 0x99)) ||
          (b == 0xC5 && (c == 0x82 || c == 0x84 || c == 0x9B || c == 0xBA || c == 0xBC))) {
        ++found;
        continue;
      }
      return false;
    }
    if (++n >= kMaxTokens) break;
  }
  return found >= min_letters;
}

LanguageGuess LanguageIdentifier::Identify(std::string_view text,
                                           const TokenizedText& t,
                                           std::string_view hint,
                                           Method method, int polish_letters) const {
  int letters = 0;
  for (const Token& tok : t.tokens) {
    if (tok.kind == TokenKind::kWord) letters += static_cast<int>(tok.norm.size());
    if (letters >= kShortLetters) break;
  }
  const std::string hint_lang = hint.empty() ? "" : Primary(hint);
  if (letters < kShortLetters && !hint_lang.empty()) {
    return Hinted(hint_lang, 0.5f);
  }
  if (polish_letters > 0 && method == Method::kCombined && letters >= kShortLetters &&
      PolishByLetters(t, polish_letters)) {
    return Hinted("pl", kLettersConfidence);
  }
  LanguageGuess out;
  auto cld2 = [&] {
    // CLD2 requires valid UTF-8; the tokens' norms are, the text may not be.
    return IsValidUtf8Text(text, t) ? Cld2Guess(text)
                             : Cld2Guess(ModelInput(t, 0, 1 << 30));
  };
  if (method == Method::kCld2) {
    out = cld2();
  } else if (method == Method::kFastText) {
    out = FastTextGuess(t);
  } else {
    // Below kCld2SureBytes CLD2 cannot be sure: ask it only if needed.
    LanguageGuess c;
    if (text.size() >= static_cast<size_t>(kCld2SureBytes)) c = cld2();
    if (c.sure) {
      out = c;
    } else {
      out = FastTextGuess(t);
      if (out.confidence < kSure) {
        if (text.size() < static_cast<size_t>(kCld2SureBytes)) c = cld2();
        if (c.language == out.language) {
          out.confidence = std::max(out.confidence, c.confidence);
        } else if (!hint_lang.empty() &&
                   (c.language == hint_lang || out.language == hint_lang)) {
          out = Hinted(hint_lang, std::max(out.confidence, c.confidence));
        } else if (c.confidence > out.confidence && c.confidence >= 0.9f) {
          out = c;
        }
      }
    }
  }
  LanguageGuess undetermined;
  undetermined.guess = out.language;
  if (out.confidence < kUnsure || out.language.empty()) {
    if (!hint_lang.empty()) return Hinted(hint_lang, 0.3f);
    return undetermined;
  }
  if (letters < kShortLetters) {
    // A few letters and no hint: only a near-certain guess stands, and
    // never with a high confidence.
    if (out.confidence < kShortSure) return undetermined;
    out.confidence = std::min(out.confidence, 0.5f);
  }
  return out;
}

}  // namespace opinia::nlp
