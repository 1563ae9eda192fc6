// JSON Schemas of kaisim's input files, built from the loader's own checks and reads (traced
// while it loads a corpus of files; see schema_trace.hpp).
#include "kaisim/study_files/schema.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "../scenario/schema_trace.hpp"
#include "../scenario/yaml_reader.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/study_files/calibration_file.hpp"
#include "kaisim/study_files/optimisation_file.hpp"
#include "kaisim/study_files/sweep_file.hpp"

namespace kaisim::io {

namespace {

using Json = nlohmann::ordered_json;

// What the records say of one path.
struct PathInfo {
    std::set<std::string> kinds;          // map, any_map, seq and scalar kinds
    std::vector<std::string> keys;        // of a map, in the loader's order
    std::string what;                     // a map's name in the loader's messages
    int maps = 0;                         // times it was checked as a map
    std::map<std::string, int> required;  // key -> times it was required
    double lo = INFINITY, hi = -INFINITY;
    std::vector<std::string> names;  // of a choice
    std::optional<std::string> fallback;
    bool fallback_varies = false;  // computed per file (e.g. a name defaulting to the path)
};

// The path with the key below each free-form map (e.g. ids) replaced by "*".
std::string generalised(const std::string& path, const std::set<std::string>& any_maps) {
    std::string out;
    std::size_t at = 0;
    while (at < path.size()) {
        const std::size_t next = path.find('/', at + 1);
        const std::string part = path.substr(at, next == std::string::npos ? next : next - at);
        out += any_maps.count(out) && part != "/[]" ? "/*" : part;
        at = next == std::string::npos ? path.size() : next;
    }
    return out;
}

Json scalar_default(const std::string& kind, const std::string& text) {
    if (kind == "boolean") return text == "true";
    if (kind == "number" || kind == "integer") {
        const double v = std::stod(text);
        if (kind == "integer") return static_cast<long long>(v);
        return v;
    }
    return text;
}

// `s`, or nothing (YAML null).
Json or_null(Json s) {
    if (s.empty()) return s;  // anything goes already
    if (s.contains("type") && s["type"].is_string()) {
        s["type"] = Json::array({s["type"], "null"});
    } else if (s.contains("enum")) {
        s["enum"].push_back(nullptr);
    } else if (s.contains("anyOf")) {
        s["anyOf"].push_back(Json{{"type", "null"}});
    }
    return s;
}

class Builder {
  public:
    Builder(const std::vector<TraceRecord>& records, bool require) : require_(require) {
        std::set<std::string> any_maps;
        for (const TraceRecord& r : records)
            if (r.kind == "any_map") any_maps.insert(r.path);
        // Free-form maps inside free-form maps: generalise until nothing changes.
        for (bool changed = true; changed;) {
            changed = false;
            std::set<std::string> next;
            for (const std::string& p : any_maps) next.insert(generalised(p, any_maps));
            if (next != any_maps) any_maps = std::move(next), changed = true;
        }
        for (const TraceRecord& r : records) add(generalised(r.path, any_maps), r);
    }

    Json schema(const std::string& path) const {
        const auto found = info_.find(path);
        if (found == info_.end()) return Json::object();
        const PathInfo& p = found->second;
        std::vector<Json> options;
        for (const std::string& kind : p.kinds) {
            if (kind == "required") continue;
            Json s;
            if (kind == "map") {
                s["type"] = "object";
                if (!p.what.empty()) s["description"] = p.what;
                Json props = Json::object();
                Json req = Json::array();
                for (const std::string& k : p.keys) {
                    const auto r = p.required.find(k);
                    const bool required = r != p.required.end() && r->second == p.maps;
                    if (require_ && required) req.push_back(k);
                    // The loader takes an optional key left empty (null) as not given.
                    props[k] = required ? schema(path + "/" + k) : or_null(schema(path + "/" + k));
                }
                s["properties"] = props;
                s["additionalProperties"] = false;
                if (!req.empty()) s["required"] = req;
            } else if (kind == "any_map") {
                s["type"] = "object";
                if (!p.what.empty()) s["description"] = p.what;
                s["additionalProperties"] = schema(path + "/*");
            } else if (kind == "seq") {
                s["type"] = "array";
                s["items"] = schema(path + "/[]");
            } else if (kind == "number" || kind == "integer") {
                if (p.kinds.count("integer") && kind == "number") continue;  // integer is narrower
                s["type"] = kind;
                if (std::isfinite(p.lo)) s["minimum"] = p.lo;
                if (std::isfinite(p.hi) && p.hi < 1e300) s["maximum"] = p.hi;
            } else if (kind == "text") {
                if (p.kinds.count("choice") || p.kinds.count("date")) continue;
                s["type"] = "string";
            } else if (kind == "boolean") {
                s["type"] = "boolean";
            } else if (kind == "date") {
                s["type"] = "string";
                s["pattern"] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
            } else if (kind == "choice") {
                s["enum"] = p.names;
            }
            options.push_back(s);
        }
        Json out = options.empty()       ? Json::object()
                   : options.size() == 1 ? options.front()
                                         : Json{{"anyOf", options}};
        if (p.fallback && !p.fallback_varies && options.size() == 1 && !p.kinds.count("map")) {
            const std::string kind =
                p.kinds.count("integer")
                    ? "integer"
                    : *std::find_if(p.kinds.begin(), p.kinds.end(),
                                    [](const std::string& k) { return k != "required"; });
            try {
                out["default"] = scalar_default(kind, *p.fallback);
            } catch (const std::exception&) {
                // a default that is not a plain value of its type (e.g. a computed one): none
            }
        }
        return out;
    }

