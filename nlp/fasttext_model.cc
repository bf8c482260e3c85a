#include "nlp/fasttext_model.h"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"

namespace opinia::nlp {
namespace {
constexpr std::string_view kLabelPrefix = "__label__";
}  // namespace

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
  return m;
}

int FastTextModel::LabelIndex(std::string_view label) const {
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] == label) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// The word ids of `line` as fastText reads them from a stream ("\n" ends
// the line: the EOS token, as in training).
const std::vector<int32_t>& LineWords(const fasttext::FastText& ft, std::string_view line) {
  thread_local std::istringstream in;
  thread_local std::vector<int32_t> words, labels;
  std::string s(line);
  s.push_back('\n');
  in.clear();
  in.str(std::move(s));
  words.clear();
  labels.clear();
  ft.getDictionary()->getLine(in, words, labels);
  return words;
}

}  // namespace

void FastTextModel::PredictAll(std::string_view line,
                               std::vector<float>* probs) const {
  probs->assign(labels_.size(), 0.0f);
  thread_local fasttext::Predictions predictions;
  predictions.clear();
  const std::vector<int32_t>& words = LineWords(*ft_, line);
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

std::vector<std::pair<float, std::string>> FastTextModel::Predict(
    std::string_view line, int k) const {
  const size_t want = k > 0 ? std::min<size_t>(k, labels_.size()) : labels_.size();
  std::vector<std::pair<float, std::string>> out;
  out.reserve(want);
  // The k best alone: fastText's search of its label tree skips the
  // branches whose score so far is below the k-th best's (the language-ID
  // model has 176 labels, one is wanted); a leaf's score is the walk of
  // every label's. The skip is not exact (fastText's log(p + 1e-5) lets a
  // score grow by up to 1e-5 a level), so it looks for k + 1 and takes the
  // answer only when the k-th is ahead of the (k + 1)-th by more than any
  // tree's depth can make up and the probabilities fall strictly (equal
  // ones could come in another order; fewer than k + 1 above fastText's
  // floor leave labels at 0); otherwise every label is read as before.
  thread_local fasttext::Predictions predictions;
  thread_local std::vector<float> best;
  predictions.clear();
  best.clear();
  const std::vector<int32_t>& words = LineWords(*ft_, line);
  if (!words.empty() && want + 1 < labels_.size()) {
    ft_->predict(static_cast<int32_t>(want + 1), words, predictions, 0.0);
    for (const auto& [logp, idx] : predictions) {
      if (idx < 0 || static_cast<size_t>(idx) >= labels_.size()) break;
      const float p = std::exp(logp);
      if (!best.empty() && !(p < best.back())) break;
      best.push_back(p);
    }
    const double margin = 4e-5 * static_cast<double>(labels_.size() + 1);
    if (best.size() == want + 1 &&
        !(static_cast<double>(predictions[want - 1].first) - predictions[want].first > margin)) {
      best.clear();
    }
  }
  if (best.size() < want + 1) {
    // Every label's probability (uniform without words), sorted.
    thread_local std::vector<float> probs;
    PredictAll(line, &probs);
    std::vector<int> order(probs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::partial_sort(order.begin(), order.begin() + want, order.end(),
                      [&](int a, int b) { return probs[a] > probs[b]; });
    for (size_t i = 0; i < want; ++i) out.emplace_back(probs[order[i]], labels_[order[i]]);
    return out;
  }
  for (size_t i = 0; i < want; ++i) out.emplace_back(best[i], labels_[predictions[i].second]);
  return out;
}

}  // namespace opinia::nlp
