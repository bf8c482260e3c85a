#include "nlp/aspect_detect.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlp/linear_model.h"
#include "nlp/sentiment_features.h"

namespace opinia::nlp {
namespace {

// Reads fixed-size fields from the file's bytes; fails once past the end.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Read(T* v) {
    if (bytes_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool ReadString(size_t n, std::string* s) {
    if (bytes_.size() - pos_ < n) return false;
    s->assign(bytes_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  size_t Left() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

// The byte span of clause `c` without its closing punctuation.
Span ClauseSpan(const TokenizedText& t, const ClauseSentiment& c) {
  int last = c.end_token - 1;
  while (last > c.first_token && t.tokens[last].kind == TokenKind::kPunct)
    --last;
  return {t.tokens[c.first_token].span.begin, t.tokens[last].span.end};
}

}  // namespace

absl::StatusOr<std::unique_ptr<AspectDetector>> AspectDetector::Load(
    const std::string& models_dir) {
  const std::string path = models_dir + "/" + kFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return std::unique_ptr<AspectDetector>();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read"));
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  auto bad = [&path](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": not an aspect detector file (", std::string(why), ")"));
  };
  const size_t magic = std::strlen(kMagic);
  if (bytes.compare(0, magic, kMagic) != 0) return bad("magic");
  Reader r(std::string_view(bytes).substr(magic));
  std::unique_ptr<AspectDetector> d(new AspectDetector());
  uint32_t k = 0;
  if (!r.Read(&k) || k < 1 || k > kMaxAspects) return bad("aspect count");
  for (uint32_t i = 0; i < k; ++i) {
    uint32_t len = 0;
    std::string name;
    Thresholds th;
    float bias = 0;
    if (!r.Read(&len) || len > 64 || !r.ReadString(len, &name) ||
        !r.Read(&bias) || !r.Read(&th.add) || !r.Read(&th.drop)) {
      return bad("aspect header");
    }
    Aspect aspect = Aspect::kUnspecified;
    for (int a = 1; a <= kMaxAspects; ++a) {
      if (AspectName(static_cast<Aspect>(a)) == name)
        aspect = static_cast<Aspect>(a);
    }
    if (aspect == Aspect::kUnspecified ||
        std::find(d->aspects_.begin(), d->aspects_.end(), aspect) !=
            d->aspects_.end()) {
      return bad(absl::StrCat("aspect \"", name, "\""));
    }
    if (!std::isfinite(bias) || !std::isfinite(th.add) ||
        !std::isfinite(th.drop)) {
      return bad("threshold");
    }
    d->aspects_.push_back(aspect);
    d->thresholds_.push_back(th);
    d->bias_.push_back(bias);
  }
  uint64_t n = 0;
  const size_t row = sizeof(uint64_t) + sizeof(uint16_t) * (1 + k);
  if (!r.Read(&n) || n > r.Left() / row || r.Left() != n * row)
    return bad("feature count");
  d->table_.Reset(n, 1 + k, /*half=*/true);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t key = 0;
    uint16_t row[1 + kMaxAspects];
    r.Read(&key);
    for (uint32_t j = 0; j <= k; ++j) r.Read(&row[j]);
    if (key == 0) return bad("feature 0");
    bool finite = true;
    for (uint32_t j = 0; j <= k; ++j)
      finite = finite && std::isfinite(HalfToFloat(row[j]));
    if (!finite) return bad("weight");
    if (!d->table_.Insert(key, row)) return bad("repeated feature");
  }
  return d;
}

void AspectDetector::Features(std::string_view input,
                              std::vector<uint64_t>* out) {
  out->clear();
  LinearFeatures(input, out);
}

void AspectDetector::Probabilities(std::string_view input,
                                   std::vector<float>* probs) const {
  thread_local std::vector<uint64_t> features;
  Features(input, &features);
  Score(features, probs);
}

void AspectDetector::Score(const std::vector<uint64_t>& features,
                           std::vector<float>* probs) const {
  constexpr size_t kMax = kMaxAspects;
  static_assert(kMax == 8, "a row in one read and one value");
  const size_t k = bias_.size();
  // Each known feature's table entry and count, in order of first
  // appearance (no sorting: a long review has hundreds of features).
  // Repeats are found in a small hash set of the entries seen, sized to the
  // text (an array the size of the table missed the cache on every hit).
  struct Seen {
    uint32_t slot;
    uint32_t count;
  };
  thread_local std::vector<Seen> touched;
  thread_local std::vector<uint32_t> index;  // 1 + index into touched; 0: free
  touched.clear();
  size_t buckets = 16;
  while (buckets < 2 * features.size()) buckets <<= 1;
  index.assign(buckets, 0);
  // Only the features the table's filter lets through can be there (the
  // filter asked once, without a branch). Nearly every lookup misses the
  // cache (a table of megabytes): start them all first, so that they
  // overlap (as LinearModel::Collect does).
  thread_local std::vector<uint64_t> passed;
  passed.resize(features.size());
  size_t kept = 0;
  for (uint64_t f : features) {
    passed[kept] = f;
    kept += table_.MayContain(f) ? 1 : 0;
  }
  passed.resize(kept);
  for (uint64_t f : passed) table_.PrefetchPassed(f);
  for (uint64_t f : passed) {
    const int64_t entry = table_.FindPassed(f);
    if (entry < 0) continue;
    const auto at = static_cast<uint32_t>(entry);
    // The entry's bucket is a hash's low bits already.
    size_t b = (at >> 2 ^ at) & (buckets - 1);
    while (index[b] != 0 && touched[index[b] - 1].slot != at) b = (b + 1) & (buckets - 1);
    if (index[b] == 0) {
      touched.push_back({at, 0});
      index[b] = static_cast<uint32_t>(touched.size());
    }
    ++touched[index[b] - 1].count;
  }
  double sum[kMax] = {};
  double norm2 = 0;
  for (const Seen& seen : touched) {
    float row[8 + 1];  // Row() reads 8 (wide rows)
    table_.Row(seen.slot, row);
    if (k == kMax) row[kMax] = table_.Value(seen.slot, kMax);
    // Most features occur once: ln 1 is exactly 0, without the call.
    const double tf = seen.count == 1 ? 1.0 : 1 + std::log(static_cast<double>(seen.count));
    const double v = tf * row[0];
    norm2 += v * v;
    for (size_t j = 0; j < k; ++j) sum[j] += v * row[1 + j];
  }
  const double inv = norm2 > 0 ? 1 / std::sqrt(norm2) : 0;
  probs->resize(k);
  for (size_t j = 0; j < k; ++j) {
    (*probs)[j] =
        static_cast<float>(1 / (1 + std::exp(-(bias_[j] + inv * sum[j]))));
  }
}

void AspectDetector::Apply(const TokenizedText& t,
                           const std::vector<ClauseSentiment>& clauses,
                           std::vector<AspectSentiment>* aspects,
                           std::vector<TwoSidedAspect>* two_sided,
                           ReviewFeatures* review_features) const {
  // The clauses with tokens: where an added aspect's evidence may be.
  thread_local std::vector<size_t> candidates;
  candidates.clear();
  for (size_t c = 0; c < clauses.size(); ++c) {
    if (clauses[c].end_token > clauses[c].first_token) candidates.push_back(c);
  }
  if (candidates.empty()) return;
  thread_local std::vector<float> review;
  if (review_features != nullptr) {
    Score(review_features->Get(), &review);
  } else {
    Probabilities(ReviewInput(t), &review);
  }
  // Each candidate's probabilities, scored when an aspect is added and
  // there is more than one.
  thread_local std::vector<std::vector<float>> by_clause;
  bool scored = candidates.size() == 1;
  const size_t k = aspects_.size();
  for (size_t j = 0; j < k; ++j) {
    const Aspect aspect = aspects_[j];
    auto found = std::find_if(
        aspects->begin(), aspects->end(),
        [aspect](const AspectSentiment& as) { return as.aspect == aspect; });
    if (found != aspects->end()) {
      if (review[j] < thresholds_[j].drop) {
        const size_t at = static_cast<size_t>(found - aspects->begin());
        aspects->erase(found);
        if (two_sided != nullptr) {
          two_sided->erase(std::remove_if(two_sided->begin(), two_sided->end(),
                                          [at](const TwoSidedAspect& ts) { return ts.index == at; }),
                           two_sided->end());
          for (TwoSidedAspect& ts : *two_sided) ts.index -= ts.index > at ? 1 : 0;
        }
      }
      continue;
    }
    if (review[j] < thresholds_[j].add) continue;
    if (!scored) {
      if (by_clause.size() < candidates.size())
        by_clause.resize(candidates.size());
      for (size_t i = 0; i < candidates.size(); ++i) {
        const ClauseSentiment& c = clauses[candidates[i]];
        if (review_features != nullptr) {
          // Hashed once for the clause models too (ClauseReader).
          Score(review_features->Clause(c.first_token, c.end_token), &by_clause[i]);
        } else {
          Probabilities(SentimentInput(t, c.first_token, c.end_token), &by_clause[i]);
        }
      }
      scored = true;
    }
    size_t best = 0;
    for (size_t i = 1; i < candidates.size(); ++i) {
      if (by_clause[i][j] > by_clause[best][j]) best = i;
    }
    const ClauseSentiment& c = clauses[candidates[best]];
    AspectSentiment& as = aspects->emplace_back();
    as.aspect = aspect;
    as.sentiment = c.sentiment;
    as.evidence = {ClauseSpan(t, c)};
    as.named = false;
  }
}

}  // namespace opinia::nlp
