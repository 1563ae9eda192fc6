#include "yaml_edit.hpp"

#include <algorithm>
#include <cctype>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/scenario_loader.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "yaml_reader.hpp"

namespace kaisim::io {

namespace {
bool is_id_list(const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0) return false;
    for (const auto& e : n)
        if (!e.IsMap() || !e["id"] || !e["id"].IsScalar()) return false;
    return true;
}

// A --set path as segments: a name, and the list element's id when it has one ("" if none);
// false when a segment selects a list element by index.
bool split_path(const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
    std::size_t at = 0;
    while (at < path.size()) {
        const std::size_t dot = path.find('.', at);
        std::string seg = path.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        std::string id;
        if (const std::size_t b = seg.find('['); b != std::string::npos) {
            id = seg.substr(b + 1, seg.size() - b - 2);
            seg = seg.substr(0, b);
            if (!id.empty() && std::isdigit(static_cast<unsigned char>(id.front()))) return false;
        }
        out.emplace_back(seg, id);
        if (dot == std::string::npos) break;
        at = dot + 1;
    }
    return true;
}

// Sets `value` at the path inside `node`, creating maps and id-keyed list elements.
void set_path(YAML::Node node, const std::vector<std::pair<std::string, std::string>>& segs,
              const std::string& value) {
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto& [name, id] = segs[i];
        const bool last = i + 1 == segs.size();
        if (id.empty()) {
            if (last) {
                node[name] = YAML::Load(value);
                return;
            }
            YAML::Node child = node[name];
            if (!child.IsMap()) node[name] = YAML::Node(YAML::NodeType::Map);
            node.reset(node[name]);
            continue;
        }
        if (!node[name].IsSequence()) node[name] = YAML::Node(YAML::NodeType::Sequence);
        YAML::Node list = node[name];
        YAML::Node element;
        for (std::size_t k = 0; k < list.size(); ++k)
            if (list[k]["id"].as<std::string>() == id) element.reset(list[k]);
        if (!element.IsDefined() || element.IsNull()) {
            YAML::Node fresh(YAML::NodeType::Map);
            fresh["id"] = id;
            list.push_back(fresh);
            element.reset(list[list.size() - 1]);
        }
        if (last) return;  // a whole element cannot be a parameter
        node.reset(element);
    }
}
}  // namespace

void merge_overlay(YAML::Node base, const YAML::Node& over, const NodeFailure& fail) {
    if (!over.IsMap()) fail(over, "an overlay must be a map of scenario sections");
    std::vector<std::string> seen;  // an overlay's keys are unique, as a scenario's are
    for (auto it = over.begin(); it != over.end(); ++it) {
        if (!it->first.IsScalar()) fail(it->first, "an overlay's keys must be names");
        const std::string key = it->first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            fail(it->first, "duplicate key '" + key + "'");
        seen.push_back(key);
        const YAML::Node value = it->second;
        // Probe through a const view: a non-const operator[] would leave an undefined entry.
        const YAML::Node& view = base;
        if (!view[key].IsDefined()) {
            // Insert the overlay's own key node, so errors about the key point into the overlay.
            base.force_insert(it->first, value);
            continue;
        }
        YAML::Node target = base[key];
        if (target.IsMap() && value.IsMap()) {
            merge_overlay(target, value, fail);
        } else if (is_id_list(target) && is_id_list(value)) {
            for (const auto& elem : value) {
                bool merged = false;
                for (auto existing : target) {
                    if (existing["id"].Scalar() == elem["id"].Scalar()) {
                        merge_overlay(existing, elem, fail);
                        merged = true;
                        break;
                    }
                }
                if (!merged) target.push_back(elem);
            }
        } else {
            base[key] = value;
        }
    }
}

