#include "kaisim/study/sweep_design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <boost/math/distributions/normal.hpp>

#include "kaisim/core/error.hpp"
#include "kaisim/core/rng.hpp"
#include "kaisim/study/sobol_sequence.hpp"

namespace kaisim::study {

namespace {
// Grid coordinates of one parameter: every value of a discrete one, else `levels` midpoints.
std::vector<double> grid_levels(const SweepParameter& p) {
    int n = p.levels;
    if (p.dist == Distribution::choice) n = static_cast<int>(p.values.size());
    if (p.dist == Distribution::integer) n = static_cast<int>(p.high - p.low) + 1;
    std::vector<double> u(static_cast<std::size_t>(std::max(1, n)));
    for (std::size_t i = 0; i < u.size(); ++i)
        u[i] = (static_cast<double>(i) + 0.5) / static_cast<double>(u.size());
    return u;
}
}  // namespace

double normal_quantile(double u) {
    KAISIM_ASSERT(!std::isnan(u));
    // Outside (0, 1) clamped as before (to +-7.03); Boost.Math's inverse of erfc, accurate to a
    // few ulp.
    u = std::clamp(u, 1e-12, 1 - 1e-12);
    return boost::math::quantile(boost::math::normal_distribution<double>(), u);
}

double parameter_value(const SweepParameter& p, double u) {
    u = std::clamp(u, 0.0, 1.0);
    switch (p.dist) {
        case Distribution::uniform: return p.low + u * (p.high - p.low);
        case Distribution::loguniform:
            return std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
        case Distribution::normal:
            return p.mean + p.sd * normal_quantile(std::clamp(u, 1e-6, 1 - 1e-6));
        case Distribution::integer:
            return std::min(p.high, std::floor(p.low + u * (p.high - p.low + 1)));
        case Distribution::choice: {
            const std::size_t k =
                std::min(p.values.size() - 1,
                         static_cast<std::size_t>(u * static_cast<double>(p.values.size())));
            return static_cast<double>(k);  // the index of the value chosen
        }
    }
    return 0;
}

namespace {
// A numeric value as a --set writes it: whole for integer parameters, else round-trip exact.
std::string number_text(Distribution dist, double v) {
    char buf[40];
    if (dist == Distribution::integer)
        std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
    else
        std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
}  // namespace

std::string parameter_text(const SweepParameter& p, double u) {
    const double v = parameter_value(p, u);
    if (p.dist == Distribution::choice) return p.values[static_cast<std::size_t>(v)];
    return number_text(p.dist, v);
}

std::vector<std::string> parameter_sets(const SweepParameter& p, double u) {
    std::vector<std::string> sets{p.path + "=" + parameter_text(p, u)};
    for (const LinkedPath& l : p.also) {
        const bool as_drawn = p.dist == Distribution::choice || (l.scale == 1 && l.offset == 0);
        sets.push_back(l.path + "=" +
                       (as_drawn
                            ? parameter_text(p, u)
                            : number_text(p.dist, parameter_value(p, u) * l.scale + l.offset)));
    }
    return sets;
}

std::vector<std::vector<double>> design_points(const DesignSpec& d,
                                               const std::vector<SweepParameter>& params) {
    const std::size_t k = params.size();
    KAISIM_ASSERT(k >= 1);
    std::vector<std::vector<double>> pts;
    const core::RngStream rng(d.seed, core::shared_replicate, core::Stream::items);
    switch (d.design) {
        case Design::grid: {
            std::vector<std::vector<double>> levels;
            std::size_t total = 1;
            for (const auto& p : params) {
                levels.push_back(grid_levels(p));
                total *= levels.back().size();
            }
            for (std::size_t idx = 0; idx < total; ++idx) {
                std::vector<double> u(k);
                std::size_t rest = idx;
                for (std::size_t i = k; i-- > 0;) {
                    u[i] = levels[i][rest % levels[i].size()];
                    rest /= levels[i].size();
                }
                pts.push_back(u);
            }
            break;
        }
        case Design::random:
            for (std::uint32_t j = 0; j < d.samples; ++j) {
                std::vector<double> u(k);
                for (std::size_t i = 0; i < k; ++i)
                    u[i] = rng.uniform(j, static_cast<std::uint32_t>(i));
                pts.push_back(u);
            }
            break;
        case Design::lhs: {
            // Each parameter's range cut into `samples` strata, one point per stratum, strata
            // matched across parameters by independent random permutations.
            pts.assign(d.samples, std::vector<double>(k));
            for (std::size_t i = 0; i < k; ++i) {
                std::vector<std::uint32_t> perm(d.samples);
                std::iota(perm.begin(), perm.end(), 0u);
                for (std::uint32_t j = d.samples; j > 1; --j) {
                    const auto r = static_cast<std::uint32_t>(
                        rng.uniform(1000000u + static_cast<std::uint32_t>(i), j) * j);
                    std::swap(perm[j - 1], perm[std::min(r, j - 1)]);
                }
                for (std::uint32_t j = 0; j < d.samples; ++j)
                    pts[j][i] =
                        (perm[j] + rng.uniform(j, static_cast<std::uint32_t>(i), 1)) / d.samples;
            }
            break;
        }
        case Design::sobol: {
            KAISIM_ASSERT(2 * k <= static_cast<std::size_t>(SobolSequence::max_dimensions));
            const SobolSequence seq(static_cast<int>(2 * k), d.seed);
            for (std::uint32_t j = 0; j < d.samples; ++j) {
                // Point j + 1 is Boost's sobol_engine vector j (the engine skips the origin).
                const std::vector<double> x = seq.point(j + 1);
                const std::vector<double> a(x.begin(), x.begin() + static_cast<long>(k)),
                    b(x.begin() + static_cast<long>(k), x.end());
                pts.push_back(a);
                pts.push_back(b);
                for (std::size_t i = 0; i < k; ++i) {
                    std::vector<double> ab = a;
                    ab[i] = b[i];
                    pts.push_back(ab);
                }
            }
            break;
        }
        case Design::morris: {
            const int p = d.morris_levels;
            const double delta = p / (2.0 * (p - 1));
            for (std::uint32_t t = 0; t < d.trajectories; ++t) {
                std::vector<double> x(k);
                for (std::size_t i = 0; i < k; ++i) {
                    // Start levels 0 .. p/2 - 1, so that x + delta stays in [0, 1].
                    const int level = static_cast<int>(
                        rng.uniform(2000000u + t, static_cast<std::uint32_t>(i)) * (p / 2));
                    x[i] = level / static_cast<double>(p - 1);
                }
                std::vector<std::size_t> order(k);
                std::iota(order.begin(), order.end(), 0);
                for (std::size_t j = k; j > 1; --j) {
                    const auto r = static_cast<std::size_t>(
                        rng.uniform(3000000u + t, static_cast<std::uint32_t>(j)) *
                        static_cast<double>(j));
                    std::swap(order[j - 1], order[std::min(r, j - 1)]);
                }
                pts.push_back(x);
                for (std::size_t i : order) {
                    x[i] += delta;
                    pts.push_back(x);
                }
            }
            break;
        }
    }
    return pts;
}

std::vector<double> point_values(const std::vector<SweepParameter>& params,
                                 const std::vector<double>& u) {
    KAISIM_ASSERT(u.size() == params.size());
    std::vector<double> v(u.size());
    for (std::size_t i = 0; i < u.size(); ++i) v[i] = parameter_value(params[i], u[i]);
    for (std::size_t i = 0; i < u.size(); ++i) {
        const SweepParameter& p = params[i];
        if (p.location < 0) continue;
        const double x =
            v[static_cast<std::size_t>(p.location)] + v[static_cast<std::size_t>(p.spread)] * v[i];
        switch (p.scale) {
            case HierarchyScale::linear: v[i] = x; break;
            case HierarchyScale::log: v[i] = std::exp(x); break;
            case HierarchyScale::logit: v[i] = 1 / (1 + std::exp(-x)); break;
        }
    }
    return v;
}

std::vector<std::string> point_sets(const std::vector<SweepParameter>& params,
                                    const std::vector<double>& u) {
    std::vector<std::string> sets;
    const bool members = std::any_of(params.begin(), params.end(),
                                     [](const SweepParameter& p) { return p.location >= 0; });
    const std::vector<double> values = members ? point_values(params, u) : std::vector<double>{};
    for (std::size_t i = 0; i < u.size(); ++i) {
        const SweepParameter& p = params[i];
        if (p.path.empty()) continue;
        if (p.location >= 0) {
            sets.push_back(p.path + "=" + number_text(Distribution::normal, values[i]));
            continue;
        }
        const std::vector<std::string> mine = parameter_sets(p, u[i]);
        sets.insert(sets.end(), mine.begin(), mine.end());
    }
    return sets;
}

}  // namespace kaisim::study
