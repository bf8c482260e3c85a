#include "nlp/softmax_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace opinia::nlp {
namespace {

// This abseil's string_view is not std::string_view.
absl::string_view Av(std::string_view s) { return {s.data(), s.size()}; }

// A class's own threshold line: "<class>_threshold T_k".
constexpr char kClassThresholdSuffix[] = "_threshold";

std::string Threshold2(double t) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", t);
  return buf;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> SoftmaxModel::ReadIfExists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  std::stringstream text;
  text << in.rdbuf();
  return std::optional<std::string>(text.str());
}

absl::StatusOr<SoftmaxModel> SoftmaxModel::Parse(std::string_view text, const std::string& name,
                                                 const SoftmaxModelFormat& format) {
  auto bad = [&name](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": ", Av(why)));
  };
  const size_t classes = format.classes.size();
  std::vector<absl::string_view> lines =
      absl::StrSplit(absl::string_view(text.data(), text.size()), '\n', absl::SkipEmpty());
  auto not_the_format = [&]() {
    return bad(absl::StrCat("not a ", Av(format.what), " (", Av(format.magic),
                            ", features, threshold",
                            format.class_thresholds ? ", optional class thresholds" : "",
                            " and ", classes, " class lines)"));
  };
  if (lines.size() < 3 || lines[0] != Av(format.magic)) return not_the_format();
  std::vector<absl::string_view> f = absl::StrSplit(lines[1], ' ', absl::SkipEmpty());
  int features = 0;
  if (f.size() != 2 || f[0] != "features" || !absl::SimpleAtoi(f[1], &features) ||
      features != format.features) {
    return bad(absl::StrCat("expected \"features ", format.features, "\""));
  }
  SoftmaxModel m;
  std::vector<absl::string_view> th = absl::StrSplit(lines[2], ' ', absl::SkipEmpty());
  if (th.size() != 2 || th[0] != "threshold" || !absl::SimpleAtof(th[1], &m.threshold_) ||
      !(m.threshold_ >= 0 && m.threshold_ <= 1)) {
    return bad("expected \"threshold T\" with T in [0, 1]");
  }
  // The optional "NAME_threshold T_k" lines, then the class lines from
  // `first`.
  m.class_thresholds_.assign(classes, m.threshold_);
  m.own_threshold_.assign(classes, false);
  size_t first = 3;
  if (format.class_thresholds) {
    std::vector<bool> given(classes, false);
    for (; first < lines.size(); ++first) {
      std::vector<absl::string_view> v = absl::StrSplit(lines[first], ' ', absl::SkipEmpty());
      if (v.empty() || !absl::EndsWith(v[0], kClassThresholdSuffix)) break;
      const absl::string_view class_name =
          v[0].substr(0, v[0].size() - std::strlen(kClassThresholdSuffix));
      size_t k = 0;
      while (k < classes && Av(format.classes[k]) != class_name) ++k;
      float t = 0;
      if (k == classes || given[k] || v.size() != 2 || !absl::SimpleAtof(v[1], &t) ||
          !(t >= 0 && t <= 1)) {
        return bad(absl::StrCat("line ", first + 1,
                                ": expected \"NAME_threshold T\", NAME a class given once, T in "
                                "[0, 1]: ",
                                lines[first]));
      }
      given[k] = true;
      m.class_thresholds_[k] = t;
      m.own_threshold_[k] = true;
    }
  }
  if (lines.size() != first + classes) return not_the_format();
  m.bias_.assign(classes, 0.0);
  m.w_.assign(classes, {});
  std::vector<bool> seen(classes, false);
  for (size_t l = first; l < lines.size(); ++l) {
    std::vector<absl::string_view> v = absl::StrSplit(lines[l], ' ', absl::SkipEmpty());
    size_t k = classes;
    if (format.any_order) {
      for (size_t c = 0; c < classes && !v.empty(); ++c) {
        if (v[0] == Av(format.classes[c])) k = c;
      }
    } else if (!v.empty() && v[0] == Av(format.classes[l - first])) {
      k = l - first;
    }
    if (k == classes || seen[k] || v.size() != static_cast<size_t>(features) + 2) {
      const std::string want = format.any_order
                                   ? std::string("a new class")
                                   : absl::StrCat("\"", Av(format.classes[l - first]), "\"");
      return bad(absl::StrCat("line ", l + 1, ": expected ", want, ", its bias and ", features,
                              " weights"));
    }
    seen[k] = true;
    for (size_t i = 1; i < v.size(); ++i) {
      double d = 0;
      if (!absl::SimpleAtod(v[i], &d) || !std::isfinite(d)) {
        return bad(absl::StrCat("line ", l + 1, ": not a number: ", v[i]));
      }
      if (i == 1) {
        m.bias_[k] = d;
      } else {
        m.w_[k].push_back(d);
      }
    }
  }
  m.features_ = static_cast<size_t>(features);
  m.wt_.assign(m.features_ * classes, 0.0);
  for (size_t k = 0; k < classes; ++k) {
    for (size_t i = 0; i < m.features_; ++i) m.wt_[i * classes + k] = m.w_[k][i];
  }
  return m;
}

