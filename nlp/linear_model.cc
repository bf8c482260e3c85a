#include "nlp/linear_model.h"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <new>

#include "absl/status/status.h"
#include "nlp/fnv1a.h"
#include "nlp/word_expansion.h"

namespace opinia::nlp {
namespace {

constexpr char kMagic[] = "OPLM1\n";
constexpr char kMagicChars[] = "OPLM2\n";
constexpr char kMagicHalf[] = "OPLM3\n";
constexpr uint32_t kMaxCharGram = 8;

// splitmix64 finaliser: spreads the pair hash over all bits (the table
// index uses the low bits).
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

uint64_t NonZero(uint64_t h) { return h == 0 ? 1 : h; }

template <typename T>
bool ReadPod(std::istream& in, T* v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(v), sizeof(T)));
}

uint64_t PairFeature(uint64_t a, uint64_t b) {
  // Order matters ("nie polecam" vs "polecam nie").
  return NonZero(Mix(a * 31 + b + 0x9E3779B97F4A7C15ULL));
}

// Calls f(token, token hash) for each token of `input`.
template <typename F>
void ForEachToken(std::string_view input, F&& f) {
  size_t i = 0;
  while (i < input.size()) {
    size_t j = input.find(' ', i);
    if (j == std::string_view::npos) j = input.size();
    if (j > i) {
      const std::string_view token = input.substr(i, j - i);
      f(token, Fnv1a64(token));
    }
    i = j + 1;
  }
}

// Appends the character n-gram hashes of "<" + token + ">" (code points;
// a stray continuation byte counts as one) for min <= n <= max. Marks of
// SentimentInput() ("neg_x", "~stem") get none: their words already have.
void CharGramFeatures(std::string_view token, CharGrams chars,
                      std::vector<uint64_t>* out) {
  if (token[0] == '~' || token.substr(0, 4) == "neg_") return;
  thread_local std::string padded;
  thread_local std::vector<uint32_t> starts;  // code point starts in padded
  padded.assign("<");
  padded.append(token);
  padded.push_back('>');
  starts.clear();
  for (uint32_t i = 0; i < padded.size(); ++i) {
    const auto c = static_cast<unsigned char>(padded[i]);
    if ((c & 0xC0) != 0x80 || starts.empty() || i - starts.back() >= 4) {
      starts.push_back(i);
    }
  }
  const auto points = static_cast<uint32_t>(starts.size());
  starts.push_back(static_cast<uint32_t>(padded.size()));
  for (uint32_t n = chars.min; n <= chars.max && n <= points; ++n) {
    for (uint32_t b = 0; b + n <= points; ++b) {
      const std::string_view gram(padded.data() + starts[b], starts[b + n] - starts[b]);
      // A seed of their own: the gram "ab" is not the token "ab".
      out->push_back(NonZero(Mix(Fnv1a64(gram) ^ 0x5C4A7E3D1B2F6081ULL)));
    }
  }
}

}  // namespace

uint16_t FloatToHalf(float f) {
  uint32_t x = 0;
  std::memcpy(&x, &f, sizeof(x));
  const auto sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t biased = (x >> 23) & 0xFFu;
  uint32_t mant = x & 0x7FFFFFu;
  if (biased == 0xFF) {  // infinity, NaN
    return static_cast<uint16_t>(sign | 0x7C00u | (mant != 0 ? 0x200u : 0u));
  }
  const int32_t exp = static_cast<int32_t>(biased) - 127 + 15;
  if (exp >= 31) return static_cast<uint16_t>(sign | 0x7C00u);
  if (exp <= 0) {  // a binary16 subnormal, or zero
    if (exp < -10) return sign;
    mant |= 0x800000u;
    const int shift = 14 - exp;
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (h & 1u) != 0)) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  uint32_t h = (static_cast<uint32_t>(exp) << 10) | (mant >> 13);
  const uint32_t rem = mant & 0x1FFFu;
  // A carry out of the mantissa correctly moves to the next exponent.
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u) != 0)) ++h;
  return static_cast<uint16_t>(sign | h);
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t mant = h & 0x3FFu;
  uint32_t x = 0;
  if (exp == 0) {
    if (mant == 0) {
      x = sign;
    } else {  // subnormal: normalise
      uint32_t e = 0;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        ++e;
      }
      x = sign | ((127 - 15 + 1 - e) << 23) | ((mant & 0x3FFu) << 13);
    }
  } else if (exp == 31) {
    x = sign | 0x7F800000u | (mant << 13);
  } else {
    x = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f = 0;
  std::memcpy(&f, &x, sizeof(f));
  return f;
}

