#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "kaisim/core/statistics.hpp"

namespace kaisim::study {

/// First-order and total Sobol' indices of one output, with bootstrap 95% intervals.
struct SobolIndices {
    std::vector<double> first, total;  ///< per parameter
    std::vector<core::Interval> first_ci, total_ci;
    double variance = 0;  ///< output variance over A and B
};

/// Sobol' indices from Saltelli's scheme: `y` holds f at the N (k + 2) points of
/// design_points(sobol) in order (A_j, B_j, AB_j^1 .. AB_j^k per row j). First order: Saltelli
/// et al. 2010, mean(f(B) (f(AB^i) - f(A))) / V; total: Jansen 1999, mean((f(A) - f(AB^i))^2) / 2V.
/// Intervals: percentile bootstrap over the N rows (`resamples` draws, seeded).
SobolIndices sobol_indices(const std::vector<double>& y, std::size_t parameters,
                           std::uint32_t resamples, std::uint32_t seed);

/// Morris elementary effects of one output: mean, mean of absolute values, and sd.
struct MorrisIndices {
    std::vector<double> mu, mu_star, sigma;  ///< per parameter
};

/// Morris indices from the trajectories of design_points(morris) (`u`) and f at them (`y`).
MorrisIndices morris_indices(const std::vector<std::vector<double>>& u,
                             const std::vector<double>& y, std::size_t parameters);

/// Built-in analytic test functions, to check the estimators against known indices.
double ishigami(const std::vector<double>& x, double a = 7, double b = 0.1);  ///< x in [-pi, pi]^3
double sobol_g(const std::vector<double>& x, const std::vector<double>& a);   ///< x in [0, 1]^k

/// Analytic Sobol' indices of the G function.
SobolIndices sobol_g_indices(const std::vector<double>& a);

}  // namespace kaisim::study
