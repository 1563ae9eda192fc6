// Schema tracing: node paths of parsed files and the reader's records (see schema_trace.hpp).
#include "schema_trace.hpp"

#include <utility>

namespace kaisim::io {

namespace {
thread_local SchemaTrace* active_trace = nullptr;
}  // namespace

SchemaTrace::SchemaTrace() {
    active_trace = this;
}

SchemaTrace::~SchemaTrace() {
    active_trace = nullptr;
}

SchemaTrace* SchemaTrace::active() {
    return active_trace;
}

void SchemaTrace::add_root(const std::string& file, const YAML::Node& root) {
    std::vector<std::pair<YAML::Node, std::string>> todo{{root, ""}};
    while (!todo.empty()) {
        auto [node, path] = todo.back();
        todo.pop_back();
        nodes_.emplace_back(file, node, path);
        if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it)
                if (it->first.IsScalar())
                    todo.emplace_back(it->second, path + "/" + it->first.Scalar());
        } else if (node.IsSequence()) {
            for (const YAML::Node& child : node) todo.emplace_back(child, path + "/[]");
        }
    }
}

const std::string* SchemaTrace::path_of(const std::string& file, const YAML::Node& node) const {
    for (const auto& [f, n, path] : nodes_)
        if (f == file && n.is(node)) return &path;
    return nullptr;
}

void SchemaTrace::record(const std::string& file, const YAML::Node& node, TraceRecord r) {
    if (const std::string* path = path_of(file, node)) {
        r.file = file;
        r.path = *path;
        records.push_back(std::move(r));
    }
}

void SchemaTrace::record_key(const std::string& file, const YAML::Node& map, const char* key,
                             TraceRecord r) {
    if (const std::string* path = path_of(file, map)) {
        r.file = file;
        r.path = *path + "/" + key;
        records.push_back(std::move(r));
    }
}

}  // namespace kaisim::io