void* AllocateHugePages(size_t size) {
  constexpr size_t kHuge = size_t{1} << 21;
  const size_t bytes = (size + kHuge - 1) / kHuge * kHuge;
  void* p = std::aligned_alloc(kHuge, bytes);
  if (p == nullptr) throw std::bad_alloc();
  // Advice only: without THP the pages are ordinary ones.
  madvise(p, bytes, MADV_HUGEPAGE);
  return p;
}

void FeatureFilter::Reset(size_t n) {
  uint64_t bits = 64;
  while (bits < 8 * static_cast<uint64_t>(n)) bits <<= 1;
  mask_ = bits - 1;
  bits_.assign(bits / 64, 0);
}

void FeatureTable::Reset(size_t n, size_t width, bool half) {
  half_ = half;
  wide_ = width > 4;
  const size_t value = half ? sizeof(uint16_t) : sizeof(float);
  row_bytes_ = static_cast<uint32_t>(width * value);
  const size_t read = (wide_ ? 8 : 4) * value;  // Row()'s
  // As many entries as fit with their rows, the last row's read included.
  per_bucket_ = 1;
  while (per_bucket_ < 4) {
    const size_t e = per_bucket_ + 1;
    const size_t end = e * sizeof(uint64_t) + (e - 1) * row_bytes_;
    if (end + std::max<size_t>(row_bytes_, read) > 8 * kWords) break;
    per_bucket_ = static_cast<uint32_t>(e);
  }
  // Load factor <= 2/3: a key rarely spills into the next bucket (a second
  // cache line).
  uint64_t buckets = 1;
  while (buckets * per_bucket_ * 2 < 3 * static_cast<uint64_t>(n)) buckets <<= 1;
  mask_ = buckets - 1;
  words_.assign(buckets * kWords, 0);
  filter_.Reset(n);
}

int64_t FeatureTable::Place(uint64_t key) {
  for (uint64_t b = key & mask_;; b = (b + 1) & mask_) {
    const uint64_t* keys = &words_[b * kWords];
    for (uint32_t e = 0; e < per_bucket_; ++e) {
      if (keys[e] == key) return -1;
      if (keys[e] == 0) {
        words_[b * kWords + e] = key;
        filter_.Add(key);
        return static_cast<int64_t>(b << 2 | e);
      }
    }
  }
}

bool FeatureTable::InsertRow(uint64_t key, const void* row) {
  const int64_t entry = Place(key);
  if (entry < 0) return false;
  std::memcpy(const_cast<char*>(RowOf(static_cast<uint32_t>(entry))), row, row_bytes_);
  return true;
}

void LinearFeatures(std::string_view input, std::vector<uint64_t>* out,
                    CharGrams chars, std::vector<uint64_t>* char_out,
                    std::vector<uint64_t>* expansion_out) {
  uint64_t prev = 0;
  bool have_prev = false;
  ForEachToken(input, [&](std::string_view token, uint64_t h) {
    if (IsExpansionToken(token)) {
      (expansion_out != nullptr ? expansion_out : out)->push_back(NonZero(Mix(h)));
      return;
    }
    out->push_back(NonZero(Mix(h)));
    if (have_prev) out->push_back(PairFeature(prev, h));
    if (chars.enabled()) {
      CharGramFeatures(token, chars, char_out != nullptr ? char_out : out);
    }
    prev = h;
    have_prev = true;
  });
}

