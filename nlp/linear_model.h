// A linear sentiment classifier: L2-regularised logistic regression
// (LIBLINEAR, one-vs-rest) over TF-IDF-weighted word unigrams and bigrams of
// the SentimentInput() token string. Immutable after Load(); Predict() is
// const and thread-safe (per-thread scratch only).
//
// Features are 64-bit hashes of the tokens and token pairs
// (LinearFeatures()); opinia-train uses the same function to build the
// training matrix, so training and serving see identical features.
//
// File format (little-endian, written by opinia-train):
//   "OPLM1\n", uint32 k (classes, 2..4), k x (uint32 len, label bytes),
//   float bias[k], uint64 n, n x (uint64 feature, float idf, float w[k]);
// or "OPLM2\n", uint32 char_min, uint32 char_max (character n-gram sizes,
// 1 <= min <= max <= 8), then the same fields as OPLM1;
// or "OPLM3\n" (quantized, what opinia-train writes): uint32 char_min,
// uint32 char_max (0, 0: no character n-grams), then as OPLM1 except that
// each feature's idf and weights are IEEE binary16 (uint16) instead of
// float: n x (uint64 feature, uint16 idf, uint16 w[k]). Load() keeps them
// as binary16 (FeatureTable: smaller tables), widened exactly to float at
// each lookup; the files are ~35 % smaller and the predictions move by
// < 1e-3 from the float model's (tests/nlp/linear_model_test.cc).
// For a text with feature counts c_f (only features in the model count):
//   x_f = (1 + ln c_f) * idf_f / ||(1 + ln c) * idf||_2,
//   d_k = bias_k + sum_f x_f * w_fk,  p_k = sigmoid(d_k) / sum_j sigmoid(d_j)
// (LIBLINEAR's one-vs-rest probability estimate).
#ifndef OPINIA_NLP_LINEAR_MODEL_H_
#define OPINIA_NLP_LINEAR_MODEL_H_

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace opinia::nlp {

// Character n-gram sizes of a model; {0, 0}: none (OPLM1 files).
struct CharGrams {
  uint32_t min = 0;
  uint32_t max = 0;
  bool enabled() const { return max > 0; }
};

// Appends to `out` the feature hashes of `input` (space-separated tokens):
// one per token and one per pair of adjacent tokens. Empty tokens (double
// spaces) are skipped. With `chars` enabled, also one per character
// (code point) n-gram, min <= n <= max, of "<" + token + ">" for every
// word token (not the "neg_" and "~" marks of SentimentInput()), as in
// fastText's subwords: spelling variants, hashtags and romanised words
// share features. The n-gram hashes go to `char_out` when it is given
// (opinia-train weights them apart), else to `out`.
// Expansion tokens (IsExpansionToken: "~%x", "~=x") are unigrams only: they
// form no pairs, and the tokens on either side of them pair as if they
// were not there. Their hashes go to `expansion_out` when it is given.
void LinearFeatures(std::string_view input, std::vector<uint64_t>* out,
                    CharGrams chars = {},
                    std::vector<uint64_t>* char_out = nullptr,
                    std::vector<uint64_t>* expansion_out = nullptr);

// LinearFeatures() (no character n-grams) of an input given in pieces,
// without the input: Append() the input's bytes in any cut, then Finish();
// the features are those of the concatenated bytes (tokens split at
// spaces, empty ones skipped, expansion tokens unigrams only), each token
// hashed as its bytes arrive. For callers that would build a string only
// to hash it (SentimentFeatures()).
class LinearFeatureStream {
 public:
  explicit LinearFeatureStream(std::vector<uint64_t>* out) : out_(out) {}
  void Append(std::string_view bytes) {
    for (const char c : bytes) {
      if (c == ' ') {
        EndToken();
        continue;
      }
      if (len_ < 2) head_[len_] = c;
      ++len_;
      hash_ = (hash_ ^ static_cast<unsigned char>(c)) * 1099511628211ULL;  // Fnv1a64
    }
  }
  void Finish() { EndToken(); }

 private:
  void EndToken() {
    if (len_ > 0) Emit();
  }
  void Emit();
  static constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
  std::vector<uint64_t>* out_;
  uint64_t hash_ = kFnvOffset;
  size_t len_ = 0;
  char head_[2] = {0, 0};
  uint64_t prev_ = 0;
  bool have_prev_ = false;
};

// A part of a longer input (a sentence of a review) as LinearFeatures() saw
// it: its features (LinearFeatures(part), in order) and the hashes of its
// first and last tokens (as LinearModel::PartialInput keeps them).
struct FeatureSpan {
  const std::vector<uint64_t>* features = nullptr;
  uint64_t first = 0;
  uint64_t last = 0;
};
// LinearFeatures() (no character n-grams) of the parts' inputs joined by
// single spaces, from the parts' own features: the same vector, in the same
// order, without hashing the tokens again. Parts without features (no
// tokens) are skipped. No part may hold an expansion token
// (IsExpansionToken: it forms no pair, so the junction's pair would go
// elsewhere); the caller checks.
void JoinLinearFeatures(const std::vector<FeatureSpan>& parts, std::vector<uint64_t>* out);

// IEEE 754 binary16 <-> binary32, round to nearest even (the OPLM3 fields).
// Values beyond the binary16 range become infinities; opinia-train refuses
// to write them.
uint16_t FloatToHalf(float f);
float HalfToFloat(uint16_t h);

// Memory on 2 MiB boundaries advised for transparent huge pages, for big
// lookup tables: a lookup costs one cache miss and not also a TLB miss.
// Falls back to ordinary pages where THP is off. AllocateHugePages() throws
// std::bad_alloc when out of memory.
void* AllocateHugePages(size_t bytes);
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT
  T* allocate(size_t n) { return static_cast<T*>(AllocateHugePages(n * sizeof(T))); }
  void deallocate(T* p, size_t) { std::free(p); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const { return false; }
};

// One bit per bucket of a model's features, to answer "not in the model"
// without touching its table: about half the features of a text (unseen
// word pairs) are in no model, and a table of megabytes misses the cache
// on nearly every lookup, while the filter (one or two bytes per feature)
// mostly stays in it. No false negatives: a lookup finds exactly what it
// found without it.
class FeatureFilter {
 public:
  // Empty, with room for `n` features at 8 to 16 bits each.
  void Reset(size_t n);
  void Add(uint64_t feature) { bits_[Bit(feature) >> 6] |= uint64_t{1} << (Bit(feature) & 63); }
  bool MayContain(uint64_t feature) const {
    return (bits_[Bit(feature) >> 6] >> (Bit(feature) & 63)) & 1;
  }

 private:
  // The tables index by a feature's low bits, the filter by its high ones.
  uint64_t Bit(uint64_t feature) const { return (feature >> 32) & mask_; }
  std::vector<uint64_t> bits_ = std::vector<uint64_t>(1, ~uint64_t{0});
  uint64_t mask_ = 63;
};

// binary16 -> binary32 for finite values (what the model files hold; Load()
// refuses the others): the same float as HalfToFloat(), without its
// branches (a shift and a multiply by 2^112, exact for normal and
// subnormal halves alike).
inline float FiniteHalfToFloat(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h & 0x7FFFu) << 13;
  float f = 0;
  std::memcpy(&f, &bits, sizeof(f));
  f *= 0x1p112f;
  std::memcpy(&bits, &f, sizeof(f));
  bits |= static_cast<uint32_t>(h & 0x8000u) << 16;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

// A model's features and their rows (idf, then one weight per class), for
// lookups that miss the cache: 64-byte buckets, each its keys first and
// then their rows, as binary16 when the file held them so (two to four
// features per cache line where 32- and 48-byte float slots held one or
// less, with empty slots between), and a FeatureFilter in front. Open addressing: a key's
// home is the first slot of bucket `key & mask`, probing goes on slot by
// slot into the next buckets (linear probing), so a lookup finds exactly
// the key it was given or nothing. Immutable after the inserts.
class FeatureTable {
 public:
  // Empty, with room for `n` features of `width` values each (1 + classes,
  // at most 9), stored as binary16 when `half`.
  void Reset(size_t n, size_t width, bool half);
  // Adds `key` (not 0) with its row (`width` values, binary16 bits or
  // floats as Reset() said); false when `key` is there already.
  bool Insert(uint64_t key, const uint16_t* half_row) { return InsertRow(key, half_row); }
  bool Insert(uint64_t key, const float* row) { return InsertRow(key, row); }

  // The entry of `key`, or -1.
  int64_t Find(uint64_t key) const { return MayContain(key) ? FindPassed(key) : -1; }
  // False when `key` is surely not in the table (the filter in front).
  bool MayContain(uint64_t key) const { return filter_.MayContain(key); }
  // Find() of a key that MayContain() let through (the same answer, the
  // filter not asked again).
  int64_t FindPassed(uint64_t key) const {
    for (uint64_t b = key & mask_;; b = (b + 1) & mask_) {
      const uint64_t* keys = &words_[b * kWords];
      for (uint32_t e = 0; e < per_bucket_; ++e) {
        if (keys[e] == key) return static_cast<int64_t>(b << 2 | e);
        if (keys[e] == 0) return -1;
      }
    }
  }
  // Starts loading `key`'s bucket when it may be there.
  void Prefetch(uint64_t key) const {
    if (filter_.MayContain(key)) PrefetchPassed(key);
  }
  // Starts loading `key`'s bucket, unasked.
  void PrefetchPassed(uint64_t key) const { __builtin_prefetch(&words_[(key & mask_) * kWords]); }
  // Values 0 .. 3, or 0 .. 7 when the rows are wider than 4, of entry
  // `entry`'s row (0: idf, 1 + c: class c's weight) as floats, in one
  // fixed-size read (vector registers); values past the row's width are
  // whatever follows it in its bucket, to be ignored. Reset() leaves room
  // for the read in the bucket: a read past its cache line would be a
  // second miss.
  void Row(uint32_t entry, float* out) const {
    if (wide_) {
      RowRead<8>(entry, out);
    } else {
      RowRead<4>(entry, out);
    }
  }
  // Value `i` of entry `entry`'s row alone.
  float Value(uint32_t entry, size_t i) const {
    const char* at = RowOf(entry) + i * (half_ ? sizeof(uint16_t) : sizeof(float));
    if (half_) {
      uint16_t h = 0;
      std::memcpy(&h, at, sizeof(h));
      return FiniteHalfToFloat(h);
    }
    float f = 0;
    std::memcpy(&f, at, sizeof(f));
    return f;
  }

 private:
  template <size_t N>
  void RowRead(uint32_t entry, float* out) const {
    static_assert(N == 4 || N == 8, "one read");
    const char* row = RowOf(entry);
    if (half_) {
#ifdef __SSE2__
      // FiniteHalfToFloat(), four at a time.
      const __m128i magnitude = _mm_set1_epi32(0x7FFF);
      const __m128 scale = _mm_set1_ps(0x1p112f);
      const __m128i h = N == 8 ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(row))
                               : _mm_loadl_epi64(reinterpret_cast<const __m128i*>(row));
      for (size_t j = 0; j < N / 4; ++j) {
        const __m128i half = j == 0 ? _mm_unpacklo_epi16(h, _mm_setzero_si128())
                                    : _mm_unpackhi_epi16(h, _mm_setzero_si128());
        const __m128i bits = _mm_slli_epi32(_mm_and_si128(half, magnitude), 13);
        const __m128i sign = _mm_slli_epi32(_mm_andnot_si128(magnitude, half), 16);
        const __m128 f = _mm_mul_ps(_mm_castsi128_ps(bits), scale);
        _mm_storeu_ps(out + 4 * j, _mm_or_ps(f, _mm_castsi128_ps(sign)));
      }
#else
      uint16_t h[N];
      std::memcpy(h, row, sizeof(h));
      for (size_t i = 0; i < N; ++i) out[i] = FiniteHalfToFloat(h[i]);
#endif
    } else {
      std::memcpy(out, row, N * sizeof(float));
    }
  }
  static constexpr size_t kWords = 8;  // 64 bytes a bucket
  const char* RowOf(uint32_t entry) const {
    return reinterpret_cast<const char*>(&words_[(entry >> 2) * kWords]) +
           per_bucket_ * sizeof(uint64_t) + (entry & 3) * row_bytes_;
  }
  // The free entry for `key`, or -1 when `key` is there already.
  int64_t Place(uint64_t key);
  // Places `key` and copies its row_bytes_ of `row`.
  bool InsertRow(uint64_t key, const void* row);

  std::vector<uint64_t, HugePageAllocator<uint64_t>> words_;
  uint64_t mask_ = 0;         // buckets - 1
  uint32_t per_bucket_ = 1;   // entries per bucket (1..4)
  uint32_t row_bytes_ = 0;
  bool half_ = false;
  bool wide_ = false;  // rows of more than 4 values: Row() reads 8
  FeatureFilter filter_;
};

