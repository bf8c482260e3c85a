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

void FastTextModel::PredictAll(std::string_view line,
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
