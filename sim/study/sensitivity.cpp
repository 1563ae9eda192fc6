#include "kaisim/study/sensitivity.hpp"

#include <algorithm>
#include <cmath>

#include "kaisim/core/error.hpp"
#include "kaisim/core/rng.hpp"

namespace kaisim::study {

namespace {
// The estimators on the rows listed in `rows` (with repeats, for the bootstrap).
void estimate(const std::vector<double>& y, std::size_t k, const std::vector<std::uint32_t>& rows,
              std::vector<double>& first, std::vector<double>& total, double& variance) {
    const std::size_t stride = k + 2;
    core::RunningStats all;
    for (std::uint32_t j : rows) {
        all.add(y[j * stride]);
        all.add(y[j * stride + 1]);
    }
    variance = all.variance();
    first.assign(k, 0.0);
    total.assign(k, 0.0);
    if (!(variance > 0)) return;
    // Centred outputs: the same expectation, far less variance when the mean is large
    // relative to the spread (as for most programme metrics).
    const double centre = all.mean();
    for (std::size_t i = 0; i < k; ++i) {
        double s = 0, t = 0;
        for (std::uint32_t j : rows) {
            const double fa = y[j * stride] - centre, fb = y[j * stride + 1] - centre,
                         fab = y[j * stride + 2 + i] - centre;
            s += fb * (fab - fa);
            t += (fa - fab) * (fa - fab);
        }
        first[i] = s / static_cast<double>(rows.size()) / variance;
        total[i] = t / (2.0 * static_cast<double>(rows.size())) / variance;
    }
}

core::Interval percentile(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    if (v.empty()) return {0, 0};
    auto at = [&](double q) {
        return v[std::min(v.size() - 1,
                          static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    };
    return {at(0.025), at(0.975)};
}
}  // namespace

SobolIndices sobol_indices(const std::vector<double>& y, std::size_t k, std::uint32_t resamples,
                           std::uint32_t seed) {
    KAISIM_ASSERT(k >= 1 && y.size() % (k + 2) == 0);
    const std::uint32_t n = static_cast<std::uint32_t>(y.size() / (k + 2));
    SobolIndices out;
    std::vector<std::uint32_t> rows(n);
    for (std::uint32_t j = 0; j < n; ++j) rows[j] = j;
    estimate(y, k, rows, out.first, out.total, out.variance);
    std::vector<std::vector<double>> bf(k), bt(k);
    const core::RngStream rng(seed, core::shared_replicate, core::Stream::tie_break);
    std::vector<double> f, t;
    double v;
    for (std::uint32_t b = 0; b < resamples; ++b) {
        for (std::uint32_t j = 0; j < n; ++j)
            rows[j] = std::min(n - 1, static_cast<std::uint32_t>(rng.uniform(b, j) * n));
        estimate(y, k, rows, f, t, v);
        for (std::size_t i = 0; i < k; ++i) {
            bf[i].push_back(f[i]);
            bt[i].push_back(t[i]);
        }
    }
    for (std::size_t i = 0; i < k; ++i) {
        out.first_ci.push_back(percentile(bf[i]));
        out.total_ci.push_back(percentile(bt[i]));
    }
    return out;
}

MorrisIndices morris_indices(const std::vector<std::vector<double>>& u,
                             const std::vector<double>& y, std::size_t k) {
    KAISIM_ASSERT(u.size() == y.size() && u.size() % (k + 1) == 0);
    std::vector<core::RunningStats> ee(k), abs_ee(k);
    for (std::size_t t = 0; t < u.size(); t += k + 1)
        for (std::size_t s = 0; s < k; ++s) {
            const auto& a = u[t + s];
            const auto& b = u[t + s + 1];
            for (std::size_t i = 0; i < k; ++i)
                if (a[i] != b[i]) {
                    const double e = (y[t + s + 1] - y[t + s]) / (b[i] - a[i]);
                    ee[i].add(e);
                    abs_ee[i].add(std::abs(e));
                }
        }
    MorrisIndices m;
    for (std::size_t i = 0; i < k; ++i) {
        m.mu.push_back(ee[i].mean());
        m.mu_star.push_back(abs_ee[i].mean());
        m.sigma.push_back(ee[i].sd());
    }
    return m;
}

double ishigami(const std::vector<double>& x, double a, double b) {
    return std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) +
           b * std::pow(x[2], 4) * std::sin(x[0]);
}

double sobol_g(const std::vector<double>& x, const std::vector<double>& a) {
    double g = 1;
    for (std::size_t i = 0; i < a.size(); ++i) g *= (std::abs(4 * x[i] - 2) + a[i]) / (1 + a[i]);
    return g;
}

SobolIndices sobol_g_indices(const std::vector<double>& a) {
    // V_i = 1 / (3 (1 + a_i)^2); V = prod(1 + V_i) - 1 (Saltelli & Sobol' 1995).
    SobolIndices out;
    std::vector<double> vi;
    double prod = 1;
    for (double ai : a) {
        vi.push_back(1.0 / (3.0 * (1 + ai) * (1 + ai)));
        prod *= 1 + vi.back();
    }
    out.variance = prod - 1;
    for (double v : vi) {
        out.first.push_back(v / out.variance);
        out.total.push_back(v * (prod / (1 + v)) / out.variance);
    }
    return out;
}

}  // namespace kaisim::study
