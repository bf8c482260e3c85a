// Multinomial logistic regression for small dense feature sets (the meta
// step of the sentiment models; any stacked step over a few dozen
// features). Shared by opinia-train's steps.
#ifndef OPINIA_NLP_TOOLS_MULTINOMIAL_H_
#define OPINIA_NLP_TOOLS_MULTINOMIAL_H_

#include <vector>

namespace opinia::nlp::tools {

// Multinomial logistic regression on rows z (last column the constant 1),
// labels y in 0..k-1: minimises C * sum_i -ln softmax(W z_i)[y_i] +
// ||W||^2 / 2 (the constant's weights not penalised) by Newton's method
// with step halving; deterministic. W: k x dim.
void FitMultinomial(const std::vector<std::vector<double>>& z, const std::vector<int>& y,
                    int k, double C, std::vector<std::vector<double>>* W);

// FitMultinomial on the rows *x[i] standardised (mean, standard deviation
// over the rows; a deviation not above min_sd taken as 1), labels y in
// 0..k-1; W: k x (F + 1) on the raw features, the standardisation folded
// in, the bias last. Row: std::vector<float> or std::vector<double>.
template <typename Row>
void FitStandardised(const std::vector<const Row*>& x, const std::vector<int>& y, int k,
                     double C, double min_sd, std::vector<std::vector<double>>* W);

}  // namespace opinia::nlp::tools

#endif  // OPINIA_NLP_TOOLS_MULTINOMIAL_H_