void LinearFeatureStream::Emit() {
  // As LinearFeatures(): IsExpansionToken() of the token's first bytes.
  const bool expansion = len_ > 2 && head_[0] == '~' && (head_[1] == '%' || head_[1] == '=');
  out_->push_back(NonZero(Mix(hash_)));
  if (!expansion) {
    if (have_prev_) out_->push_back(PairFeature(prev_, hash_));
    prev_ = hash_;
    have_prev_ = true;
  }
  hash_ = kFnvOffset;
  len_ = 0;
}

void JoinLinearFeatures(const std::vector<FeatureSpan>& parts, std::vector<uint64_t>* out) {
  size_t n = 0;
  for (const FeatureSpan& p : parts) n += p.features != nullptr ? p.features->size() + 1 : 0;
  out->reserve(out->size() + n);
  const FeatureSpan* prev = nullptr;
  for (const FeatureSpan& p : parts) {
    if (p.features == nullptr || p.features->empty()) continue;
    const std::vector<uint64_t>& f = *p.features;
    // As LinearFeatures() of the joined input: the first token's unigram,
    // then its pair with the previous part's last token, then the rest.
    out->push_back(f[0]);
    if (prev != nullptr) out->push_back(PairFeature(prev->last, p.first));
    out->insert(out->end(), f.begin() + 1, f.end());
    prev = &p;
  }
}

absl::StatusOr<std::unique_ptr<LinearModel>> LinearModel::Load(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path);
  auto bad = [&](const char* what) {
    return absl::InvalidArgumentError(path + ": not a linear model (" + what + ")");
  };
  char magic[sizeof(kMagic) - 1];
  if (!in.read(magic, sizeof(magic))) return bad("magic");
  std::unique_ptr<LinearModel> m(new LinearModel());
  const bool half = std::memcmp(magic, kMagicHalf, sizeof(magic)) == 0;
  if (half || std::memcmp(magic, kMagicChars, sizeof(magic)) == 0) {
    CharGrams& c = m->chars_;
    if (!ReadPod(in, &c.min) || !ReadPod(in, &c.max)) {
      return bad("character n-gram sizes");
    }
    const bool none = half && c.min == 0 && c.max == 0;
    if (!none && (c.min < 1 || c.min > c.max || c.max > kMaxCharGram)) {
      return bad("character n-gram sizes");
    }
  } else if (std::memcmp(magic, kMagic, sizeof(magic)) != 0) {
    return bad("magic");
  }
  uint32_t k = 0;
  if (!ReadPod(in, &k) || k < 2 || k > kMaxClasses) return bad("class count");
  m->k_ = k;
  for (uint32_t c = 0; c < k; ++c) {
    uint32_t len = 0;
    if (!ReadPod(in, &len) || len == 0 || len > 64) return bad("label");
    std::string label(len, '\0');
    if (!in.read(label.data(), len)) return bad("label");
    m->labels_.push_back(std::move(label));
  }
  m->bias_.resize(k);
  if (!in.read(reinterpret_cast<char*>(m->bias_.data()), k * sizeof(float))) {
    return bad("bias");
  }
  uint64_t n = 0;
  if (!ReadPod(in, &n) || n > (1ULL << 26)) return bad("feature count");
  m->table_.Reset(n, 1 + k, half);
  float row[1 + kMaxClasses];
  uint16_t packed[1 + kMaxClasses];
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t key = 0;
    if (!ReadPod(in, &key) || key == 0) return bad("feature");
    if (half) {
      if (!in.read(reinterpret_cast<char*>(packed), (1 + k) * sizeof(uint16_t))) {
        return bad("weights");
      }
      for (uint32_t c = 0; c <= k; ++c) row[c] = HalfToFloat(packed[c]);
    } else if (!in.read(reinterpret_cast<char*>(row), (1 + k) * sizeof(float))) {
      return bad("weights");
    }
    for (uint32_t c = 0; c <= k; ++c) {
      if (!std::isfinite(row[c])) return bad("weights");
    }
    // Half rows stay binary16 (FeatureTable::Value widens them exactly).
    if (!(half ? m->table_.Insert(key, packed) : m->table_.Insert(key, row))) {
      return bad("duplicate feature");
    }
  }
  if (in.peek() != std::char_traits<char>::eof()) return bad("trailing bytes");
  m->size_ = n;
  return m;
}

