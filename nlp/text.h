// Text normalisation and segmentation with ICU. Every offset is a byte offset
// into the ORIGINAL text, correct for multi-byte UTF-8. The same tokenizer is
// used to build training files and at serving time, so that models see
// identical tokens in both.
#ifndef OPINIA_NLP_TEXT_H_
#define OPINIA_NLP_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "nlp/analysis.h"

namespace opinia::nlp {

enum class TokenKind { kWord, kNumber, kEmoji, kEmoticon, kPunct };

struct Token {
  Span span;          // bytes of the original text
  std::string norm;   // NFKC + case-folded form ("Dostawę" -> "dostawę")
  std::string plain;  // norm without diacritics ("dostawe"); ASCII-folded
  TokenKind kind = TokenKind::kWord;
};

struct Sentence {
  Span span;  // bytes of the original text, trimmed of outer whitespace
  int first_token = 0;  // index into TokenizedText::tokens
  int end_token = 0;    // one past the last token
};

struct TokenizedText {
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  // Set by Tokenize(): the bytes it read (null when it read none) and
  // whether they were valid UTF-8 (IsValidUtf8), so that a caller holding
  // the same bytes need not check them again (IsValidUtf8Text).
  const char* source = nullptr;
  size_t source_size = 0;
  bool source_valid_utf8 = false;
};

// Splits `text` into sentences and tokens (words, numbers, emoji, emoticons
// such as ":)" or ":-(", punctuation). Invalid UTF-8 bytes are skipped as
// separators; never throws or crashes. Thread-safe.
TokenizedText Tokenize(std::string_view text);

// Tokenize() with ICU's word and sentence iterators for every text.
// Tokenize() segments Latin-script text with its own UAX #29
// implementations (words, sentences), which must give exactly this
// (nlp_text_test checks it); for that test and for debugging.
TokenizedText TokenizeWithIcuWords(std::string_view text);

// The model-input form of a token range: space-joined `norm` of each token,
// punctuation dropped except '!' and '?'. Used for training and serving.
std::string ModelInput(const TokenizedText& t, int first_token, int end_token);

// True when `text` is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

// IsValidUtf8(text), read from `t` when `t` is Tokenize(text) of these very
// bytes (same address and size), else computed.
bool IsValidUtf8Text(std::string_view text, const TokenizedText& t);

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_TEXT_H_
