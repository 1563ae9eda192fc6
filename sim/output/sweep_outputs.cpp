#include "kaisim/output/sweep_outputs.hpp"

#include <cstdio>

#include "kaisim/output/run_outputs.hpp"

namespace kaisim::io {

std::string sensitivity_csv(const study::SweepOutcome& o) {
    const std::vector<std::string> h{"metric", "parameter", "method", "index", "value", "lo", "hi"};
    std::string out = csv_line(h);
    for (const study::SensitivityIndex& s : o.indices) {
        std::vector<CsvCell> f{s.metric, s.parameter, s.method, s.index, s.value};
        if (s.has_interval) {
            f.emplace_back(s.lo);
            f.emplace_back(s.hi);
        } else {
            f.emplace_back("");
            f.emplace_back("");
        }
        out += csv_row("sensitivity.csv", h,
                       "metric " + s.metric + ", parameter " + s.parameter + ", " + s.index, f);
    }
    // What the indices divide, and the levers that moved nothing (the report reads both).
    for (const study::MetricVariance& v : o.variances)
        out += csv_row("sensitivity.csv", h, "metric " + v.metric + ", variance",
                       {v.metric, "", "sobol", "variance", v.variance, "", ""});
    const std::string method = o.indices.empty() ? "" : o.indices.front().method;
    for (const std::string& p : o.inert)
        out += csv_row("sensitivity.csv", h, "parameter " + p + ", inert",
                       {"", p, method, "inert", 1.0, "", ""});
    return out;
}

namespace {
const study::SensitivityIndex* find(const study::SweepOutcome& o, const std::string& metric,
                                    const std::string& parameter, const char* index) {
    for (const study::SensitivityIndex& s : o.indices)
        if (s.metric == metric && s.parameter == parameter && s.index == index) return &s;
    return nullptr;
}
}  // namespace

std::string sensitivity_table(const study::SweepOutcome& o) {
    std::string t;
    for (const std::string& p : o.inert)
        t += "warning: parameter '" + p +
             "' is inert: over its whole range no metric changed (does its path set what its "
             "name says?)\n";
    char buf[256];
    for (const std::string& m : o.metrics) {
        if (o.parameters.empty()) break;
        const study::SensitivityIndex* first = find(o, m, o.parameters.front(), "S1");
        const study::SensitivityIndex* effect = find(o, m, o.parameters.front(), "mu_star");
        if (first) {
            for (const study::MetricVariance& v : o.variances)
                if (v.metric == m) t += m + "  (variance " + format_number(v.variance) + ")\n";
            for (const std::string& p : o.parameters) {
                const study::SensitivityIndex &s1 = *find(o, m, p, "S1"),
                                              &st = *find(o, m, p, "ST");
                std::snprintf(buf, sizeof buf,
                              "  %-28s S1 %7.3f [%6.3f, %6.3f]   ST %7.3f [%6.3f, %6.3f]\n",
                              p.c_str(), s1.value, s1.lo, s1.hi, st.value, st.lo, st.hi);
                t += buf;
            }
        } else if (effect) {
            t += m + "\n";
            for (const std::string& p : o.parameters) {
                std::snprintf(buf, sizeof buf, "  %-28s mu* %10.4g   mu %10.4g   sigma %10.4g\n",
                              p.c_str(), find(o, m, p, "mu_star")->value,
                              find(o, m, p, "mu")->value, find(o, m, p, "sigma")->value);
                t += buf;
            }
        }
    }
    return t;
}

}  // namespace kaisim::io
