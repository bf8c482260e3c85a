#include "nlp/tools/multinomial.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace opinia::nlp::tools {

void FitMultinomial(const std::vector<std::vector<double>>& z, const std::vector<int>& y,
                    int k, double C, std::vector<std::vector<double>>* W) {
  const size_t n = z.size(), dim = z.empty() ? 0 : z[0].size();
  const size_t K = static_cast<size_t>(k), P = K * dim;
  std::vector<double> w(P, 0.0);
  auto loss = [&](const std::vector<double>& v) {
    double l = 0;
    for (size_t i = 0; i < n; ++i) {
      std::vector<double> d(K, 0.0);
      double mx = -1e300;
      for (size_t c = 0; c < K; ++c) {
        for (size_t j = 0; j < dim; ++j) d[c] += v[c * dim + j] * z[i][j];
        mx = std::max(mx, d[c]);
      }
      double s = 0;
      for (size_t c = 0; c < K; ++c) s += std::exp(d[c] - mx);
      l += C * (std::log(s) + mx - d[static_cast<size_t>(y[i])]);
    }
    for (size_t c = 0; c < K; ++c) {
      for (size_t j = 0; j + 1 < dim; ++j) l += 0.5 * v[c * dim + j] * v[c * dim + j];
    }
    return l;
  };
  double cur = loss(w);
  for (int iter = 0; iter < 100; ++iter) {
    std::vector<double> g(P, 0.0), H(P * P, 0.0), p(K);
    for (size_t i = 0; i < n; ++i) {
      double mx = -1e300;
      for (size_t c = 0; c < K; ++c) {
        double d = 0;
        for (size_t j = 0; j < dim; ++j) d += w[c * dim + j] * z[i][j];
        p[c] = d;
        mx = std::max(mx, d);
      }
      double s = 0;
      for (size_t c = 0; c < K; ++c) s += (p[c] = std::exp(p[c] - mx));
      for (size_t c = 0; c < K; ++c) p[c] /= s;
      for (size_t c = 0; c < K; ++c) {
        const double e = C * (p[c] - (static_cast<int>(c) == y[i] ? 1.0 : 0.0));
        for (size_t j = 0; j < dim; ++j) g[c * dim + j] += e * z[i][j];
        for (size_t c2 = 0; c2 < K; ++c2) {
          const double h = C * p[c] * ((c == c2 ? 1.0 : 0.0) - p[c2]);
          for (size_t j = 0; j < dim; ++j) {
            const double hj = h * z[i][j];
            double* row = &H[(c * dim + j) * P + c2 * dim];
            for (size_t j2 = 0; j2 < dim; ++j2) row[j2] += hj * z[i][j2];
          }
        }
      }
    }
    double gmax = 0;
    for (size_t c = 0; c < K; ++c) {
      for (size_t j = 0; j < dim; ++j) {
        const size_t a = c * dim + j;
        if (j + 1 < dim) {
          g[a] += w[a];
          H[a * P + a] += 1.0;
        }
        H[a * P + a] += 1e-8;  // the softmax's shift along the constant
        gmax = std::max(gmax, std::fabs(g[a]));
      }
    }
    if (gmax < 1e-6) break;
    // Solve H step = g (Gaussian elimination, partial pivoting).
    std::vector<double> step = g;
    for (size_t col = 0; col < P; ++col) {
      size_t piv = col;
      for (size_t r = col + 1; r < P; ++r) {
        if (std::fabs(H[r * P + col]) > std::fabs(H[piv * P + col])) piv = r;
      }
      if (piv != col) {
        for (size_t j = 0; j < P; ++j) std::swap(H[col * P + j], H[piv * P + j]);
        std::swap(step[col], step[piv]);
      }
      for (size_t r = col + 1; r < P; ++r) {
        const double f = H[r * P + col] / H[col * P + col];
        if (f == 0) continue;
        for (size_t j = col; j < P; ++j) H[r * P + j] -= f * H[col * P + j];
        step[r] -= f * step[col];
      }
    }
    for (size_t col = P; col-- > 0;) {
      double v = step[col];
      for (size_t j = col + 1; j < P; ++j) v -= H[col * P + j] * step[j];
      step[col] = v / H[col * P + col];
    }
    double t = 1.0, next = cur;
    std::vector<double> cand(P);
    for (int h = 0; h < 30; ++h, t *= 0.5) {
      for (size_t a = 0; a < P; ++a) cand[a] = w[a] - t * step[a];
      next = loss(cand);
      if (next <= cur) break;
    }
    if (!(next <= cur)) break;
    w = cand;
    const bool done = cur - next < 1e-10 * std::max(1.0, std::fabs(cur));
    cur = next;
    if (done) break;
  }
  W->assign(K, std::vector<double>(dim));
  for (size_t c = 0; c < K; ++c) {
    for (size_t j = 0; j < dim; ++j) (*W)[c][j] = w[c * dim + j];
  }
}

template <typename Row>
void FitStandardised(const std::vector<const Row*>& x, const std::vector<int>& y, int k,
                     double C, double min_sd, std::vector<std::vector<double>>* W) {
  const size_t nf = x.empty() ? 0 : x[0]->size();
  const double n = static_cast<double>(std::max<size_t>(x.size(), 1));
  std::vector<double> mean(nf, 0), sd(nf, 0);
  for (const Row* r : x) {
    for (size_t i = 0; i < nf; ++i) mean[i] += (*r)[i];
  }
  for (double& v : mean) v /= n;
  for (const Row* r : x) {
    for (size_t i = 0; i < nf; ++i) sd[i] += ((*r)[i] - mean[i]) * ((*r)[i] - mean[i]);
  }
  for (double& v : sd) {
    v = std::sqrt(v / n);
    if (!(v > min_sd)) v = 1;
  }
  std::vector<std::vector<double>> z(x.size());
  for (size_t r = 0; r < x.size(); ++r) {
    z[r].resize(nf + 1, 1.0);
    for (size_t i = 0; i < nf; ++i) z[r][i] = ((*x[r])[i] - mean[i]) / sd[i];
  }
  std::vector<std::vector<double>> Wz;
  FitMultinomial(z, y, k, C, &Wz);
  W->assign(static_cast<size_t>(k), std::vector<double>(nf + 1, 0));
  for (size_t j = 0; j < static_cast<size_t>(k); ++j) {
    double b = Wz[j][nf];
    for (size_t i = 0; i < nf; ++i) {
      (*W)[j][i] = Wz[j][i] / sd[i];
      b -= (*W)[j][i] * mean[i];
    }
    (*W)[j][nf] = b;
  }
}

template void FitStandardised(const std::vector<const std::vector<float>*>&,
                              const std::vector<int>&, int, double, double,
                              std::vector<std::vector<double>>*);
template void FitStandardised(const std::vector<const std::vector<double>*>&,
                              const std::vector<int>&, int, double, double,
                              std::vector<std::vector<double>>*);

}  // namespace opinia::nlp::tools