SetResult apply_set(YAML::Node root, const std::string& assignment) {
    const std::string where = "--set " + assignment;
    if (const auto bad = invalid_utf8_at(assignment))
        throw InputError(where, 1, bad->second, "not valid UTF-8");
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InputError(where, 1, 1, "expected PATH=VALUE, e.g. stages[2].cut.keep=3");
    const std::string path = assignment.substr(0, eq);
    YAML::Node value;
    try {
        value = YAML::Load(assignment.substr(eq + 1));
    } catch (const YAML::ParserException& e) {
        throw InputError(where, 1, static_cast<int>(eq) + 2 + e.mark.column,
                         "YAML syntax: " + e.msg);
    }
    check_yaml_size(value, where);
    // Walk the path: names separated by '.', list elements as [index] or [id].
    YAML::Node node = root;
    std::size_t i = 0;
    while (i < path.size()) {
        const std::size_t start = i;
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string::npos)
                throw InputError(where, 1, static_cast<int>(i) + 1, "unclosed '[' in the path");
            const std::string sel = path.substr(i + 1, close - i - 1);
            if (!node.IsSequence())
                throw InputError(where, 1, static_cast<int>(i) + 1,
                                 "'[" + sel + "]' applied to something that is not a list");
            YAML::Node next;
            const bool numeric = !sel.empty() && std::all_of(sel.begin(), sel.end(), ::isdigit);
            if (numeric) {
                // More digits than any list can have are past its end too (no stoul overflow).
                const std::size_t k = sel.size() > 9 ? node.size() : std::stoul(sel);
                if (k >= node.size())
                    throw InputError(where, 1, static_cast<int>(i) + 2,
                                     "index " + sel + " is past the end of a list of " +
                                         std::to_string(node.size()));
                next.reset(node[k]);
            } else {
                bool found = false;
                std::string ids;
                for (auto e : node) {
                    if (!e.IsMap() || !e["id"] || !e["id"].IsScalar()) continue;
                    ids += (ids.empty() ? "" : ", ") + e["id"].Scalar();
                    if (e["id"].Scalar() == sel) {
                        next.reset(e);
                        found = true;
                    }
                }
                if (!found)
                    throw InputError(where, 1, static_cast<int>(i) + 2,
                                     "no element with id '" + sel + "'" +
                                         (ids.empty() ? std::string(" (the list has no ids)")
                                                      : " (ids: " + ids + ")"));
            }
            i = close + 1;
            if (i < path.size() && path[i] == '.') ++i;
            if (i >= path.size()) {
                if (!numeric)
                    throw InputError(where, 1, static_cast<int>(start) + 1,
                                     "replace a whole list element by index, not by id");
                node[std::stoul(sel)] = value;
                return {value, {}};
            }
            node.reset(next);
            continue;
        }
        std::size_t end = i;
        while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
        const std::string key = path.substr(i, end - i);
        if (key.empty())
            throw InputError(where, 1, static_cast<int>(i) + 1, "empty name in the path");
        if (!node.IsMap() && !node.IsNull())
            throw InputError(where, 1, static_cast<int>(i) + 1,
                             "'" + key + "' applied to something that is not a map");
        i = end < path.size() && path[end] == '.' ? end + 1 : end;
        if (end >= path.size()) {
            const YAML::Node& view = node;  // a non-const operator[] would add the key
            const bool added = !view[key].IsDefined();
            node[key] = value;
            SetResult r{value, {}};
            if (added)
                for (auto it = node.begin(); it != node.end(); ++it)
                    if (it->first.IsScalar() && it->first.Scalar() == key)
                        r.new_keys.push_back(it->first);
            return r;
        }
        YAML::Node next = node[key];
        if (!next.IsDefined())
            throw InputError(where, 1, static_cast<int>(start) + 1,
                             "no key '" + key + "' to descend into");
        node.reset(next);
    }
    throw InputError(where, 1, 1, "empty path");
}

// The other way round (scenario_loader.hpp): assignments written as an overlay.
std::string overlay_yaml(const std::vector<std::string>& sets) {
    YAML::Node overlay(YAML::NodeType::Map);
    std::string comments;
    for (const std::string& set : sets) {
        const std::size_t eq = set.find('=');
        std::vector<std::pair<std::string, std::string>> segs;
        if (split_path(set.substr(0, eq), segs))
            set_path(overlay, segs, set.substr(eq + 1));
        else
            comments += "# --set " + set + "   (a list index: not expressible as an overlay)\n";
    }
    YAML::Emitter e;
    e << overlay;
    return comments + e.c_str() + "\n";
}

}  // namespace kaisim::io
