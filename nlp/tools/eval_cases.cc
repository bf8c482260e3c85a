#include "nlp/tools/eval_cases.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "nlp/fnv1a.h"
#include "nlp/tools/tsv.h"

namespace opinia::nlp::tools {
namespace {

constexpr char kHeader[] = "id\tcategory\trating\ttext\tlabel\taspects\turgent\treasons";

constexpr std::pair<SentimentLabel, const char*> kLabels[] = {
    {SentimentLabel::kPositive, "POSITIVE"},
    {SentimentLabel::kNegative, "NEGATIVE"},
    {SentimentLabel::kNeutral, "NEUTRAL"},
    {SentimentLabel::kMixed, "MIXED"},
};

constexpr std::pair<Aspect, const char*> kAspects[] = {
    {Aspect::kProductQuality, "PRODUCT_QUALITY"},
    {Aspect::kPrice, "PRICE"},
    {Aspect::kDelivery, "DELIVERY"},
    {Aspect::kReturns, "RETURNS"},
    {Aspect::kPayment, "PAYMENT"},
    {Aspect::kCustomerService, "CUSTOMER_SERVICE"},
    {Aspect::kUsability, "USABILITY"},
    {Aspect::kPackaging, "PACKAGING"},
};

constexpr std::pair<Polarity, const char*> kPolarities[] = {
    {Polarity::kPos, "POS"}, {Polarity::kNeg, "NEG"}, {Polarity::kNeu, "NEU"}};

// The value named `name` in `table`; false when none is.
template <typename T, size_t N>
bool Lookup(const std::pair<T, const char*> (&table)[N], absl::string_view name,
            T* out) {
  for (const auto& [value, n] : table) {
    if (name == n) {
      *out = value;
      return true;
    }
  }
  return false;
}

std::string Rate(int k, int n) {
  return n == 0 ? "    -" : absl::StrFormat("%.3f", static_cast<double>(k) / n);
}

}  // namespace

const char* CaseLabelName(SentimentLabel l) {
  for (const auto& [value, name] : kLabels) {
    if (value == l) return name;
  }
  return "UNSPECIFIED";
}

const char* AspectName(Aspect a) {
  for (const auto& [value, name] : kAspects) {
    if (value == a) return name;
  }
  return "UNSPECIFIED";
}

absl::StatusOr<std::vector<EvalCase>> ParseCases(absl::string_view text,
                                                 absl::string_view file) {
  std::vector<EvalCase> cases;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(file, ":", line_no, ": ", what));
    };
    if (line_no == 1) {
      if (line != kHeader && line != kShopCorpusHeader) {
        return error(absl::StrCat("want the header '", kHeader, "' or '", kShopCorpusHeader, "'"));
      }
      continue;
    }
    if (line.empty()) continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() != 8) {
      return error(absl::StrCat("want 8 tab-separated fields, got ", f.size()));
    }
    EvalCase c;
    c.id = std::string(f[0]);
    c.category = std::string(f[1]);
    if (c.id.empty() || c.category.empty()) return error("empty id or category");
    if (!f[2].empty() &&
        (!absl::SimpleAtoi(f[2], &c.rating) || c.rating < 1 || c.rating > 5)) {
      return error(absl::StrCat("rating '", f[2], "' is not 1-5"));
    }
    c.text = std::string(f[3]);
    for (absl::string_view l : absl::StrSplit(f[4], '|')) {
      SentimentLabel label;
      if (!Lookup(kLabels, l, &label)) return error(absl::StrCat("unknown label '", l, "'"));
      c.labels.push_back(label);
    }
    for (absl::string_view a : absl::StrSplit(f[5], ';', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> ap = absl::StrSplit(a, ':');
      ExpectedAspect e;
      if (!Lookup(kAspects, ap.first, &e.aspect) ||
          !Lookup(kPolarities, ap.second, &e.polarity)) {
        return error(absl::StrCat("want ASPECT:POS|NEG|NEU, got '", a, "'"));
      }
      c.aspects.push_back(e);
    }
    if (f[6] != "yes" && f[6] != "no") {
      return error(absl::StrCat("urgent is '", f[6], "', want yes or no"));
    }
    c.urgent = f[6] == "yes";
    for (absl::string_view r : absl::StrSplit(f[7], ';', absl::SkipEmpty())) {
      c.reasons.emplace_back(r);
    }
    cases.push_back(std::move(c));
  }
  if (line_no == 0 || cases.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": no cases"));
  }
  return cases;
}

