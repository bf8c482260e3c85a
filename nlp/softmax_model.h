// A small multinomial logistic model stored as text, shared by the
// stacked arbiters (nlp/label_arbiter.h, nlp/aspect_signs.h):
//   line 1: the file's magic (e.g. "OPARB1")
//   line 2: "features F"
//   line 3: "threshold T", T in [0, 1]
//   optional, in a format with class_thresholds (twelfth pass): at most one
//     line per class "NAME_threshold T_k", T_k in [0, 1], class NAME's own
//     threshold (absent: T); written in the order of the classes
//   one line per class "NAME bias w_1 ... w_F"
// P(k) = softmax_k(bias_k + w_k . x) on raw features (the trainer folds its
// standardisation into the weights).
#ifndef OPINIA_NLP_SOFTMAX_MODEL_H_
#define OPINIA_NLP_SOFTMAX_MODEL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace opinia::nlp {

struct SoftmaxModelFormat {
  std::string_view magic;
  std::string_view what;  // in errors, e.g. "label arbiter"
  int features = 0;
  std::vector<std::string_view> classes;
  // false: the class lines come in the order of `classes`; true: in any
  // order, each class once.
  bool any_order = false;
  // true: the optional "NAME_threshold T_k" lines may follow the
  // threshold line; false: such a line is malformed.
  bool class_thresholds = false;
};

class SoftmaxModel {
 public:
  // The contents of `path`: nullopt (and OK) when it does not exist,
  // INVALID_ARGUMENT naming it when it cannot be read.
  static absl::StatusOr<std::optional<std::string>> ReadIfExists(const std::string& path);
  // Parses `text`; errors are INVALID_ARGUMENT starting with `name`.
  static absl::StatusOr<SoftmaxModel> Parse(std::string_view text, const std::string& name,
                                            const SoftmaxModelFormat& format);

  // The probabilities of features `x` in the order of the format's
  // classes, into p[0 .. classes).
  void Predict(const std::vector<float>& x, float* p) const;
  // The file's threshold T; class k's (of the format's classes): its
  // "NAME_threshold" line's, else T.
  float threshold() const { return threshold_; }
  float threshold(size_t k) const { return class_thresholds_[k]; }
  // True when class k has its own "NAME_threshold" line.
  bool has_class_threshold(size_t k) const { return own_threshold_[k]; }

 private:
  float threshold_ = 0;
  std::vector<float> class_thresholds_;
  std::vector<bool> own_threshold_;
  std::vector<double> bias_;
  std::vector<std::vector<double>> w_;
  // w_ by feature: wt_[i * classes + k] = w_[k][i] (every class has the
  // format's number of weights), so that Predict() adds the classes' terms
  // of one feature side by side, each class's in the order of w_.
  std::vector<double> wt_;
  size_t features_ = 0;
};

// T::Parse(contents, path) of the file at `path` (T: a model class with a
// static Parse(std::string_view text, const std::string& name)); null (and
// OK) when the file does not exist.
template <typename T>
absl::StatusOr<std::unique_ptr<T>> LoadIfExists(const std::string& path) {
  absl::StatusOr<std::optional<std::string>> text = SoftmaxModel::ReadIfExists(path);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::unique_ptr<T>();
  return T::Parse(**text, path);
}

// The "NAME_threshold T_k" line (with its newline, T_k "%.2f") of class k
// of `format` with threshold `class_threshold` in a file whose threshold
// is `threshold`; empty when class_threshold is negative or prints as
// `threshold` (the class keeps the file's).
std::string ClassThresholdLine(const SoftmaxModelFormat& format, size_t k, double threshold,
                               double class_threshold);

// The text of a model of `format` (threshold "%.2f", numbers "%.9g");
// bias[k] and w[k] (format.features weights) of class k;
// class_thresholds[k] (empty, or one per class; negative: none) class k's
// own threshold (ClassThresholdLine(); format.class_thresholds only).
std::string FormatSoftmaxModel(const SoftmaxModelFormat& format, double threshold,
                               const std::vector<double>& bias,
                               const std::vector<std::vector<double>>& w,
                               const std::vector<double>& class_thresholds = {});

}  // namespace opinia::nlp

#endif  // OPINIA_NLP_SOFTMAX_MODEL_H_