  private:
    void add(const std::string& path, const TraceRecord& r) {
        if (r.kind == "required") {
            const std::size_t slash = path.rfind('/');
            ++info_[path.substr(0, slash)].required[path.substr(slash + 1)];
            return;
        }
        PathInfo& p = info_[path];
        p.kinds.insert(r.kind);
        if (r.kind == "map") {
            ++p.maps;
            for (const std::string& k : r.names)
                if (std::find(p.keys.begin(), p.keys.end(), k) == p.keys.end()) p.keys.push_back(k);
        }
        if (!r.what.empty() && p.what.empty()) p.what = r.what;
        if (r.kind == "number" || r.kind == "integer") {
            p.lo = std::min(p.lo, r.lo);
            p.hi = std::max(p.hi, r.hi);
        }
        if (r.kind == "choice")
            for (const std::string& n : r.names)
                if (std::find(p.names.begin(), p.names.end(), n) == p.names.end())
                    p.names.push_back(n);
        if (r.fallback) {
            if (p.fallback && *p.fallback != *r.fallback) p.fallback_varies = true;
            if (!p.fallback) p.fallback = r.fallback;
        }
        // Items read one by one (without a list check) still make the path a list.
        if (path.size() > 3 && path.compare(path.size() - 3, 3, "/[]") == 0)
            info_[path.substr(0, path.size() - 3)].kinds.insert("seq");
    }

    bool require_;
    std::map<std::string, PathInfo> info_;
};

std::string schema_text(const std::vector<TraceRecord>& records, const std::string& id,
                        const std::string& title, bool require) {
    Json s = Builder(records, require).schema("");
    Json doc;
    doc["$schema"] = "https://json-schema.org/draft/2020-12/schema";
    doc["$id"] = id;
    doc["title"] = title;
    for (auto it = s.begin(); it != s.end(); ++it) doc[it.key()] = it.value();
    return doc.dump(2) + "\n";
}

}  // namespace

std::map<std::string, std::string> generate_schemas(const std::vector<std::string>& files) {
    std::map<std::string, std::vector<TraceRecord>> by_kind;  // scenario, sweep, ...
    for (const std::string& file : files) {
        const YAML::Node root = parse_yaml_file(file);
        SchemaTrace trace;
        std::string kind;
        std::vector<std::string> observations;
        if (root.IsMap() && root["sweep"]) {
            kind = "sweep";
            load_sweep(file);
        } else if (root.IsMap() && root["calibration"]) {
            kind = "calibration";
            observations = load_calibration(file).observations_files;
        } else if (root.IsMap() && root["search"]) {
            kind = "search";
            load_optimisation(file);
        } else if (root.IsMap() && root["programme"]) {
            kind = "scenario";
            load_scenario(file);
        } else {
            continue;  // an overlay: a part of a scenario, checked against the scenario's keys
        }
        for (const TraceRecord& r : trace.records) {
            if (r.file == file)
                by_kind[kind].push_back(r);
            else if (std::find(observations.begin(), observations.end(), r.file) !=
                     observations.end())
                by_kind["observations"].push_back(r);
        }
    }
    const std::string base = "https://kaisim.invalid/schema/";
    std::map<std::string, std::string> out;
    const auto add = [&](const std::string& kind, const std::string& name, const std::string& title,
                         bool require) {
        if (by_kind.count(kind))
            out[name] = schema_text(by_kind[kind], base + name, title, require);
    };
    add("scenario", "scenario.schema.json", "kaisim scenario", true);
    add("scenario", "overlay.schema.json", "kaisim overlay (any part of a scenario)", false);
    add("sweep", "sweep.schema.json", "kaisim sweep file", true);
    add("calibration", "calibration.schema.json", "kaisim calibration file", true);
    add("search", "search.schema.json", "kaisim search file (optimise)", true);
    add("observations", "observations.schema.json", "kaisim observations file", true);
    return out;
}

}  // namespace kaisim::io
