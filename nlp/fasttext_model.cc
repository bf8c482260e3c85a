#include "nlp/fasttext_model.h"

#include <fasttext/args.h>
#include <fasttext/densematrix.h>
#include <fasttext/dictionary.h>
#include <fasttext/fasttext.h>
#include <fasttext/vector.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"

namespace opinia::nlp {
namespace {
constexpr std::string_view kLabelPrefix = "__label__";

// The pruned n-gram index is protected in fasttext::Dictionary and has no
// accessor; a member pointer taken through a derived class reads it.
struct DictionaryPeek : fasttext::Dictionary {
  static auto PruneIndex() { return &DictionaryPeek::pruneidx_; }
  static auto PruneIndexSize() { return &DictionaryPeek::pruneidx_size_; }
};

// fastText's word hash (FNV-1a over *signed* chars, as in Dictionary::hash).
inline uint32_t FtHash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h = h ^ static_cast<uint32_t>(static_cast<int8_t>(c));
    h = h * 16777619u;
  }
  return h;
}

inline bool IsFtSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' ||
         c == '\f' || c == '\0';
}
}  // namespace

// Our own inference for supervised softmax models without char n-grams.
struct FastTextModel::Fast {
  struct Slot {
    uint32_t hash = 0;
    int32_t wid = -1;  // -1: empty slot
    uint32_t offset = 0;
    uint32_t length = 0;
  };
  int dim = 0;
  int nlabels = 0;
  int word_ngrams = 1;
  uint64_t bucket = 0;
  int32_t eos_wid = -1;
  uint32_t eos_hash = 0;
  std::string label_prefix;
  std::vector<Slot> slots;  // open addressing, power-of-two size
  uint32_t mask = 0;
  std::string arena;                 // the words, back to back
  std::vector<int32_t> bucket_row;   // n-gram bucket -> input row, -1: pruned
  std::vector<float> rows;           // decoded input matrix, dim per row
  std::vector<float> output;         // dense output matrix, dim per label

  int32_t Find(std::string_view w, uint32_t h) const {
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots[i];
      if (s.wid < 0) return -1;
      if (s.hash == h && s.length == w.size() &&
          std::string_view(arena.data() + s.offset, s.length) == w) {
        return s.wid;
      }
    }
  }

  // Sums the rows of `line` (as Predict) into `part`; returns false when
  // the line has no input rows.
  void Accumulate(std::string_view line, PartialSum* part) const;
  void Output(const float* sum, size_t count, float* probs) const;
  void Predict(std::string_view line, float* probs) const;
  void AddRow(int32_t id, float* sum) const {
    const float* r = rows.data() + static_cast<size_t>(id) * dim;
    for (int d = 0; d < dim; ++d) sum[d] += r[d];
  }
  // Input row of the word bigram (a, b) of fastText word hashes; -1 pruned.
  int32_t BigramRow(uint32_t a, uint32_t b) const;
};