namespace {

// d[k] = bias[k] + w[k] . x[0, n), for every class k < K at once: per
// class the same products added in the same order as one class at a time
// (the classes only sit side by side; nothing is reassociated), so the sums
// are bit for bit those of the plain loop.
template <size_t K>
void ClassSums(const double* bias, const double* wt, const float* x, size_t n, double* d) {
  double acc[K];
  for (size_t k = 0; k < K; ++k) acc[k] = bias[k];
  for (size_t i = 0; i < n; ++i) {
    const double xi = x[i];
    const double* w = wt + i * K;
    for (size_t k = 0; k < K; ++k) acc[k] += w[k] * xi;
  }
  for (size_t k = 0; k < K; ++k) d[k] = acc[k];
}

}  // namespace

void SoftmaxModel::Predict(const std::vector<float>& x, float* p) const {
  thread_local std::vector<double> d;
  d.assign(bias_.size(), 0.0);
  double mx = -1e300;
  const size_t n = std::min(features_, x.size());
  if (d.size() == 3 || d.size() == 4) {
    // The label arbiter's four classes, the aspect-sign model's three.
    (d.size() == 3 ? ClassSums<3> : ClassSums<4>)(bias_.data(), wt_.data(), x.data(), n,
                                                  d.data());
    for (size_t k = 0; k < d.size(); ++k) mx = std::max(mx, d[k]);
  } else {
    for (size_t k = 0; k < d.size(); ++k) {
      d[k] = bias_[k];
      // (The bound hoisted out of the loop: the same products, added in the
      // same order.)
      const std::vector<double>& w = w_[k];
      double dk = d[k];
      for (size_t i = 0; i < n; ++i) dk += w[i] * x[i];
      d[k] = dk;
      mx = std::max(mx, d[k]);
    }
  }
  double s = 0;
  for (double& v : d) s += (v = std::exp(v - mx));
  for (size_t k = 0; k < d.size(); ++k) p[k] = static_cast<float>(d[k] / s);
}

std::string ClassThresholdLine(const SoftmaxModelFormat& format, size_t k, double threshold,
                               double class_threshold) {
  const std::string t = Threshold2(class_threshold);
  if (class_threshold < 0 || t == Threshold2(threshold)) return "";
  return absl::StrCat(Av(format.classes[k]), kClassThresholdSuffix, " ", t, "\n");
}

std::string FormatSoftmaxModel(const SoftmaxModelFormat& format, double threshold,
                               const std::vector<double>& bias,
                               const std::vector<std::vector<double>>& w,
                               const std::vector<double>& class_thresholds) {
  char buf[64];
  std::string text = absl::StrCat(Av(format.magic), "\nfeatures ", format.features,
                                  "\nthreshold ", Threshold2(threshold), "\n");
  for (size_t k = 0; k < class_thresholds.size() && k < format.classes.size(); ++k) {
    text += ClassThresholdLine(format, k, threshold, class_thresholds[k]);
  }
  for (size_t k = 0; k < format.classes.size(); ++k) {
    std::snprintf(buf, sizeof(buf), " %.9g", bias[k]);
    absl::StrAppend(&text, Av(format.classes[k]), buf);
    for (int i = 0; i < format.features; ++i) {
      std::snprintf(buf, sizeof(buf), " %.9g", w[k][static_cast<size_t>(i)]);
      text += buf;
    }
    text += "\n";
  }
  return text;
}

}  // namespace opinia::nlp
