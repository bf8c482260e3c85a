// Tokenizer: ICU sentence + word BreakIterators over a UTF-16 copy of the
// text, with a table mapping every UTF-16 unit back to its byte offset in the
// original UTF-8, so spans stay exact for multi-byte and invalid input.
//
// Speed: the BreakIterators are cloned once per thread and reused; the UTF-16
// buffer and offset table are per-thread scratch; words made only of code
// points below U+0180 (ASCII, Latin-1, Latin Extended-A: Polish, German,
// French, Spanish, ...) are normalised through precomputed per-character
// tables instead of calling Normalizer2 (nfkc_cf of such text is exactly the
// per-character mapping, as there are no combining marks in that range).
#include "nlp/text.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace opinia::nlp {
namespace {

constexpr char16_t kInvalidAsSpace = u' ';
constexpr UChar32 kFastLimit = 0x180;

// Characters whose diacritic-free form is not reachable by NFD + dropping
// marks (they are letters in their own right in Unicode).
UChar32 SpecialFold(UChar32 c) {
  switch (c) {
    case 0x0142: return 'l';  // ł
    case 0x0141: return 'l';  // Ł
    case 0x0111: return 'd';  // đ
    case 0x0110: return 'd';  // Đ
    case 0x00F8: return 'o';  // ø
    case 0x00D8: return 'o';  // Ø
    case 0x0131: return 'i';  // dotless ı
    case 0x0127: return 'h';  // ħ
    case 0x0167: return 't';  // ŧ
    default: return -1;
  }
}

void AppendUtf8(UChar32 c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Decodes one strict UTF-8 code point at text[i]; returns its length or 0
// when the bytes there are not a valid sequence.
int DecodeUtf8(std::string_view text, size_t i, UChar32* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  unsigned char b = s[i];
  if (b < 0x80) {
    *out = b;
    return 1;
  }
  auto cont = [&](size_t k) { return k < n && (s[k] & 0xC0) == 0x80; };
  if (b >= 0xC2 && b <= 0xDF) {
    if (!cont(i + 1)) return 0;
    *out = ((b & 0x1F) << 6) | (s[i + 1] & 0x3F);
    return 2;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    UChar32 c = ((b & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *out = c;
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    UChar32 c = ((b & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
                ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    if (c < 0x10000 || c > 0x10FFFF) return 0;
    *out = c;
    return 4;
  }
  return 0;
}

// Process-wide immutable resources, built once.
struct Resources {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  std::unique_ptr<icu::BreakIterator> word_proto;
  std::unique_ptr<icu::BreakIterator> sentence_proto;
  // norm / plain of every code point below kFastLimit.
  std::array<std::string, kFastLimit> fast_norm;
  std::array<std::string, kFastLimit> fast_plain;
  // The same for ASCII, where each is a single byte.
  std::array<char, 0x80> ascii_norm;
  std::array<char, 0x80> ascii_plain;
  std::array<bool, 0x80> ascii_single;  // both forms are one byte
  // u_isUWhiteSpace(c) || u_iscntrl(c) of ASCII: SplitWords asks it of
  // every segment.
  std::array<bool, 0x80> ascii_space_or_control;
  // Of every code point below kFastLimit: whether it starts an emoji
  // (IsEmojiStart) and whether NFKC_Casefold normalised it without an
  // error (fast_norm then holds exactly what MakeSymbolToken's call gives).
  std::array<bool, kFastLimit> emoji_start;
  std::array<bool, kFastLimit> fast_norm_ok;
  // No fast_norm / fast_plain is longer (checked when they are built).
  static constexpr size_t kMaxFastBytes = 8;
};

void PlainFromNorm16(const Resources& r, const icu::UnicodeString& norm,
                     std::string* plain) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString decomposed = r.nfd->normalize(norm, status);
  if (U_FAILURE(status)) decomposed = norm;
  plain->clear();
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    UChar32 special = SpecialFold(c);
    AppendUtf8(special >= 0 ? special : c, plain);
  }
}

const Resources& GetResources() {
  static const Resources* resources = [] {
    auto* r = new Resources();
    UErrorCode status = U_ZERO_ERROR;
    r->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    status = U_ZERO_ERROR;
    r->nfd = icu::Normalizer2::getNFDInstance(status);
    status = U_ZERO_ERROR;
    r->word_proto.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    status = U_ZERO_ERROR;
    r->sentence_proto.reset(icu::BreakIterator::createSentenceInstance(
        icu::Locale::getRoot(), status));
    for (UChar32 c = 0; c < kFastLimit; ++c) {
      icu::UnicodeString one(c);
      status = U_ZERO_ERROR;
      icu::UnicodeString norm = r->nfkc_cf->normalize(one, status);
      r->fast_norm_ok[c] = U_SUCCESS(status);
      if (U_FAILURE(status)) norm = one;
      r->emoji_start[c] = u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
                          u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
      norm.toUTF8String(r->fast_norm[c]);
      PlainFromNorm16(*r, norm, &r->fast_plain[c]);
      if (r->fast_norm[c].size() > Resources::kMaxFastBytes ||
          r->fast_plain[c].size() > Resources::kMaxFastBytes) {
        std::fprintf(stderr, "text.cc: the normal form of U+%04X is longer than %zu bytes\n",
                     static_cast<unsigned>(c), Resources::kMaxFastBytes);
        std::abort();
      }
      if (c < 0x80) {
        // Checked, not assumed: other mappings take the string path.
        r->ascii_single[c] =
            r->fast_norm[c].size() == 1 && r->fast_plain[c].size() == 1;
        r->ascii_norm[c] = r->ascii_single[c] ? r->fast_norm[c][0] : 0;
        r->ascii_plain[c] = r->ascii_single[c] ? r->fast_plain[c][0] : 0;
        r->ascii_space_or_control[c] = u_isUWhiteSpace(c) || u_iscntrl(c);
      }
    }
    return r;
  }();
  return *resources;
}

// Per-thread scratch: cloned iterators and reusable buffers.
struct Scratch {
  std::unique_ptr<icu::BreakIterator> word;
  std::unique_ptr<icu::BreakIterator> sentence;
  std::u16string buf;
  std::vector<int32_t> byte_at;  // UTF-16 index -> byte offset
  std::vector<int32_t> sentence_bounds;
};

Scratch& GetScratch() {
  thread_local Scratch scratch = [] {
    const Resources& r = GetResources();
    Scratch s;
    if (r.word_proto) s.word.reset(r.word_proto->clone());
    if (r.sentence_proto) s.sentence.reset(r.sentence_proto->clone());
    return s;
  }();
  return scratch;
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

// Emoticons that start with punctuation, longest first within a prefix.
constexpr std::string_view kEmoticons[] = {
    ":-)", ":-(", ":-D", ":-P", ":-p", ":-/", ":-|", ":-*", ":-o", ":-O",
    ":'-(", ":'(", ":')", ";-)", ";-(", ":)", ":(", ":D", ":P", ":p", ":/",
    ":\\", ":|", ":*", ":o", ":O", ":]", ":[", ";)", ";(", ";D", ";P", ";p",
    "=)", "=(", "=D", "</3", "<3", "^_^", "^^", "-_-", "-.-"};
// Emoticons that ICU reads as one word ("xD", "T_T").
constexpr std::string_view kWordEmoticons[] = {"xd", "xdd", "xddd", "t_t",
                                               "o_o", "o_0", "0_o"};

// Canonical emoticon: nose removed, lower-cased, repeated mouth collapsed.
std::string CanonicalEmoticon(std::string_view e) {
  std::string out;
  for (char c : e) {
    if (c == '-' && e.size() > 2 && e != "-_-" && e != "-.-") continue;
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!out.empty() && out.size() >= 2 && out.back() == l &&
        (l == ')' || l == '(' || l == 'd')) {
      continue;
    }
    out.push_back(l);
  }
  return out;
}

// Length in bytes of an emoticon at text[b], 0 if none. Repeated mouths
// (":)))", ":((((") are absorbed.
size_t MatchEmoticon(std::string_view text, size_t b) {
  // Every emoticon starts with one of these: most punctuation is not one.
  switch (text[b]) {
    case ':': case ';': case '=': case '<': case '^': case '-':
      break;
    default:
      return 0;
  }
  for (std::string_view e : kEmoticons) {
    if (text.compare(b, e.size(), e) != 0) continue;
    size_t end = b + e.size();
    char mouth = e.back();
    if (mouth == ')' || mouth == '(') {
      while (end < text.size() && text[end] == mouth) ++end;
    }
    // ":Dobrze" or "10:30" are not emoticons.
    if (end < text.size() &&
        IsAsciiAlnum(static_cast<unsigned char>(text[end])) &&
        IsAsciiAlnum(static_cast<unsigned char>(mouth))) {
      continue;
    }
    if (b > 0 && IsAsciiAlnum(static_cast<unsigned char>(text[b - 1])) &&
        (e[0] == '=' || e[0] == '<' || e[0] == '^' || e[0] == '-')) {
      continue;
    }
    return end - b;
  }
  return 0;
}

bool IsEmojiStart(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
         u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR);
}

// Emoji norm: the sequence without variation selectors and skin tones, so
// "❤️" and "❤" or "👍🏽" and "👍" look the same to the models and lexicons.
std::string EmojiNorm(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size();) {
    UChar32 c = 0;
    int len = DecodeUtf8(bytes, i, &c);
    if (len == 0) {
      ++i;
      continue;
    }
    if (!(c == 0xFE0F || c == 0xFE0E || (c >= 0x1F3FB && c <= 0x1F3FF))) {
      out.append(bytes.substr(i, len));
    }
    i += len;
  }
  if (out.empty()) out = std::string(bytes);
  return out;
}

// True when the UAX #29 sentence rules cannot break inside u[0, n): every
// character is below kFastLimit (so the only sentence terminators are
// '.', '!' and '?'), there is no paragraph separator (CR, LF, NEL, VT, FF),
// and the first terminator starts the text's closing run: terminators, then
// closing quotes/brackets, then spaces. Such texts (most one-sentence reviews)
// skip the sentence iterator; any other text goes through ICU.
bool IsOneSentence(const UChar* u, int32_t n) {
  int32_t k = 0;
  for (; k < n; ++k) {
    const UChar c = u[k];
    if (c >= kFastLimit || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C ||
        c == 0x85) {
      return false;
    }
    if (c == '.' || c == '!' || c == '?') break;
  }
  // The closing run must be Terminators+ Close* Sp* (rules SB9, SB10): a
  // closing quote after a space, say, starts a sentence of its own.
  auto skip = [&](auto in_class) {
    while (k < n && in_class(u[k])) ++k;
  };
  skip([](UChar c) { return c == '.' || c == '!' || c == '?'; });
  skip([](UChar c) { return c == '"' || c == '\'' || c == ')' || c == ']'; });
  skip([](UChar c) { return c == ' ' || c == '\t'; });
  return k == n;
}

// UAX #29 sentence-break classes of the characters below kFastLimit, as
// ICU's Sentence_Break property gives them, for our own sentence splitter
// (FastSentenceBounds). kSbUnsafe (Extend, Format, OLetter: none of the
// rules' ignoring of Extend and Format is modelled) sends the text through
// ICU's sentence iterator.
enum SbClass : uint8_t {
  kSbOther, kSbCR, kSbLF, kSbSep, kSbSp, kSbLower, kSbUpper, kSbNumeric,
  kSbATerm, kSbSTerm, kSbClose, kSbSContinue, kSbUnsafe,
};

const std::array<SbClass, kFastLimit>& SbClasses() {
  static const auto* table = [] {
    auto* t = new std::array<SbClass, kFastLimit>();
    for (UChar32 c = 0; c < kFastLimit; ++c) {
      SbClass k = kSbUnsafe;
      switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
        case U_SB_OTHER: k = kSbOther; break;
        case U_SB_CR: k = kSbCR; break;
        case U_SB_LF: k = kSbLF; break;
        case U_SB_SEP: k = kSbSep; break;
        case U_SB_SP: k = kSbSp; break;
        case U_SB_LOWER: k = kSbLower; break;
        case U_SB_UPPER: k = kSbUpper; break;
        case U_SB_NUMERIC: k = kSbNumeric; break;
        case U_SB_ATERM: k = kSbATerm; break;
        case U_SB_STERM: k = kSbSTerm; break;
        case U_SB_CLOSE: k = kSbClose; break;
        case U_SB_SCONTINUE: k = kSbSContinue; break;
        default: break;
      }
      (*t)[c] = k;
    }
    return t;
  }();
  return *table;
}

// The sentence boundaries of u[0, n) by the rules of UAX #29 (SB3, SB4,
// SB6 - SB11, SB998), for text whose every character is below kFastLimit
// and of a class above other than kSbUnsafe (FastClasses tells).
// nlp_text_test compares it with ICU's sentence iterator on random text over
// the classes and on the labelled data.
void FastSentenceBounds(const UChar* u, int32_t n, std::vector<int32_t>* bounds) {
  const auto& cls = SbClasses();
  auto c = [&](int32_t i) { return cls[u[i]]; };
  auto para = [](SbClass k) { return k == kSbCR || k == kSbLF || k == kSbSep; };
  auto term = [](SbClass k) { return k == kSbATerm || k == kSbSTerm; };
  // SB8's look-ahead: whether the first character at or after p of a class
  // it does not skip (OLetter, Upper, Lower, ParaSep, SATerm) is Lower. That
  // character's index is kept for the next asks (p only grows): linear.
  int32_t decisive_at = -1;
  auto lower_follows = [&](int32_t p) {
    if (decisive_at < p) {
      int32_t q = p;
      for (; q < n; ++q) {
        const SbClass k = c(q);
        if (k == kSbUpper || k == kSbLower || para(k) || term(k)) break;
      }
      decisive_at = q;
    }
    return decisive_at < n && c(decisive_at) == kSbLower;
  };
  bounds->clear();
  bounds->push_back(0);
  // Whether u[0, p) ends with SATerm Close* Sp*: the terminator's index
  // (-1: it does not) and whether a space follows it.
  int32_t term_at = -1;
  bool spaced = false;
  for (int32_t p = 1; p < n; ++p) {
    const SbClass l = c(p - 1);
    // Most positions: inside a sentence, no rule but SB998 applies.
    if (term_at < 0 && !term(l) && !para(l)) continue;
    if (term(l)) {
      term_at = p - 1;
      spaced = false;
    } else if (l == kSbClose) {
      if (spaced) term_at = -1;
    } else if (l == kSbSp) {
      spaced = term_at >= 0;
    } else {
      term_at = -1;
    }
    const SbClass r = c(p);
    bool split;
    if (l == kSbCR && r == kSbLF) {
      split = false;  // SB3
    } else if (para(l)) {
      split = true;  // SB4
    } else if (term_at < 0) {
      split = false;  // SB998
    } else {
      const bool aterm = c(term_at) == kSbATerm;
      const bool adjacent = term_at == p - 1;
      if (aterm && adjacent && r == kSbNumeric) {
        split = false;  // SB6
      } else if (aterm && adjacent && r == kSbUpper && term_at >= 1 &&
                 (c(term_at - 1) == kSbUpper || c(term_at - 1) == kSbLower)) {
        split = false;  // SB7
      } else if (aterm && lower_follows(p)) {
        split = false;  // SB8
      } else if (r == kSbSContinue || term(r)) {
        split = false;  // SB8a
      } else if (!spaced && (r == kSbClose || r == kSbSp || para(r))) {
        split = false;  // SB9
      } else if (r == kSbSp || para(r)) {
        split = false;  // SB10
      } else {
        split = true;  // SB11
      }
    }
    if (split) bounds->push_back(p);
  }
  bounds->push_back(n);
}

// UAX #29 word-break classes of the characters below kFastLimit, for our
// own word segmenter (FastWordEnd). kUnsafe characters send the whole text
// through ICU's word iterator.
enum WbClass : uint8_t {
  kWbOther,      // a segment of its own
  kWbLetter,     // ALetter
  kWbDigit,      // Numeric
  kWbMidLetter,  // between letters only
  kWbMidNumLet,  // between letters or between digits ('.', apostrophe)
  kWbMidNum,     // between digits only
  kWbSpace,      // WSegSpace: a run of them is one segment
  kWbUnsafe,     // not modelled here
};

const std::array<WbClass, kFastLimit>& WbClasses() {
  static const auto* table = [] {
    auto* t = new std::array<WbClass, kFastLimit>();
    for (UChar32 c = 0; c < kFastLimit; ++c) {
      WbClass k = kWbOther;
      // ICU counts '@' as a letter ("@user" is one word).
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@' ||
          (c >= 0xC0 && c != 0xD7 && c != 0xF7)) {
        k = kWbLetter;
      } else if (c >= '0' && c <= '9') {
        k = kWbDigit;
      } else if (c == '.' || c == '\'') {
        // (':' is MidLetter in UAX #29 but not in ICU's rules: kWbOther.)
        k = kWbMidNumLet;
      } else if (c == ',' || c == ';') {
        k = kWbMidNum;
      } else if (c == ' ') {
        k = kWbSpace;
      } else if (c == '_' || (c >= 0x80 && c < 0xC0)) {
        // ExtendNumLet, and Latin-1 symbols/spaces/format characters.
        k = kWbUnsafe;
      }
      (*t)[c] = k;
    }
    return t;
  }();
  return *table;
}

