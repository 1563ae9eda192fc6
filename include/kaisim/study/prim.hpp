#pragma once
// Scenario discovery by PRIM, the patient rule induction method (Friedman and Fisher 1999,
// "Bump hunting in high-dimensional data", Statistics and Computing 9:123-143), as scenario
// discovery uses it (Bryant and Lempert 2010, Technological Forecasting and Social Change 77):
// find boxes of the input space where an outcome of interest holds, trading coverage (the share
// of all cases of interest inside the box) against density (the share of the box's points that
// are cases of interest).
#include <cstddef>
#include <string>
#include <vector>

namespace kaisim::study {

struct PrimOptions {
    /// Share of the box's points removed by one peel. 0.05 is Friedman and Fisher's suggestion
    /// (patient: small steps).
    double alpha = 0.05;
    /// Peeling stops before the box holds fewer than this share of all points (assumption: 5%,
    /// EMA Workbench's default mass_min).
    double min_mass = 0.05;
    /// The box chosen from a peeling trajectory: the one of highest coverage whose density
    /// reaches this (assumption: 0.8, EMA Workbench's default threshold); the densest when none
    /// does.
    double threshold = 0.8;
    /// Boxes found one after another, each on the points outside the earlier ones (covering);
    /// a box whose density is below the share of cases among the points left ends the search.
    std::size_t max_boxes = 2;
};

/// One box: bounds per input (lo == the data's minimum and hi == its maximum: unrestricted).
struct PrimBox {
    std::vector<double> lo, hi;
    // Points and cases are those not covered by earlier boxes (the first box: all of them).
    std::size_t points = 0;        ///< inside the box
    double coverage = 0;           ///< cases inside / all cases of the data
    double density = 0;            ///< cases inside / points inside
    double mass = 0;               ///< points inside / all points of the data
    std::vector<bool> restricted;  ///< per input: a bound tighter than the data's range
};

/// One step of a peeling (or pasting) trajectory.
struct PrimStep {
    std::size_t box = 0;  ///< which box of the covering search
    std::size_t step = 0;
    std::string move;  ///< "start", "peel x_j low", "paste x_j high", ...
    PrimBox state;
};

struct PrimResult {
    std::vector<std::string> inputs;
    std::size_t cases = 0, points = 0;
    std::vector<PrimStep> trajectory;
    std::vector<PrimBox> boxes;  ///< the chosen boxes, pasted
};

/// Runs PRIM on points `x` (one row per point, one column per input named `inputs`) and the
/// outcome `y` (true: a case of interest). Throws std::invalid_argument on empty or ragged data.
PrimResult prim(const std::vector<std::string>& inputs, const std::vector<std::vector<double>>& x,
                const std::vector<bool>& y, const PrimOptions& options = {});

}  // namespace kaisim::study