class LinearModel {
 public:
  // NOT_FOUND when `path` cannot be opened; INVALID_ARGUMENT when it is not
  // a well-formed model file.
  static absl::StatusOr<std::unique_ptr<LinearModel>> Load(
      const std::string& path);

  // Probability per label index (see Labels()) for `input`. A text with no
  // known feature gets the bias-only distribution.
  void Predict(std::string_view input, std::vector<float>* probs) const;
  // Predict() of the input whose features are `features`, as
  // LinearFeatures(input, &features, Chars()) gives them: the same
  // probabilities, without hashing the input again.
  void PredictFeatures(const std::vector<uint64_t>& features, std::vector<float>* probs) const;

  // What one part of a longer text (a sentence) contributes to the text's
  // features: its known features with counts, and its first and last
  // tokens (for the pair across the junction with the next part).
  struct Hit {
    uint64_t feature;
    uint32_t slot;   // entry in the table
    uint32_t count;
  };
  struct PartialInput {
    std::vector<Hit> hits;  // sorted by feature
    uint64_t first = 0;     // token hashes (see LinearFeatures)
    uint64_t last = 0;
    bool has_tokens = false;
  };
  // As Predict(), and keeps `input`'s contribution in `part`.
  // With `features`, also LinearFeatures(input, features, Chars()) (the
  // features hashed here, before they are sorted).
  void PredictPart(std::string_view input, PartialInput* part,
                   std::vector<float>* probs,
                   std::vector<uint64_t>* features = nullptr) const;
  // Predict() of the parts' inputs joined by single spaces (parts without
  // tokens skipped), i.e. ReviewInput() of the text, computed from the
  // parts without hashing or looking up their tokens again. Equal to
  // Predict() of the joined input up to float summation order
  // (tests/nlp/linear_model_test.cc).
  void PredictJoined(const std::vector<const PartialInput*>& parts,
                     std::vector<float>* probs) const;

  const std::vector<std::string>& Labels() const { return labels_; }
  CharGrams Chars() const { return chars_; }
  int LabelIndex(std::string_view label) const;  // -1 when absent
  size_t NumFeatures() const { return size_; }

 private:
  LinearModel() = default;
  static constexpr size_t kMaxClasses = 4;
  // Sorted, counted hits of `features` (which it reorders and shortens).
  void Collect(std::vector<uint64_t>* features, std::vector<Hit>* hits) const;
  // Probabilities from merged hits (sorted by feature, equal features
  // adjacent: their counts add up).
  void Score(const std::vector<Hit>& hits, std::vector<float>* probs) const;

  std::vector<std::string> labels_;
  std::vector<float> bias_;
  CharGrams chars_;
  size_t k_ = 0;
  size_t size_ = 0;
  // The features and their rows (see FeatureTable); Hit::slot is an entry.
  FeatureTable table_;
};

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_LINEAR_MODEL_H_