int LinearModel::LabelIndex(std::string_view label) const {
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] == label) return static_cast<int>(i);
  }
  return -1;
}

void LinearModel::Collect(std::vector<uint64_t>* features,
                          std::vector<Hit>* hits) const {
  std::vector<uint64_t>& f = *features;
  // Only the features the table's filter lets through can be hits: keep
  // those (the filter asked once, without a branch), so that the sort and
  // the lookups see fewer. The hits are the same: the table holds none of
  // the features dropped.
  size_t kept = 0;
  for (const uint64_t feature : f) {
    f[kept] = feature;
    kept += table_.MayContain(feature) ? 1 : 0;
  }
  f.resize(kept);
  // Every lookup below is a cache miss in a table of megabytes: start them
  // all now, so that they overlap each other and the sort.
  for (const uint64_t feature : f) table_.PrefetchPassed(feature);
  // Sentences are short: insertion sort beats std::sort's set-up there.
  if (f.size() <= 48) {
    for (size_t i = 1; i < f.size(); ++i) {
      const uint64_t v = f[i];
      size_t j = i;
      for (; j > 0 && f[j - 1] > v; --j) f[j] = f[j - 1];
      f[j] = v;
    }
  } else {
    std::sort(f.begin(), f.end());
  }
  hits->clear();
  // At most one hit per feature: one allocation for a new part's hits, not
  // a growth per doubling.
  hits->reserve(f.size());
  for (size_t i = 0; i < f.size();) {
    size_t j = i + 1;
    while (j < f.size() && f[j] == f[i]) ++j;
    const int64_t slot = table_.FindPassed(f[i]);
    if (slot >= 0) {
      hits->push_back({f[i], static_cast<uint32_t>(slot), static_cast<uint32_t>(j - i)});
    }
    i = j;
  }
}

namespace {

// LinearModel::Score()'s sums over `hits` with the class count fixed at
// compile time (the loop over classes unrolled; each class's sum adds the
// same products in the same order as a loop over k_ would).
template <size_t K, typename Table, typename Hits>
double SumHits(const Table& table, const Hits& hits, size_t k, float* d) {
  double norm2 = 0;
  for (size_t i = 0; i < hits.size();) {
    uint32_t count = hits[i].count;
    size_t j = i + 1;
    for (; j < hits.size() && hits[j].feature == hits[i].feature; ++j) {
      count += hits[j].count;
    }
    float row[8];
    table.Row(hits[i].slot, row);
    // Most features occur once: ln 1 is exactly 0, without the call.
    const float tf = count == 1 ? 1.0f : 1.0f + std::log(static_cast<float>(count));
    const float x = tf * row[0];
    norm2 += static_cast<double>(x) * x;
    if constexpr (K > 0) {
      for (size_t c = 0; c < K; ++c) d[c] += x * row[1 + c];
    } else {
      for (size_t c = 0; c < k; ++c) d[c] += x * row[1 + c];
    }
    i = j;
  }
  return norm2;
}

}  // namespace

void LinearModel::Score(const std::vector<Hit>& hits,
                        std::vector<float>* probs) const {
  float d[kMaxClasses] = {};
  static_assert(1 + kMaxClasses <= 8, "a row in one read");
  double norm2 = 0;
  switch (k_) {
    case 2:
      norm2 = SumHits<2>(table_, hits, k_, d);
      break;
    case 3:
      norm2 = SumHits<3>(table_, hits, k_, d);
      break;
    case 4:
      norm2 = SumHits<4>(table_, hits, k_, d);
      break;
    default:
      norm2 = SumHits<0>(table_, hits, k_, d);
      break;
  }
  const float inv = norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(norm2)) : 0.0f;
  probs->resize(k_);
  float sum = 0;
  for (size_t c = 0; c < k_; ++c) {
    const float z = bias_[c] + d[c] * inv;
    (*probs)[c] = 1.0f / (1.0f + std::exp(-z));
    sum += (*probs)[c];
  }
  for (float& p : *probs) p /= sum;
}

