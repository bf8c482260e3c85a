#include "nlp/sentiment_meta.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp {

void CountLexicon(std::string_view input, const Lexicon::View& lang,
                  const Lexicon::View& any, LexiconCounts* c) {
  size_t pos = 0;
  while (pos < input.size()) {
    size_t end = input.find(' ', pos);
    if (end == std::string_view::npos) end = input.size();
    std::string_view t = input.substr(pos, end - pos);
    pos = end + 1;
    if (t.empty()) continue;
    if (t[0] == '~') {
      if (auto v = Lexicon::Valence(lang, t)) {
        const int side = *v > 0 ? 0 : 1;
        c->sum[4 + side] += *v;
        c->sum[6 + side] += 1;
      }
      continue;
    }
    ++c->tokens;
    float sign = 1;
    if (t.size() > 4 && t.substr(0, 4) == "neg_") {
      t.remove_prefix(4);
      sign = -1;
    }
    // `lang` holds the "*" entries too (Lexicon::ForLanguage), so one probe
    // tells a miss; a hit may be an emoji or emoticon ("*" section first).
    auto v = Lexicon::Valence(lang, t);
    if (!v) continue;
    if (auto e = Lexicon::Valence(any, t)) {
      const float x = *e * sign;
      c->sum[x > 0 ? 8 : 9] += x;
      continue;
    }
    const float x = *v * sign;
    const int side = x > 0 ? 0 : 1;
    c->sum[side] += x;
    c->sum[2 + side] += 1;
  }
}

std::array<float, kNumLexiconFeatures> LexiconFeatures(const LexiconCounts& c) {
  std::array<float, kNumLexiconFeatures> f{};
  const int n = std::max(1, c.tokens);
  const float inv = 1.0f / std::sqrt(static_cast<float>(n));
  for (size_t i = 0; i < c.sum.size(); ++i) f[i] = c.sum[i] * inv;
  f[10] = std::log1p(static_cast<float>(n));
  return f;
}

void MetaModel::Inputs(const float* base, int k, const LexiconCounts& counts,
                       const std::vector<int>& columns, std::vector<double>* x) {
  x->clear();
  auto lp = [&](int i) { return std::log(std::max(static_cast<double>(base[i]), 1e-6)); };
  if (k == 2) {
    x->push_back(lp(1) - lp(0));
  } else {
    for (int i = 0; i < k; ++i) x->push_back(lp(i));
  }
  const auto f = LexiconFeatures(counts);
  for (int c : columns) x->push_back(f[static_cast<size_t>(c)]);
}

void MetaModel::Predict(const std::vector<float>& base, const LexiconCounts& counts,
                        std::vector<float>* probs) const {
  thread_local std::vector<double> x;
  Inputs(base.data(), k_, counts, columns_, &x);
  probs->resize(static_cast<size_t>(k_));
  std::array<double, 4> d{};
  double mx = -1e300;
  for (int c = 0; c < k_; ++c) {
    double v = bias_[c];
    const auto& w = w_[c];
    for (size_t i = 0; i < x.size(); ++i) v += w[i] * x[i];
    d[c] = v;
    mx = std::max(mx, v);
  }
  double sum = 0;
  for (int c = 0; c < k_; ++c) {
    d[c] = std::exp(d[c] - mx);
    sum += d[c];
  }
  for (int c = 0; c < k_; ++c) (*probs)[c] = static_cast<float>(d[c] / sum);
}

absl::StatusOr<std::unique_ptr<MetaModel>> MetaModel::Load(
    const std::string& path, const std::vector<std::string>& base_labels) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("meta model not found: " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), base_labels, path);
}

absl::StatusOr<std::unique_ptr<MetaModel>> MetaModel::Parse(
    std::string_view text, const std::vector<std::string>& base_labels,
    const std::string& name) {
  auto bad = [&](const std::string& what) {
    return absl::InvalidArgumentError(name + ": " + what);
  };
  std::vector<absl::string_view> lines = absl::StrSplit(
      absl::string_view(text.data(), text.size()), '\n', absl::SkipEmpty());
  auto fields = [](absl::string_view l) {
    return std::vector<absl::string_view>(absl::StrSplit(l, ' ', absl::SkipEmpty()));
  };
  if (lines.empty() || lines[0] != "OPMETA1") return bad("expected OPMETA1 header");
  if (lines.size() < 3) return bad("truncated");
  std::unique_ptr<MetaModel> m(new MetaModel());
  auto lab = fields(lines[1]);
  int k = 0;
  if (lab.size() < 2 || lab[0] != "labels" || !absl::SimpleAtoi(lab[1], &k) ||
      k < 2 || k > 4 || static_cast<int>(lab.size()) != 2 + k) {
    return bad("expected 'labels K L_1 ... L_K' (K = 2..4)");
  }
  if (static_cast<size_t>(k) != base_labels.size()) {
    return bad("labels differ from the base model's");
  }
  for (int i = 0; i < k; ++i) {
    if (lab[2 + i] != absl::string_view(base_labels[static_cast<size_t>(i)])) {
      return bad("labels differ from the base model's");
    }
  }
  m->k_ = k;
  auto lx = fields(lines[2]);
  int mcols = 0;
  if (lx.size() < 2 || lx[0] != "lexicon" || !absl::SimpleAtoi(lx[1], &mcols) ||
      mcols < 0 || mcols > kNumLexiconFeatures ||
      static_cast<int>(lx.size()) != 2 + mcols) {
    return bad("expected 'lexicon M c_1 ... c_M' (M = 0..11)");
  }
  for (int i = 0; i < mcols; ++i) {
    int c = 0;
    if (!absl::SimpleAtoi(lx[2 + i], &c) || c < 0 || c >= kNumLexiconFeatures) {
      return bad("lexicon feature index out of range");
    }
    m->columns_.push_back(c);
  }
  const size_t nf = static_cast<size_t>((k == 2 ? 1 : k) + mcols);
  if (lines.size() != 3 + static_cast<size_t>(k)) {
    return bad("expected one weight line per label");
  }
  for (int c = 0; c < k; ++c) {
    auto v = fields(lines[3 + c]);
    if (v.size() != 1 + nf) return bad("weight line with the wrong number of values");
    double b = 0;
    std::vector<double> w(nf);
    bool ok = absl::SimpleAtod(v[0], &b) && std::isfinite(b);
    for (size_t i = 0; ok && i < nf; ++i) {
      ok = absl::SimpleAtod(v[1 + i], &w[i]) && std::isfinite(w[i]);
    }
    if (!ok) return bad("bad number in a weight line");
    m->bias_.push_back(b);
    m->w_.push_back(std::move(w));
  }
  return m;
}

}  // namespace opinia::nlp