bool InSplit(absl::string_view id, Split split) {
  if (split == Split::kAll) return true;
  if (split == Split::kCorpusDev) return IsShopDev(std::string(id));
  return (Fnv1a64(std::string_view(id.data(), id.size())) % 2 == 0) ==
         (split == Split::kDev);
}

Polarity PolarityOf(float score) {
  if (score > kPolarityThreshold) return Polarity::kPos;
  if (score < -kPolarityThreshold) return Polarity::kNeg;
  return Polarity::kNeu;
}

CaseScore ScoreCase(const EvalCase& c, const Analysis& a) {
  CaseScore s;
  s.label_right = std::find(c.labels.begin(), c.labels.end(), a.sentiment.label) !=
                  c.labels.end();
  for (const ExpectedAspect& e : c.aspects) {
    ++s.aspects;
    for (const AspectSentiment& got : a.aspects) {
      if (got.aspect != e.aspect) continue;
      ++s.aspects_found;
      s.aspects_right += PolarityOf(got.sentiment.score) == e.polarity;
      break;
    }
  }
  for (const AspectSentiment& got : a.aspects) {
    ++s.predicted_aspects;
    s.extra_aspects += std::none_of(
        c.aspects.begin(), c.aspects.end(),
        [&](const ExpectedAspect& e) { return e.aspect == got.aspect; });
  }
  s.predicted_urgent =
      a.urgency.priority == Priority::kP1 || a.urgency.priority == Priority::kP2;
  for (const std::string& r : c.reasons) {
    ++s.reasons;
    const auto& got = a.urgency.reasons;
    s.reasons_found += std::find(got.begin(), got.end(), r) != got.end();
  }
  return s;
}

void Tally::Add(const EvalCase& c, const CaseScore& s) {
  ++cases;
  labels_right += s.label_right;
  aspects += s.aspects;
  aspects_found += s.aspects_found;
  aspects_right += s.aspects_right;
  predicted_aspects += s.predicted_aspects;
  extra_aspects += s.extra_aspects;
  if (c.urgent) {
    ++urgent;
    misses += !s.predicted_urgent;
  } else {
    ++not_urgent;
    false_alarms += s.predicted_urgent;
  }
  reasons += s.reasons;
  reasons_found += s.reasons_found;
}

void Tally::Merge(const Tally& o) {
  cases += o.cases;
  labels_right += o.labels_right;
  aspects += o.aspects;
  aspects_found += o.aspects_found;
  aspects_right += o.aspects_right;
  predicted_aspects += o.predicted_aspects;
  extra_aspects += o.extra_aspects;
  not_urgent += o.not_urgent;
  false_alarms += o.false_alarms;
  urgent += o.urgent;
  misses += o.misses;
  reasons += o.reasons;
  reasons_found += o.reasons_found;
}

bool IsNegationOrContrast(absl::string_view category) {
  return category == "negated_negative" || category == "negated_positive" ||
         absl::StartsWith(category, "contrast_") || category == "concession" ||
         category == "expectation_relief";
}

