#include "kaisim/study/prim.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace kaisim::study {

namespace {

struct Data {
    const std::vector<std::vector<double>>& x;
    const std::vector<bool>& y;
    std::vector<double> min, max;  // per input, over all points
};

bool inside(const Data& d, std::size_t i, const std::vector<double>& lo,
            const std::vector<double>& hi) {
    for (std::size_t j = 0; j < lo.size(); ++j)
        if (d.x[i][j] < lo[j] || d.x[i][j] > hi[j]) return false;
    return true;
}

// The box's statistics over `active` points (those not yet covered by earlier boxes).
PrimBox measure(const Data& d, const std::vector<char>& active, std::size_t all_cases,
                std::vector<double> lo, std::vector<double> hi) {
    PrimBox b;
    std::size_t n = 0, cases = 0;
    for (std::size_t i = 0; i < d.x.size(); ++i)
        if (active[i] && inside(d, i, lo, hi)) {
            ++n;
            cases += d.y[i] ? 1 : 0;
        }
    b.points = n;
    b.coverage = all_cases ? static_cast<double>(cases) / static_cast<double>(all_cases) : 0.0;
    b.density = n ? static_cast<double>(cases) / static_cast<double>(n) : 0.0;
    b.mass = static_cast<double>(n) / static_cast<double>(d.x.size());
    b.restricted.resize(lo.size());
    for (std::size_t j = 0; j < lo.size(); ++j)
        b.restricted[j] = lo[j] > d.min[j] || hi[j] < d.max[j];
    b.lo = std::move(lo);
    b.hi = std::move(hi);
    return b;
}

// Values of input j of the active points inside the box, sorted.
std::vector<double> values_inside(const Data& d, const std::vector<char>& active, const PrimBox& b,
                                  std::size_t j) {
    std::vector<double> v;
    for (std::size_t i = 0; i < d.x.size(); ++i)
        if (active[i] && inside(d, i, b.lo, b.hi)) v.push_back(d.x[i][j]);
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

PrimResult prim(const std::vector<std::string>& inputs, const std::vector<std::vector<double>>& x,
                const std::vector<bool>& y, const PrimOptions& o) {
    if (x.empty() || x.size() != y.size() || inputs.empty())
        throw std::invalid_argument("PRIM needs points, one outcome per point, and inputs");
    const std::size_t k = inputs.size();
    Data d{x, y, std::vector<double>(k, std::numeric_limits<double>::infinity()),
           std::vector<double>(k, -std::numeric_limits<double>::infinity())};
    for (const auto& row : x) {
        if (row.size() != k) throw std::invalid_argument("PRIM: a point without every input");
        for (std::size_t j = 0; j < k; ++j) {
            d.min[j] = std::min(d.min[j], row[j]);
            d.max[j] = std::max(d.max[j], row[j]);
        }
    }
    PrimResult r;
    r.inputs = inputs;
    r.points = x.size();
    for (bool c : y) r.cases += c ? 1 : 0;
    std::vector<char> active(x.size(), 1);
    const std::size_t min_points = std::max<std::size_t>(
        1, static_cast<std::size_t>(o.min_mass * static_cast<double>(x.size())));
    for (std::size_t box = 0; box < o.max_boxes; ++box) {
        std::size_t left = 0, left_cases = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (active[i]) {
                ++left;
                left_cases += y[i] ? 1 : 0;
            }
        if (left_cases == 0 || left < min_points) break;
        const double base_density = static_cast<double>(left_cases) / static_cast<double>(left);
        // Peeling: each step removes the alpha share at one end of one input, the one that
        // leaves the densest box; ties go to the first input, the low end.
        std::vector<PrimBox> path{measure(d, active, r.cases, d.min, d.max)};
        r.trajectory.push_back({box, 0, "start", path.back()});
        for (std::size_t step = 1;; ++step) {
            const PrimBox& cur = path.back();
            PrimBox best;
            std::string best_move;
            bool found = false;
            for (std::size_t j = 0; j < k; ++j) {
                const std::vector<double> v = values_inside(d, active, cur, j);
                if (v.size() < 2) continue;
                const auto cut = static_cast<std::size_t>(o.alpha * static_cast<double>(v.size()));
                const std::size_t c = std::max<std::size_t>(1, cut);
                for (int side = 0; side < 2; ++side) {
                    std::vector<double> lo = cur.lo, hi = cur.hi;
                    // Remove the points at or beyond the alpha quantile (ties go together).
                    if (side == 0) {
                        const double q = v[c - 1];
                        const auto above = std::upper_bound(v.begin(), v.end(), q);
                        if (above == v.end()) continue;
                        lo[j] = *above;
                    } else {
                        const double q = v[v.size() - c];
                        const auto below = std::lower_bound(v.begin(), v.end(), q);
                        if (below == v.begin()) continue;
                        hi[j] = *(below - 1);
                    }
                    PrimBox b = measure(d, active, r.cases, lo, hi);
                    if (b.points < min_points) continue;
                    if (!found || b.density > best.density) {
                        best = std::move(b);
                        best_move = "peel " + inputs[j] + (side == 0 ? " low" : " high");
                        found = true;
                    }
                }
            }
            if (!found) break;
            path.push_back(best);
            r.trajectory.push_back({box, step, best_move, best});
        }
        // The chosen box: the highest coverage with density >= threshold, else the densest.
        std::size_t chosen = 0;
        bool meets = false;
        for (std::size_t s = 0; s < path.size(); ++s) {
            const bool ok = path[s].density >= o.threshold;
            if (ok && (!meets || path[s].coverage > path[chosen].coverage))
                chosen = s, meets = true;
            if (!meets && path[s].density > path[chosen].density) chosen = s;
        }
        PrimBox b = path[chosen];
        // Pasting: widen one bound at a time to take back the alpha share of the points just
        // outside it, while that raises the density.
        for (std::size_t step = 0;; ++step) {
            PrimBox best = b;
            std::string best_move;
            for (std::size_t j = 0; j < k; ++j)
                for (int side = 0; side < 2; ++side) {
                    std::vector<double> outside;
                    for (std::size_t i = 0; i < x.size(); ++i) {
                        if (!active[i]) continue;
                        bool in_others = true;
                        for (std::size_t m = 0; m < k && in_others; ++m)
                            if (m != j && (x[i][m] < b.lo[m] || x[i][m] > b.hi[m]))
                                in_others = false;
                        if (!in_others) continue;
                        if (side == 0 && x[i][j] < b.lo[j]) outside.push_back(x[i][j]);
                        if (side == 1 && x[i][j] > b.hi[j]) outside.push_back(x[i][j]);
                    }
                    if (outside.empty()) continue;
                    std::sort(outside.begin(), outside.end());
                    const std::size_t take = std::max<std::size_t>(
                        1, static_cast<std::size_t>(o.alpha * static_cast<double>(b.points)));
                    std::vector<double> lo = b.lo, hi = b.hi;
                    if (side == 0)
                        lo[j] = outside[outside.size() - std::min(take, outside.size())];
                    else
                        hi[j] = outside[std::min(take, outside.size()) - 1];
                    PrimBox p = measure(d, active, r.cases, lo, hi);
                    if (p.density > best.density) {
                        best = std::move(p);
                        best_move = "paste " + inputs[j] + (side == 0 ? " low" : " high");
                    }
                }
            if (best_move.empty()) break;
            b = std::move(best);
            r.trajectory.push_back({box, path.size() + step, best_move, b});
        }
        // No better than the points left (or no peel at all): no box.
        if (chosen == 0 || !(b.density > base_density)) break;
        r.boxes.push_back(b);
        for (std::size_t i = 0; i < x.size(); ++i)
            if (active[i] && inside(d, i, b.lo, b.hi)) active[i] = 0;
    }
    return r;
}

}  // namespace kaisim::study
