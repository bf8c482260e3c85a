// Full-text search semantics every backend keeps (store.h SearchTerm):
// folded case and diacritics, also of letters Unicode does not decompose,
// punctuation as a separator, phrases across it, prefixes, non-Latin
// scripts, and terms without any token. Query terms are given as core
// passes them (folded by FoldForSearch, punctuation-only words dropped).
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "service/storage/text_fold.h"
#include "tests/service/storage/store_conformance.h"
#include "tests/service/storage/store_conformance_util.h"

namespace opinia::storage::conformance {
namespace {

TEST_P(StoreConformanceTest, FullTextFoldsCaseDiacriticsAndPunctuation) {
  const std::pair<const char*, const char*> texts[] = {
      {"r1", "Żółć i ŁOSOŚ — dostałem wczoraj"},
      {"r2", "Straße; e-mail: kontakt@shop.pl"},
      {"r3", "Ünïcödé café, CRÈME brûlée!"},
      {"r4", "it's 100% O'Brien's price (½)"},
      {"r5", "東京 タワー"},
  };
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    int hour = 0;
    for (const auto& [name, text] : texts) {
      ReviewRow r = Review("t", name, kT0 + absl::Hours(hour++));
      r.search_text = text;
      if (absl::StatusOr<int64_t> id = txn.InsertReview(r); !id.ok()) {
        return id.status();
      }
    }
    return absl::OkStatus();
  }));
  auto term = [](const char* text, bool prefix = false) {
    return SearchTerm{FoldForSearch(text), prefix};
  };
  struct Case {
    const char* what;
    SearchQuery query;
    std::vector<std::string> want;  // newest first
  };
  const Case cases[] = {
      {"diacritics", {{{term("zolc")}}, {}}, {"r1"}},
      {"case", {{{term("ZÓŁĆ")}}, {}}, {"r1"}},
      {"undecomposed letter", {{{term("dostałem")}}, {}}, {"r1"}},
      {"upper undecomposed", {{{term("losos")}}, {}}, {"r1"}},
      {"sharp s", {{{term("STRASSE")}}, {}}, {"r2"}},
      {"hyphenated phrase", {{{term("e-mail")}}, {}}, {"r2"}},
      {"part of a hyphenated word", {{{term("mail")}}, {}}, {"r2"}},
      {"phrase across punctuation", {{{term("kontakt shop pl")}}, {}},
       {"r2"}},
      {"diacritic prefix", {{{term("unic", true)}}, {}}, {"r3"}},
      {"accented phrase", {{{term("crème brulee")}}, {}}, {"r3"}},
      {"apostrophes", {{{term("o'brien's")}}, {}}, {"r4"}},
      {"digits", {{{term("100")}}, {}}, {"r4"}},
      {"fraction", {{{term("½")}}, {}}, {"r4"}},
      {"cjk", {{{term("東京")}}, {}}, {"r5"}},
      {"katakana", {{{term("タワー")}}, {}}, {"r5"}},
      {"operators are text", {{{term("cafe & !creme | x")}}, {}}, {}},
      {"quote and backslash", {{{term("it's\\")}}, {}}, {"r4"}},
      {"no token in a group", {{{term("—")}}, {}}, {}},
      {"no token or a word", {{{term("—"), term("cafe")}}, {}}, {"r3"}},
      {"exclusion without a token", {{{term("cafe")}}, {term("!")}},
       {"r3"}},
      {"prefix phrase", {{{term("dostalem wcz", true)}}, {}}, {"r1"}},
      {"prefix is not infix", {{{term("alem", true)}}, {}}, {}},
  };
  ASSERT_OK(store_->Read([&](Txn& txn) {
    for (const Case& c : cases) {
      ReviewFilter filter;
      filter.text_query = c.query;
      absl::StatusOr<std::vector<ReviewRow>> rows =
          txn.ListReviews("t", filter, std::nullopt, 100);
      EXPECT_TRUE(rows.ok()) << c.what << ": " << rows.status();
      std::vector<std::string> ids;
      if (rows.ok()) {
        for (const ReviewRow& r : *rows) ids.push_back(r.external_id);
      }
      EXPECT_EQ(ids, c.want) << c.what;
      EXPECT_EQ(txn.CountReviews("t", filter).value_or(-1),
                static_cast<int64_t>(c.want.size()))
          << c.what;
    }
    return absl::OkStatus();
  }));
}

// An update re-indexes the new text: the old words stop matching.
TEST_P(StoreConformanceTest, FullTextFollowsUpdates) {
  ReviewRow row = Review("t", "r", kT0);
  row.search_text = "stary tekst";
  ASSERT_OK(store_->Write([&](Txn& txn) {
    if (absl::Status s = txn.InsertTenant(Tenant("t")); !s.ok()) return s;
    absl::StatusOr<int64_t> id = txn.InsertReview(row);
    row.id = id.value_or(0);
    return id.status();
  }));
  row.search_text = "nowy opis";
  ASSERT_OK(store_->Write([&](Txn& txn) { return txn.UpdateReview(row); }));
  ASSERT_OK(store_->Read([&](Txn& txn) {
    for (const auto& [word, want] :
         {std::pair<const char*, int64_t>{"stary", 0}, {"nowy", 1}}) {
      ReviewFilter filter;
      filter.text_query = {{{SearchTerm{word, false}}}, {}};
      EXPECT_EQ(txn.CountReviews("t", filter).value_or(-1), want) << word;
    }
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace opinia::storage::conformance