std::string FormatLanguageReport(const std::string& lang,
                                 const std::map<std::string, Tally>& by_category) {
  std::string out = absl::StrFormat(
      "== %s\n  %-19s %4s %6s | %7s %6s %6s | %6s %6s %7s\n", lang, "category",
      "n", "label", "aspects", "found", "right", "f.al.", "miss", "reasons");
  Tally negation, all;
  for (const auto& [category, t] : by_category) {
    absl::StrAppendFormat(
        &out, "  %-19s %4d %6s | %7d %6s %6s | %6s %6s %7s\n", category, t.cases,
        Rate(t.labels_right, t.cases), t.aspects, Rate(t.aspects_found, t.aspects),
        Rate(t.aspects_right, t.aspects), Rate(t.false_alarms, t.not_urgent),
        Rate(t.misses, t.urgent), Rate(t.reasons_found, t.reasons));
    all.Merge(t);
    if (IsNegationOrContrast(category)) negation.Merge(t);
  }
  absl::StrAppendFormat(&out, "  totals %s (%d cases, label accuracy %s)\n", lang,
                        all.cases, Rate(all.labels_right, all.cases));
  absl::StrAppendFormat(&out, "    negation/contrast cases  label accuracy %s (%d/%d)\n",
                        Rate(negation.labels_right, negation.cases),
                        negation.labels_right, negation.cases);
  absl::StrAppendFormat(
      &out,
      "    aspect + polarity cases  found %s, polarity right %s (%d/%d expected "
      "aspects); not expected %s (%d/%d reported)\n",
      Rate(all.aspects_found, all.aspects), Rate(all.aspects_right, all.aspects),
      all.aspects_right, all.aspects,
      Rate(all.extra_aspects, all.predicted_aspects), all.extra_aspects,
      all.predicted_aspects);
  absl::StrAppendFormat(
      &out,
      "    urgency                  false alarms %s (%d/%d), misses %s (%d/%d), "
      "reason recall %s (%d/%d)\n",
      Rate(all.false_alarms, all.not_urgent), all.false_alarms, all.not_urgent,
      Rate(all.misses, all.urgent), all.misses, all.urgent,
      Rate(all.reasons_found, all.reasons), all.reasons_found, all.reasons);
  return out;
}

bool ReadCaseFile(const std::string& path, std::vector<EvalCase>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  auto cases = ParseCases(text.str(), path);
  if (!cases.ok()) {
    std::cerr << cases.status() << "\n";
    return false;
  }
  *out = std::move(*cases);
  return true;
}

SentimentParams& TrainingReadParams() {
  static SentimentParams params;
  return params;
}

bool ParseComposeWeights(absl::string_view list,
                         std::map<std::string, float, std::less<>>* by) {
  by->clear();
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    if (item == "-") continue;
    const size_t colon = item.find(':');
    float w = 0;
    if (colon == absl::string_view::npos || colon == 0 ||
        !absl::SimpleAtof(item.substr(colon + 1), &w)) {
      return false;
    }
    (*by)[std::string(item.substr(0, colon))] = w;
  }
  return true;
}

bool ParseLanguageSet(absl::string_view list, std::set<std::string, std::less<>>* langs) {
  langs->clear();
  for (absl::string_view item : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    if (item == "-") continue;
    if (item.size() < 2 || item.size() > 3 ||
        !std::all_of(item.begin(), item.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      return false;
    }
    langs->emplace(item);
  }
  return true;
}

int CorpusDevFold(const std::string& id) { return static_cast<int>((Fnv1a64(id) / 5) % 5); }

std::vector<std::vector<std::string>> CrossFitGroups(const std::vector<std::string>& trained,
                                                     int k) {
  std::vector<std::vector<std::string>> groups(static_cast<size_t>(std::max(k, 0)));
  if (k <= 0) return groups;
  for (size_t i = 0; i < std::size(kSpentTables); ++i) {
    const std::string t = kSpentTables[i];
    if (std::find(trained.begin(), trained.end(), t) != trained.end()) {
      groups[i % static_cast<size_t>(k)].push_back(t);
    }
  }
  return groups;
}

}  // namespace opinia::nlp::tools
