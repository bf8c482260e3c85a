#include "service/storage/postgres/pg_search.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/storage/text_fold.h"

namespace opinia::storage::pg {
namespace {

// tsvector positions are 1..16383; a lexeme keeps at most 256 of them.
constexpr int kMaxPosition = 16383;
constexpr size_t kMaxPositionsPerLexeme = 256;

// Letters, digits, private use and spacing/enclosing marks make tokens
// (nonspacing marks are dropped before this is asked).
bool IsTokenChar(UChar32 c) {
  const int8_t type = u_charType(c);
  switch (type) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_PRIVATE_USE_CHAR:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK:
      return true;
    default:
      return false;
  }
}

// Appends `c` to the UTF-8 token unless that makes it longer than
// kMaxTokenBytes.
void Append(std::string& token, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, U8_MAX_LENGTH, c, error);
  if (error || token.size() + static_cast<size_t>(n) > kMaxTokenBytes) return;
  token.append(buf, static_cast<size_t>(n));
}

// A token as tsvector/tsquery input: quoted, with ' doubled and \ escaped.
std::string Quote(std::string_view token) {
  std::string out = "'";
  for (char c : token) {
    if (c == '\'') out.push_back('\'');
    if (c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

// A term as tsquery text; std::nullopt when it has no token.
std::optional<std::string> TermText(const SearchTerm& term) {
  const std::vector<std::string> tokens = SearchTokens(term.text);
  if (tokens.empty()) return std::nullopt;
  std::string out = "( ";
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += " <-> ";
    out += Quote(tokens[i]);
  }
  if (term.prefix) out += ":*";
  out += " )";
  return out;
}

// The terms that have tokens, as "( a | b )"; "" when none has.
std::string AnyOf(const std::vector<SearchTerm>& terms) {
  std::vector<std::string> parts;
  for (const SearchTerm& term : terms) {
    if (std::optional<std::string> text = TermText(term)) {
      parts.push_back(*std::move(text));
    }
  }
  if (parts.empty()) return "";
  return absl::StrCat("( ", absl::StrJoin(parts, " | "), " )");
}

}  // namespace

std::vector<std::string> SearchTokens(std::string_view text) {
  const std::string folded = FoldForSearch(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposed;
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
  if (U_SUCCESS(status)) nfd->normalize(source, decomposed, status);
  if (U_FAILURE(status)) decomposed = source;

  std::vector<std::string> tokens;
  std::string token;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // diacritics
    if (IsTokenChar(c)) {
      Append(token, u_foldCase(c, U_FOLD_CASE_DEFAULT));
    } else if (!token.empty()) {
      tokens.push_back(std::move(token));
      token.clear();
    }
  }
  if (!token.empty()) tokens.push_back(std::move(token));
  return tokens;
}

std::string TsVectorText(std::string_view search_text) {
  const std::vector<std::string> tokens = SearchTokens(search_text);
  // Lexeme -> its positions (1-based token index), in order.
  std::map<std::string_view, std::vector<int>> lexemes;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::vector<int>& positions = lexemes[tokens[i]];
    if (positions.size() < kMaxPositionsPerLexeme) {
      const int position =
          static_cast<int>(std::min<size_t>(i + 1, kMaxPosition));
      if (positions.empty() || positions.back() != position) {
        positions.push_back(position);
      }
    }
  }
  std::string out;
  for (const auto& [lexeme, positions] : lexemes) {
    if (!out.empty()) out.push_back(' ');
    absl::StrAppend(&out, Quote(lexeme), ":", absl::StrJoin(positions, ","));
  }
  return out;
}

std::optional<std::string> TsQueryText(const SearchQuery& query) {
  std::vector<std::string> groups;
  for (const std::vector<SearchTerm>& any_of : query.all_of) {
    std::string group = AnyOf(any_of);
    if (group.empty()) return std::nullopt;  // no term can match
    groups.push_back(std::move(group));
  }
  std::string out = absl::StrJoin(groups, " & ");
  if (const std::string none = AnyOf(query.none_of); !none.empty()) {
    absl::StrAppend(&out, " & !", none);
  }
  return out;
}

}  // namespace opinia::storage::pg
