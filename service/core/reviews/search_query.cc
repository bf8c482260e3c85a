#include "service/core/reviews/search_query.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/core/util/utf8.h"
#include "service/storage/text_fold.h"

namespace opinia::core {
namespace {

struct Item {
  std::string text;  // folded words, without quotes
  bool prefix = false;
  bool negated = false;
  bool is_or = false;  // the bare word OR
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Whether FTS5's unicode61 would find a token in `s`: any ASCII letter or
// digit, or any non-ASCII character (letters of other scripts).
bool HasWord(std::string_view s) {
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
        (u >= 'A' && u <= 'Z')) {
      return true;
    }
  }
  return false;
}

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("query: ", why));
}

// The first control character of `q` other than the whitespace that
// separates words (C0 and DEL; C1, U+0080..U+009F, as UTF-8 0xC2 0x80..0x9F):
// no term can hold one (NUL cannot even pass through SQLite's text).
// Expects valid UTF-8; std::string_view::npos when there is none.
size_t FindControl(std::string_view q) {
  for (size_t i = 0; i < q.size(); ++i) {
    const unsigned char u = static_cast<unsigned char>(q[i]);
    if ((u < 0x20 && !IsSpace(q[i])) || u == 0x7f) return i;
    if (u == 0xc2 && i + 1 < q.size() &&
        static_cast<unsigned char>(q[i + 1]) <= 0x9f) {
      return i;
    }
  }
  return std::string_view::npos;
}

absl::StatusOr<std::vector<Item>> Tokenize(std::string_view q) {
  std::vector<Item> items;
  size_t i = 0;
  while (i < q.size()) {
    if (IsSpace(q[i])) {
      ++i;
      continue;
    }
    Item item;
    if (q[i] == '-' && i + 1 < q.size() && !IsSpace(q[i + 1])) {
      item.negated = true;
      ++i;
    }
    if (q[i] == '"') {
      const size_t close = q.find('"', i + 1);
      if (close == std::string_view::npos) return Invalid("unterminated \"");
      item.text = std::string(q.substr(i + 1, close - i - 1));
      i = close + 1;
      if (i < q.size() && q[i] == '*') {
        item.prefix = true;
        ++i;
      }
    } else {
      size_t end = i;
      while (end < q.size() && !IsSpace(q[end])) ++end;
      std::string_view word = q.substr(i, end - i);
      i = end;
      if (!item.negated && word == "OR") {
        item.is_or = true;
      } else {
        while (!word.empty() && word.back() == '*') {
          item.prefix = true;
          word.remove_suffix(1);
        }
        for (char c : word) item.text.push_back(c == '"' ? ' ' : c);
      }
    }
    if (!item.is_or) {
      item.text = storage::FoldForSearch(item.text);
      if (!HasWord(item.text)) continue;  // punctuation only: no token
    }
    items.push_back(std::move(item));
    if (items.size() > 2 * static_cast<size_t>(kMaxQueryItems)) break;
  }
  return items;
}

}  // namespace

absl::StatusOr<storage::SearchQuery> ParseSearchQuery(
    std::string_view query) {
  if (!IsValidUtf8(query)) return Invalid("invalid UTF-8");
  if (const size_t at = FindControl(query); at != std::string_view::npos) {
    const unsigned char u = static_cast<unsigned char>(query[at]);
    const unsigned cp =
        u == 0xc2 ? static_cast<unsigned char>(query[at + 1]) : u;
    return Invalid(absl::StrFormat(
        "control character U+%04X at byte %d is not allowed", cp, at));
  }
  if (query.size() > kMaxQueryBytes) {
    return Invalid(absl::StrCat("longer than ", kMaxQueryBytes, " bytes"));
  }
  auto items = Tokenize(query);
  if (!items.ok()) return items.status();

  // Positive items form AND-ed groups; OR joins an item to the group before.
  storage::SearchQuery out;
  bool pending_or = false;
  int count = 0;
  for (Item& item : *items) {
    if (item.is_or) {
      pending_or = !out.all_of.empty();
      continue;
    }
    if (++count > kMaxQueryItems) {
      return Invalid(absl::StrCat("more than ", kMaxQueryItems, " words"));
    }
    storage::SearchTerm term{std::move(item.text), item.prefix};
    if (item.negated) {
      out.none_of.push_back(std::move(term));
    } else if (pending_or) {
      out.all_of.back().push_back(std::move(term));
    } else {
      out.all_of.push_back({std::move(term)});
    }
    pending_or = false;
  }
  if (out.all_of.empty()) {
    return Invalid(out.none_of.empty()
                       ? "no word to search for"
                       : "needs at least one word that is not excluded (-)");
  }
  return out;
}

}  // namespace opinia::core