void FastTextModel::Fast::Accumulate(std::string_view line,
                                     PartialSum* part) const {
  thread_local std::vector<int32_t> ids, hashes;
  ids.clear();
  hashes.clear();
  // Dictionary::getLine: whitespace-separated tokens up to the first newline,
  // then the end-of-sentence token "</s>".
  size_t i = 0;
  const size_t n = line.size();
  bool eos = false;
  while (!eos) {
    while (i < n && IsFtSpace(line[i]) && line[i] != '\n') ++i;
    std::string_view tok;
    uint32_t h;
    int32_t wid;
    if (i >= n || line[i] == '\n') {
      eos = true;
      h = eos_hash;
      wid = eos_wid;
    } else {
      const size_t b = i;
      while (i < n && !IsFtSpace(line[i])) ++i;
      tok = line.substr(b, i - b);
      h = FtHash(tok);
      wid = Find(tok, h);
      // Label tokens (in the vocabulary or not) are not model input.
      if (wid < 0 && tok.substr(0, label_prefix.size()) == label_prefix) {
        continue;
      }
    }
    // The closing "</s>" is kept apart (tail below).
    if (wid >= 0 && !eos) ids.push_back(wid);
    hashes.push_back(static_cast<int32_t>(h));
  }
  // The rows that involve the closing "</s>": its own row and the n-grams
  // ending in it. A longer text containing this line in the middle has
  // other rows there instead (PredictJoined).
  part->ntail = 0;
  if (eos_wid >= 0) part->tail[part->ntail++] = eos_wid;
  // Dictionary::addWordNgrams (the int32 -> uint64 sign extension included).
  const size_t last = hashes.size() - 1;  // index of "</s>"
  for (size_t a = 0; a < hashes.size(); ++a) {
    uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(hashes[a]));
    for (size_t b = a + 1; b < hashes.size() && b < a + word_ngrams; ++b) {
      h = h * 116049371 + static_cast<uint64_t>(static_cast<int64_t>(hashes[b]));
      const int32_t row = bucket_row[h % bucket];
      if (row < 0) continue;
      if (b == last && part->ntail < 2 && word_ngrams == 2) {
        part->tail[part->ntail++] = row;
      } else {
        ids.push_back(row);
      }
    }
  }
  part->has_words = hashes.size() > 1;
  part->first_hash = part->has_words ? static_cast<uint32_t>(hashes[0]) : 0;
  part->last_hash = part->has_words ? static_cast<uint32_t>(hashes[last - 1]) : 0;
  part->count = ids.size();
  part->sum.assign(dim, 0.0f);
  float* hv = part->sum.data();
  // Rows are scattered over tens of MB: fetch a few rows ahead of the sum.
  constexpr size_t kAhead = 4;
  const size_t row_bytes = static_cast<size_t>(dim) * sizeof(float);
  auto prefetch = [&](int32_t id) {
    const char* p = reinterpret_cast<const char*>(
        rows.data() + static_cast<size_t>(id) * dim);
    for (size_t c = 0; c < row_bytes; c += 64) __builtin_prefetch(p + c);
  };
  for (size_t k = 0; k < kAhead && k < ids.size(); ++k) prefetch(ids[k]);
  for (size_t k = 0; k < ids.size(); ++k) {
    if (k + kAhead < ids.size()) prefetch(ids[k + kAhead]);
    AddRow(ids[k], hv);
  }
}

int32_t FastTextModel::Fast::BigramRow(uint32_t a, uint32_t b) const {
  uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(a)));
  h = h * 116049371 +
      static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(b)));
  return bucket_row[h % bucket];
}

void FastTextModel::Fast::Predict(std::string_view line, float* probs) const {
  thread_local PartialSum part;
  Accumulate(line, &part);
  for (int k = 0; k < part.ntail; ++k) AddRow(part.tail[k], part.sum.data());
  Output(part.sum.data(), part.count + part.ntail, probs);
}

void FastTextModel::Fast::Output(const float* sum, size_t count,
                                 float* probs) const {
  thread_local std::vector<float> hidden, out;
  if (count == 0) {
    for (int l = 0; l < nlabels; ++l) probs[l] = 1.0f / nlabels;
    return;
  }
  // Model::computeHidden's scaling, SoftmaxLoss::computeOutput,
  // Loss::findKBest: the same float operations in the same order.
  hidden.assign(sum, sum + dim);
  float* hv = hidden.data();
  const float scale = static_cast<float>(1.0 / count);
  for (int d = 0; d < dim; ++d) hv[d] *= scale;
  out.resize(nlabels);
  for (int l = 0; l < nlabels; ++l) {
    const float* w = output.data() + static_cast<size_t>(l) * dim;
    float acc = 0.0f;
    for (int d = 0; d < dim; ++d) acc += w[d] * hv[d];
    out[l] = acc;
  }
  float mx = out[0];
  for (int l = 0; l < nlabels; ++l) mx = std::max(out[l], mx);
  float z = 0.0f;
  for (int l = 0; l < nlabels; ++l) {
    out[l] = std::exp(out[l] - mx);
    z += out[l];
  }
  for (int l = 0; l < nlabels; ++l) {
    out[l] /= z;
    // fastText returns log(p + 1e-5); callers saw exp() of that.
    const float logp = static_cast<float>(std::log(out[l] + 1e-5));
    probs[l] = std::exp(logp);
  }
}

