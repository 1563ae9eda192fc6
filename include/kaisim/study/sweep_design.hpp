#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kaisim::study {

/// How a swept parameter's values are distributed (mapped from the unit interval).
enum class Distribution { uniform, loguniform, normal, integer, choice };

/// A further scenario path a parameter sets (a linked factor): its value times `scale`, plus
/// `offset` (e.g. scale -1, offset 60: what the parameter takes from a total of 60).
struct LinkedPath {
    std::string path;                 ///< as for --set
    double scale = 1;                 ///< factor on the parameter's value (1 for choice values)
    double offset = 0;                ///< added after the factor (0 for choice values)
    int path_line = 0, path_col = 0;  ///< where it stands in the sweep file (0: unknown)
};

/// How a team's value under a hierarchical prior follows from location + spread x z.
enum class HierarchyScale {
    linear,  ///< the value itself
    log,     ///< exp of it (a positive attribute)
    logit,   ///< 1 / (1 + exp(-it)) (an attribute in (0, 1))
};

/// A parameter of a sweep: a path into the scenario (as for --set) and its distribution; a
/// linked factor sets further paths (`also`) from the same draw, e.g. every 2026 quota and the
/// tranche that serves them.
struct SweepParameter {
    std::string name;                 ///< column name in the outputs
    std::string path;                 ///< e.g. stages[2].cut.keep (unused for analytic models)
    int path_line = 0, path_col = 0;  ///< where the path stands in the sweep file (0: unknown)
    std::vector<LinkedPath> also;     ///< further paths set from the same value
    Distribution dist = Distribution::uniform;
    double low = 0, high = 1;         ///< uniform, loguniform, integer (inclusive)
    double mean = 0, sd = 1;          ///< normal
    std::vector<std::string> values;  ///< choice (explicit values)
    int levels = 3;                   ///< grid: points along this parameter (continuous ones)
    /// A member of a hierarchical prior (calibrations): its coordinate is a standard normal z
    /// (dist normal, mean 0, sd 1) and the value set at `path` is scale(location + spread x z),
    /// with location and spread the values of the parameters at these indices (a parameter
    /// with an empty path sets nothing: a population's location or spread). -1: not a member.
    int location = -1, spread = -1;
    HierarchyScale scale = HierarchyScale::linear;
};

/// How the points of a sweep are chosen.
enum class Design { grid, random, lhs, sobol, morris };

/// A design's settings.
struct DesignSpec {
    Design design = Design::random;
    std::uint32_t samples = 64;       ///< random, lhs: points; sobol: base size N (a power of two)
    std::uint32_t trajectories = 10;  ///< morris
    int morris_levels = 4;            ///< morris: grid levels p (even)
    std::uint32_t seed = 1;
};

/// The design's points in the unit cube, in point order. sobol: Saltelli's scheme on a scrambled
/// Sobol' sequence, N (k + 2) points grouped by row: A_j, B_j, then A_j with column i from B_j for
/// i = 1..k. morris: trajectories of k + 1 points.
std::vector<std::vector<double>> design_points(const DesignSpec& d,
                                               const std::vector<SweepParameter>& params);

/// The parameter's value at `u` in [0, 1]: its numeric value, and its text for a --set.
double parameter_value(const SweepParameter& p, double u);
std::string parameter_text(const SweepParameter& p, double u);

/// The `--set` assignments of the parameter at `u`: its path, then each linked path with the
/// value times its scale (rounded for integer parameters).
std::vector<std::string> parameter_sets(const SweepParameter& p, double u);

/// Every parameter's value at the point `u` in the units its path takes: parameter_value, and
/// for a member of a hierarchical prior, the team's value (not its z).
std::vector<double> point_values(const std::vector<SweepParameter>& params,
                                 const std::vector<double>& u);

/// The `--set` assignments of every parameter at the point `u` (one coordinate each), in order;
/// a parameter with an empty path sets nothing.
std::vector<std::string> point_sets(const std::vector<SweepParameter>& params,
                                    const std::vector<double>& u);

/// Standard normal quantile (inverse CDF, Boost.Math) of u in (0, 1); u outside [1e-12, 1 - 1e-12]
/// is clamped to it (|result| <= 7.03), a NaN throws InternalError.
double normal_quantile(double u);

}  // namespace kaisim::study