// Whether every unit of u[0, n) has a modelled word class (*words: our
// word segmenter applies) and sentence class (*sentences: our sentence
// splitter does), in one pass.
void FastClasses(const UChar* u, int32_t n, bool* words, bool* sentences) {
  static const auto* unsafe = [] {
    auto* t = new std::array<uint8_t, kFastLimit>();
    for (UChar32 c = 0; c < kFastLimit; ++c) {
      (*t)[c] = (WbClasses()[c] == kWbUnsafe ? 1 : 0) | (SbClasses()[c] == kSbUnsafe ? 2 : 0);
    }
    return t;
  }();
  uint8_t any = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (u[i] >= kFastLimit) {
      any = 3;
      break;
    }
    any |= (*unsafe)[u[i]];
  }
  *words = (any & 1) == 0;
  *sentences = (any & 2) == 0;
}

// End of the word segment starting at `start` (UAX #29 rules WB3d, WB5-WB12
// for the classes above) and its ICU rule status: UBRK_WORD_LETTER or
// UBRK_WORD_NUMBER for letters and digits, UBRK_WORD_NONE for the rest.
int32_t FastWordEnd(const UChar* u, int32_t n, int32_t start, int32_t* status) {
  const auto& cls = WbClasses();
  const WbClass first = cls[u[start]];
  int32_t k = start + 1;
  if (first == kWbSpace) {
    while (k < n && cls[u[k]] == kWbSpace) ++k;
    *status = UBRK_WORD_NONE;
    return k;
  }
  if (first != kWbLetter && first != kWbDigit) {
    *status = UBRK_WORD_NONE;
    return k;
  }
  while (k < n) {
    const WbClass c = cls[u[k]];
    if (c == kWbLetter || c == kWbDigit) {  // WB5, WB8, WB9, WB10
      ++k;
      continue;
    }
    if (k + 1 >= n) break;
    const WbClass prev = cls[u[k - 1]];
    const WbClass next = cls[u[k + 1]];
    if (prev == kWbLetter && next == kWbLetter &&
        (c == kWbMidLetter || c == kWbMidNumLet)) {  // WB6, WB7
      k += 2;
      continue;
    }
    if (prev == kWbDigit && next == kWbDigit &&
        (c == kWbMidNum || c == kWbMidNumLet)) {  // WB11, WB12
      k += 2;
      continue;
    }
    break;
  }
  // ICU's status is that of the last rule applied, i.e. of the last
  // character: "b1" is a number, "1b" a word.
  *status = cls[u[k - 1]] == kWbLetter ? UBRK_WORD_LETTER : UBRK_WORD_NUMBER;
  return k;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    UChar32 c = 0;
    int len = DecodeUtf8(text, i, &c);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool IsValidUtf8Text(std::string_view text, const TokenizedText& t) {
  if (t.source != nullptr && t.source == text.data() && t.source_size == text.size()) {
    return t.source_valid_utf8;
  }
  return IsValidUtf8(text);
}

namespace {

// UTF-8 -> UTF-16 with the byte offset of every unit (and one past the
// end). Invalid bytes become spaces, i.e. separators. False when there was
// one (the text is not valid UTF-8, as IsValidUtf8 reads it).
bool DecodeToUtf16(std::string_view text, std::u16string* buf,
                   std::vector<int32_t>* byte_at) {
  bool valid = true;
  buf->clear();
  byte_at->clear();
  buf->reserve(text.size());
  byte_at->reserve(text.size() + 1);
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {  // DecodeUtf8's first case, inline: most bytes
      buf->push_back(static_cast<char16_t>(b));
      byte_at->push_back(static_cast<int32_t>(i));
      ++i;
      continue;
    }
    UChar32 c = 0;
    int len = DecodeUtf8(text, i, &c);
    if (len == 0) {
      buf->push_back(kInvalidAsSpace);
      byte_at->push_back(static_cast<int32_t>(i));
      ++i;
      valid = false;
      continue;
    }
    if (c < 0x10000) {
      buf->push_back(static_cast<char16_t>(c));
      byte_at->push_back(static_cast<int32_t>(i));
    } else {
      buf->push_back(static_cast<char16_t>(U16_LEAD(c)));
      buf->push_back(static_cast<char16_t>(U16_TRAIL(c)));
      byte_at->push_back(static_cast<int32_t>(i));
      byte_at->push_back(static_cast<int32_t>(i));
    }
    i += len;
  }
  byte_at->push_back(static_cast<int32_t>(text.size()));
  return valid;
}

// The text being tokenized: its bytes and their UTF-16 copy.
struct Utf16Text {
  std::string_view bytes;
  const UChar* u;
  int32_t n;
  const std::vector<int32_t>& byte_at;
};

// An emoji, or punctuation normalised by NFKC_Casefold, for the non-word
// segment [start, end). False when it is no token (nothing left after
// normalisation, or U+FFFD).
bool MakeSymbolToken(const Resources& res, const Utf16Text& in, int32_t start,
                     int32_t end, UChar32 first, icu::UnicodeString* scratch16,
                     Token* tok) {
  const int32_t b = in.byte_at[start];
  const int32_t e = in.byte_at[end];
  tok->span = {b, e};
  // One character below kFastLimit (most punctuation): its emoji test and
  // normal form from the tables, both computed by the same ICU calls.
  if (end - start == 1 && first < kFastLimit && res.fast_norm_ok[first] &&
      !res.emoji_start[first]) {
    tok->kind = TokenKind::kPunct;
    const std::string& norm = res.fast_norm[first];
    if (norm.empty()) return false;
    tok->norm = norm;
    tok->plain = norm;
    return true;  // (first is not U+FFFD)
  }
  if (IsEmojiStart(first)) {
    tok->kind = TokenKind::kEmoji;
    tok->norm = EmojiNorm(in.bytes.substr(b, e - b));
    tok->plain = tok->norm;
    return true;
  }
  tok->kind = TokenKind::kPunct;
  scratch16->setTo(false, in.u + start, end - start);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString norm = res.nfkc_cf->normalize(*scratch16, status);
  if (U_FAILURE(status) || norm.isEmpty()) return false;
  norm.toUTF8String(tok->norm);
  tok->plain = tok->norm;
  return first != 0xFFFD;
}

// norm and plain of a word or number [start, end): by the per-character
// tables when every unit is below kFastLimit, else by ICU. False when
// normalisation fails.
bool NormalizeWord(const Resources& res, const Utf16Text& in, int32_t start,
                   int32_t end, icu::UnicodeString* scratch16, Token* tok) {
  // ASCII letters and digits (most words): both forms built on the stack
  // and assigned once, not a character at a time.
  constexpr int32_t kShortWord = 32;
  if (end - start <= kShortWord) {
    char norm[kShortWord];
    char plain[kShortWord];
    int32_t i = start;
    for (; i < end; ++i) {
      const char16_t c = in.u[i];
      if (c >= 0x80 || !res.ascii_single[c]) break;
      norm[i - start] = res.ascii_norm[c];
      plain[i - start] = res.ascii_plain[c];
    }
    if (i == end) {
      tok->norm.append(norm, static_cast<size_t>(end - start));
      tok->plain.append(plain, static_cast<size_t>(end - start));
      return true;
    }
  }
  const bool fast = std::all_of(in.u + start, in.u + end,
                                [](UChar c) { return c < kFastLimit; });
  if (!fast) {
    scratch16->setTo(false, in.u + start, end - start);
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString norm = res.nfkc_cf->normalize(*scratch16, status);
    if (U_FAILURE(status)) return false;
    norm.toUTF8String(tok->norm);
    PlainFromNorm16(res, norm, &tok->plain);
    return true;
  }
  // Both forms from the tables, built on the stack kChunk characters at a
  // time and appended once per chunk (most words, Polish ones with
  // diacritics among them, are one chunk).
  constexpr int32_t kChunk = 32;
  constexpr size_t kBuf = kChunk * Resources::kMaxFastBytes;
  char norm[kBuf];
  char plain[kBuf];
  for (int32_t from = start; from < end; from += kChunk) {
    const int32_t to = std::min(end, from + kChunk);
    size_t nn = 0;
    size_t np = 0;
    for (int32_t i = from; i < to; ++i) {
      const char16_t c = in.u[i];
      if (c < 0x80 && res.ascii_single[c]) {
        // ASCII: one byte each way.
        norm[nn++] = res.ascii_norm[c];
        plain[np++] = res.ascii_plain[c];
      } else {
        const std::string& fn = res.fast_norm[c];
        const std::string& fp = res.fast_plain[c];
        std::memcpy(norm + nn, fn.data(), fn.size());
        std::memcpy(plain + np, fp.data(), fp.size());
        nn += fn.size();
        np += fp.size();
      }
    }
    tok->norm.append(norm, nn);
    tok->plain.append(plain, np);
  }
  return true;
}

// The word or number segment [start, end) as a token; "xD"-style words
// become emoticons. False when nothing is left after normalisation.
bool MakeWordToken(const Resources& res, const Utf16Text& in, int32_t start,
                   int32_t end, int32_t rule, icu::UnicodeString* scratch16,
                   Token* tok) {
  tok->kind = rule < UBRK_WORD_LETTER ? TokenKind::kNumber : TokenKind::kWord;
  tok->span = {in.byte_at[start], in.byte_at[end]};
  if (!NormalizeWord(res, in, start, end, scratch16, tok)) return false;
  if (tok->norm.empty()) return false;
  if (tok->kind == TokenKind::kWord) {
    for (std::string_view w : kWordEmoticons) {
      if (tok->norm == w) {
        tok->kind = TokenKind::kEmoticon;
        if (tok->norm[0] == 'x') tok->norm = "xd";
        tok->plain = tok->norm;
        break;
      }
    }
  }
  return true;
}

// Walks the word boundaries of `in` (our segmenter when `fast_words`, else
// ICU's `wb`, already set to the text) and appends one token per emoticon,
// emoji, punctuation mark, number and word; white space is skipped.
void SplitWords(const Resources& res, const Utf16Text& in, bool fast_words,
                icu::BreakIterator* wb, std::vector<Token>* tokens) {
  tokens->reserve(in.n / 4 + 4);
  icu::UnicodeString scratch16;
  int32_t skip_until = 0;  // u16 index covered by an emoticon
  int32_t fast_status = UBRK_WORD_NONE;
  auto next_boundary = [&](int32_t from) -> int32_t {
    if (!fast_words) return wb->next();
    if (from >= in.n) return icu::BreakIterator::DONE;
    return FastWordEnd(in.u, in.n, from, &fast_status);
  };
  int32_t start = fast_words ? 0 : wb->first();
  for (int32_t end = next_boundary(start); end != icu::BreakIterator::DONE;
       start = end, end = next_boundary(end)) {
    if (start < skip_until) continue;
    UChar32 first;
    U16_GET(in.u, 0, start, in.n, first);
    if (first < 0x80 ? res.ascii_space_or_control[first]
                     : u_isUWhiteSpace(first) || u_iscntrl(first)) {
      continue;
    }
    const int32_t rule = fast_words ? fast_status : wb->getRuleStatus();
    // Built in place (no move of its two strings); dropped when it is none.
    Token& tok = tokens->emplace_back();
    if (rule < UBRK_WORD_NUMBER) {
      // Emoticons first: ICU splits ":)" into ":" and ")".
      const int32_t b = in.byte_at[start];
      const size_t len =
          first < 0x80 ? MatchEmoticon(in.bytes, static_cast<size_t>(b)) : 0;
      if (len > 0) {
        tok.kind = TokenKind::kEmoticon;
        tok.span = {b, b + static_cast<int32_t>(len)};
        tok.norm = CanonicalEmoticon(in.bytes.substr(b, len));
        tok.plain = tok.norm;
        skip_until = start + static_cast<int32_t>(len);  // ASCII: 1 unit/byte
      } else if (!MakeSymbolToken(res, in, start, end, first, &scratch16, &tok)) {
        tokens->pop_back();
        continue;
      }
    } else if (!MakeWordToken(res, in, start, end, rule, &scratch16, &tok)) {
      tokens->pop_back();
      continue;
    }
  }
}

// Sentence boundaries (UTF-16 indices, first 0, last n) of `in`; false when
// ICU's sentence iterator cannot take the text.
bool FindSentenceBounds(const Utf16Text& in, UText* ut, icu::BreakIterator* sb,
                        bool fast_sentences, std::vector<int32_t>* bounds) {
  bounds->clear();
  if (IsOneSentence(in.u, in.n)) {
    // What the sentence iterator would return, without running it.
    bounds->push_back(0);
    bounds->push_back(in.n);
    return true;
  }
  // Latin-script text without the classes the splitter does not model.
  if (fast_sentences) {
    FastSentenceBounds(in.u, in.n, bounds);
    return true;
  }
  UErrorCode status = U_ZERO_ERROR;
  sb->setText(ut, status);
  if (U_FAILURE(status)) return false;
  for (int32_t p = sb->first(); p != icu::BreakIterator::DONE; p = sb->next()) {
    bounds->push_back(p);
  }
  return true;
}

// Each token goes to the sentence holding its first byte; a sentence's span
// runs from its first to its last token (outer white space trimmed).
void GroupSentences(const std::vector<int32_t>& bounds,
                    const std::vector<int32_t>& byte_at,
                    TokenizedText* result) {
  const std::vector<Token>& tokens = result->tokens;
  size_t ti = 0;
  const size_t nt = tokens.size();
  int32_t prev_end = 0;
  for (size_t k = 0; k + 1 < bounds.size() && ti < nt; ++k) {
    const int32_t send = byte_at[bounds[k + 1]];
    Sentence s;
    s.first_token = static_cast<int>(ti);
    while (ti < nt && tokens[ti].span.begin < send) ++ti;
    s.end_token = static_cast<int>(ti);
    if (s.end_token == s.first_token) continue;
    s.span.begin = std::max(prev_end, tokens[s.first_token].span.begin);
    s.span.end = tokens[s.end_token - 1].span.end;
    prev_end = s.span.end;
    result->sentences.push_back(s);
  }
  if (ti < nt) {
    // Unreachable with a consistent BreakIterator; keep every token covered.
    Sentence s;
    s.first_token = static_cast<int>(ti);
    s.end_token = static_cast<int>(nt);
    s.span = {std::max(prev_end, tokens[ti].span.begin), tokens[nt - 1].span.end};
    result->sentences.push_back(s);
  }
}

TokenizedText TokenizeImpl(std::string_view text, bool allow_fast_words) {
  TokenizedText result;
  if (text.empty()) return result;
  // Spans are int32: analyse at most 2 GiB - 1 (callers cap far lower).
  const size_t whole_size = text.size();
  if (text.size() >= 0x7FFFFFFF) text = text.substr(0, 0x7FFFFFFE);
  const Resources& res = GetResources();
  Scratch& sc = GetScratch();
  if (!sc.word || !sc.sentence) return result;

  const bool valid_utf8 = DecodeToUtf16(text, &sc.buf, &sc.byte_at);
  if (text.size() == whole_size) {  // not cut at 2 GiB
    result.source = text.data();
    result.source_size = text.size();
    result.source_valid_utf8 = valid_utf8;
  }
  const Utf16Text in{text, reinterpret_cast<const UChar*>(sc.buf.data()),
                     static_cast<int32_t>(sc.buf.size()), sc.byte_at};
  UErrorCode status = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUChars(&ut, in.u, in.n, &status);
  if (U_FAILURE(status)) return result;

  // Our own word segmenter when every character is one it models (Latin
  // script; nlp_text_test compares it with ICU), else ICU's.
  bool fast_words = false;
  bool fast_sentences = false;
  if (allow_fast_words) FastClasses(in.u, in.n, &fast_words, &fast_sentences);
  if (!fast_words) {
    sc.word->setText(&ut, status);
    if (U_FAILURE(status)) {
      utext_close(&ut);
      return result;
    }
  }
  SplitWords(res, in, fast_words, sc.word.get(), &result.tokens);

  const bool have_bounds = FindSentenceBounds(in, &ut, sc.sentence.get(), fast_sentences,
                                              &sc.sentence_bounds);
  utext_close(&ut);
  if (have_bounds) GroupSentences(sc.sentence_bounds, sc.byte_at, &result);
  return result;
}

}  // namespace

TokenizedText Tokenize(std::string_view text) {
  return TokenizeImpl(text, /*allow_fast_words=*/true);
}

TokenizedText TokenizeWithIcuWords(std::string_view text) {
  return TokenizeImpl(text, /*allow_fast_words=*/false);
}

std::string ModelInput(const TokenizedText& t, int first_token, int end_token) {
  std::string out;
  first_token = std::max(first_token, 0);
  end_token = std::min<int>(end_token, static_cast<int>(t.tokens.size()));
  for (int i = first_token; i < end_token; ++i) {
    const Token& tok = t.tokens[i];
    if (tok.kind == TokenKind::kPunct && std::string_view(tok.norm) != "!" &&
        std::string_view(tok.norm) != "?") {
      continue;
    }
    if (!out.empty()) out.push_back(' ');
    out += tok.norm;
  }
  return out;
}

}  // namespace opinia::nlp