std::unique_ptr<const FastTextModel::Fast> FastTextModel::BuildFast(
    fasttext::FastText& ft) {
  const fasttext::Args args = ft.getArgs();
  if (args.model != fasttext::model_name::sup ||
      args.loss != fasttext::loss_name::softmax || args.maxn > 0 ||
      args.qout) {
    return nullptr;
  }
  const std::shared_ptr<const fasttext::Dictionary> dict = ft.getDictionary();
  auto f = std::make_unique<Fast>();
  f->dim = args.dim;
  f->nlabels = dict->nlabels();
  f->word_ngrams = args.bucket > 0 ? args.wordNgrams : 1;
  f->bucket = static_cast<uint64_t>(args.bucket);
  f->label_prefix = args.label;
  const int32_t nwords = dict->nwords();
  size_t cap = 16;
  while (cap < 2 * static_cast<size_t>(nwords) + 2) cap <<= 1;
  f->slots.resize(cap);
  f->mask = static_cast<uint32_t>(cap - 1);
  for (int32_t w = 0; w < nwords; ++w) {
    const std::string word = dict->getWord(w);
    const uint32_t h = FtHash(word);
    uint32_t i = h & f->mask;
    while (f->slots[i].wid >= 0) i = (i + 1) & f->mask;
    f->slots[i] = {h, w, static_cast<uint32_t>(f->arena.size()),
                   static_cast<uint32_t>(word.size())};
    f->arena += word;
  }
  f->eos_hash = FtHash(fasttext::Dictionary::EOS);
  f->eos_wid = f->Find(fasttext::Dictionary::EOS, f->eos_hash);
  const int64_t prune_size = (*dict).*DictionaryPeek::PruneIndexSize();
  const auto& prune = (*dict).*DictionaryPeek::PruneIndex();
  int64_t nrows = nwords;
  f->bucket_row.assign(f->bucket, -1);
  if (prune_size < 0) {
    for (uint64_t b = 0; b < f->bucket; ++b) {
      f->bucket_row[b] = nwords + static_cast<int32_t>(b);
    }
    nrows += static_cast<int64_t>(f->bucket);
  } else if (prune_size > 0) {
    for (const auto& [b, idx] : prune) {
      if (b < 0 || static_cast<uint64_t>(b) >= f->bucket) return nullptr;
      f->bucket_row[b] = nwords + idx;
      nrows = std::max<int64_t>(nrows, nwords + idx + 1);
    }
  }
  // Decoding a row onto a zero vector gives exactly the values fastText adds
  // (0 + norm * centroid), so sums of decoded rows match its hidden layer.
  f->rows.resize(static_cast<size_t>(nrows) * f->dim);
  fasttext::Vector v(f->dim);
  for (int64_t r = 0; r < nrows; ++r) {
    ft.getInputVector(v, static_cast<int32_t>(r));
    std::copy(v.data(), v.data() + f->dim,
              f->rows.begin() + static_cast<size_t>(r) * f->dim);
  }
  const std::shared_ptr<const fasttext::DenseMatrix> out =
      ft.getOutputMatrix();
  if (out->size(0) != f->nlabels || out->size(1) != f->dim) return nullptr;
  f->output.resize(static_cast<size_t>(f->nlabels) * f->dim);
  for (int l = 0; l < f->nlabels; ++l) {
    for (int d = 0; d < f->dim; ++d) {
      f->output[static_cast<size_t>(l) * f->dim + d] = out->at(l, d);
    }
  }
  return f;
}

FastTextModel::FastTextModel() : ft_(std::make_unique<fasttext::FastText>()) {}
FastTextModel::~FastTextModel() = default;

absl::StatusOr<std::unique_ptr<FastTextModel>> FastTextModel::Load(
    const std::string& path) {
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) return absl::NotFoundError("model file not found: " + path);
  }
  std::unique_ptr<FastTextModel> m(new FastTextModel());
  try {
    m->ft_->loadModel(path);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError("not a fastText model: " + path + ": " +
                                      e.what());
  }
  auto dict = m->ft_->getDictionary();
  if (dict->nlabels() <= 0) {
    return absl::InvalidArgumentError("fastText model has no labels: " + path);
  }
  for (int32_t i = 0; i < dict->nlabels(); ++i) {
    std::string l = dict->getLabel(i);
    if (l.rfind(kLabelPrefix, 0) == 0) l = l.substr(kLabelPrefix.size());
    m->labels_.push_back(l);
  }
  try {
    m->fast_ = BuildFast(*m->ft_);
  } catch (const std::exception& e) {
    m->fast_ = nullptr;  // libfasttext serves it
  }
  return m;
}