void LinearModel::Predict(std::string_view input, std::vector<float>* probs) const {
  thread_local PartialInput part;
  PredictPart(input, &part, probs);
}

void LinearModel::PredictFeatures(const std::vector<uint64_t>& features,
                                  std::vector<float>* probs) const {
  thread_local std::vector<uint64_t> feats;
  thread_local std::vector<Hit> hits;
  feats = features;  // Collect() sorts and shortens them
  Collect(&feats, &hits);
  Score(hits, probs);
}

void LinearModel::PredictPart(std::string_view input, PartialInput* part,
                              std::vector<float>* probs,
                              std::vector<uint64_t>* features) const {
  thread_local std::vector<uint64_t> feats;
  feats.clear();
  part->has_tokens = false;
  uint64_t prev = 0;
  ForEachToken(input, [&](std::string_view token, uint64_t h) {
    feats.push_back(NonZero(Mix(h)));
    if (IsExpansionToken(token)) return;  // a unigram only
    if (part->has_tokens) {
      feats.push_back(PairFeature(prev, h));
    } else {
      part->first = h;
    }
    if (chars_.enabled()) CharGramFeatures(token, chars_, &feats);
    prev = h;
    part->has_tokens = true;
  });
  part->last = prev;
  if (features != nullptr) *features = feats;
  Collect(&feats, &part->hits);
  Score(part->hits, probs);
}

void LinearModel::PredictJoined(const std::vector<const PartialInput*>& parts,
                                std::vector<float>* probs) const {
  // Each part's hits are sorted already: merge them (adjacent runs pairwise,
  // round after round) instead of sorting their concatenation. Score() adds
  // the counts of equal features, so their order among themselves does not
  // matter.
  thread_local std::vector<Hit> hits, merged;
  thread_local std::vector<size_t> runs;  // run starts, then hits.size()
  hits.clear();
  runs.clear();
  const PartialInput* prev = nullptr;
  for (const PartialInput* p : parts) {
    if (!p->has_tokens) continue;
    if (prev != nullptr) {
      // The pair across the junction: "... last" + "first ...", a run of one.
      const uint64_t f = PairFeature(prev->last, p->first);
      const int64_t slot = table_.Find(f);
      if (slot >= 0) {
        runs.push_back(hits.size());
        hits.push_back({f, static_cast<uint32_t>(slot), 1});
      }
    }
    if (!p->hits.empty()) {
      runs.push_back(hits.size());
      hits.insert(hits.end(), p->hits.begin(), p->hits.end());
    }
    prev = p;
  }
  runs.push_back(hits.size());
  const auto by_feature = [](const Hit& a, const Hit& b) { return a.feature < b.feature; };
  while (runs.size() > 2) {
    merged.resize(hits.size());
    size_t out = 0;
    size_t r = 0;
    size_t kept = 0;
    for (; r + 2 < runs.size(); r += 2) {
      runs[kept++] = out;
      std::merge(hits.begin() + runs[r], hits.begin() + runs[r + 1], hits.begin() + runs[r + 1],
                 hits.begin() + runs[r + 2], merged.begin() + out, by_feature);
      out += runs[r + 2] - runs[r];
    }
    if (r + 1 < runs.size()) {  // an odd run left: copied as it is
      runs[kept++] = out;
      std::copy(hits.begin() + runs[r], hits.begin() + runs[r + 1], merged.begin() + out);
      out += runs[r + 1] - runs[r];
    }
    runs[kept++] = out;
    runs.resize(kept);
    hits.swap(merged);
  }
  Score(hits, probs);
}

}  // namespace opinia::nlp