int FastTextModel::LabelIndex(std::string_view label) const {
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] == label) return static_cast<int>(i);
  }
  return -1;
}

void FastTextModel::PredictAll(std::string_view line,
                               std::vector<float>* probs) const {
  if (fast_ != nullptr) {
    probs->resize(labels_.size());
    fast_->Predict(line, probs->data());
    return;
  }
  PredictAllReference(line, probs);
}

void FastTextModel::PredictAllReference(std::string_view line,
                                        std::vector<float>* probs) const {
  probs->assign(labels_.size(), 0.0f);
  // fastText reads words from a stream; "\n" ends the line (EOS token), as
  // in training.
  thread_local std::istringstream in;
  thread_local std::vector<int32_t> words, labels;
  thread_local fasttext::Predictions predictions;
  std::string s(line);
  s.push_back('\n');
  in.clear();
  in.str(std::move(s));
  words.clear();
  labels.clear();
  predictions.clear();
  ft_->getDictionary()->getLine(in, words, labels);
  if (words.empty()) {
    for (float& p : *probs) p = 1.0f / static_cast<float>(probs->size());
    return;
  }
  ft_->predict(static_cast<int32_t>(labels_.size()), words, predictions, 0.0);
  for (const auto& [logp, idx] : predictions) {
    if (idx >= 0 && static_cast<size_t>(idx) < probs->size()) {
      (*probs)[idx] = std::exp(logp);
    }
  }
}

void FastTextModel::PredictPart(std::string_view line, PartialSum* part,
                                std::vector<float>* probs) const {
  probs->resize(labels_.size());
  if (fast_ == nullptr) {
    *part = PartialSum();
    PredictAllReference(line, probs);
    return;
  }
  fast_->Accumulate(line, part);
  thread_local std::vector<float> whole;
  whole = part->sum;
  for (int k = 0; k < part->ntail; ++k) fast_->AddRow(part->tail[k], whole.data());
  fast_->Output(whole.data(), part->count + part->ntail, probs->data());
}

bool FastTextModel::CanJoin() const {
  return fast_ != nullptr && fast_->word_ngrams <= 2;
}

void FastTextModel::PredictJoined(const std::vector<const PartialSum*>& parts,
                                  std::string_view separator,
                                  std::vector<float>* probs) const {
  probs->resize(labels_.size());
  const Fast& f = *fast_;
  thread_local std::vector<float> sum;
  sum.assign(f.dim, 0.0f);
  size_t count = 0;
  const uint32_t sep_hash = FtHash(separator);
  const int32_t sep_wid = separator.empty() ? -1 : f.Find(separator, sep_hash);
  auto add = [&](int32_t row) {
    if (row < 0) return;
    f.AddRow(row, sum.data());
    ++count;
  };
  const PartialSum* prev = nullptr;
  for (const PartialSum* p : parts) {
    if (!p->has_words) continue;
    if (prev != nullptr) {
      // The rows of the junction "... prev_last [SEP] p_first ...".
      if (separator.empty()) {
        if (f.word_ngrams >= 2) add(f.BigramRow(prev->last_hash, p->first_hash));
      } else {
        add(sep_wid);
        if (f.word_ngrams >= 2) {
          add(f.BigramRow(prev->last_hash, sep_hash));
          add(f.BigramRow(sep_hash, p->first_hash));
        }
      }
    }
    for (int d = 0; d < f.dim; ++d) sum[d] += p->sum[d];
    count += p->count;
    prev = p;
  }
  // The closing "</s>" of the whole line.
  if (prev != nullptr) {
    for (int k = 0; k < prev->ntail; ++k) add(prev->tail[k]);
  }
  f.Output(sum.data(), count, probs->data());
}

std::vector<std::pair<float, std::string>> FastTextModel::Predict(
    std::string_view line, int k) const {
  thread_local std::vector<float> probs;
  PredictAll(line, &probs);
  std::vector<int> order(probs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  const size_t want = k > 0 ? std::min<size_t>(k, order.size()) : order.size();
  std::partial_sort(order.begin(), order.begin() + want, order.end(),
                    [&](int a, int b) { return probs[a] > probs[b]; });
  std::vector<std::pair<float, std::string>> out;
  out.reserve(want);
  for (size_t i = 0; i < want; ++i) out.emplace_back(probs[order[i]], labels_[order[i]]);
  return out;
}

}  // namespace opinia::nlp
