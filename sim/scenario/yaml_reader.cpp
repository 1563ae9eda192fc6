#include "yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "kaisim/core/closest_match.hpp"
#include "kaisim/core/error.hpp"
#include "kaisim/core/set_kinds.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "schema_trace.hpp"

namespace kaisim::io {

namespace {
std::string scalar_text(const YAML::Node& n) {
    return n.IsScalar() ? n.Scalar() : std::string();
}

std::string kind_name(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: return "a map";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Null: return "nothing";
        case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
        default: return "an undefined value";
    }
}
}  // namespace

namespace {
// Where a document's first event is; nothing else of it is kept.
struct DocumentProbe : YAML::EventHandler {
    YAML::Mark start = YAML::Mark::null_mark();
    bool seen = false;
    void at(const YAML::Mark& m) {
        if (!seen) start = m;
        seen = true;
    }
    void OnDocumentStart(const YAML::Mark& m) override { at(m); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t) override { at(m); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { at(m); }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  const std::string&) override {
        at(m);
    }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        at(m);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        at(m);
    }
    void OnMapEnd() override {}
};

// Counts nodes as a reader would visit them (an alias once per use); false past `budget`.
bool within(const YAML::Node& n, std::size_t& budget) {
    if (budget == 0) return false;
    --budget;
    if (n.IsMap()) {
        for (auto it = n.begin(); it != n.end(); ++it)
            if (!within(it->first, budget) || !within(it->second, budget)) return false;
    } else if (n.IsSequence()) {
        for (const auto& child : n)
            if (!within(child, budget)) return false;
    }
    return true;
}
}  // namespace

YAML::Node parse_yaml_file(const std::string& path) {
    const std::string text = read_input_file(path);
    YAML::Node root;
    try {
        root = YAML::Load(text);
        // yaml-cpp recovers from a line indented less than the document's first (or a stray
        // flow token at the top) by starting a new document there, where PyYAML refuses the
        // file; YAML::Load returns the first, and the rest of the file would be dropped
        // silently. So a file holds exactly one document. (YAML::LoadAll is no help: on some
        // such inputs it returns the same empty document forever.)
        // The probe parses the file a second time: a sweep or calibration loads the same few
        // files again and again, so the texts already found whole are remembered per thread.
        thread_local std::vector<std::string> whole;  // the last few, newest last
        if (std::find(whole.begin(), whole.end(), text) == whole.end()) {
            std::istringstream in(text);
            YAML::Parser parser(in);
            DocumentProbe first, second;
            parser.HandleNextDocument(first);
            if (parser.HandleNextDocument(second))
                throw InputError(path, std::max(second.start.line + 1, 1),
                                 std::max(second.start.column + 1, 1),
                                 "YAML: the document ends before this line (it is indented less "
                                 "than the file's first line, or a '---' starts a second "
                                 "document): kaisim reads one document per file");
            if (text.size() <= (std::size_t{1} << 20)) {  // assumption: 8 of 1 MiB at most
                if (whole.size() == 8) whole.erase(whole.begin());
                whole.push_back(text);
            }
        }
    } catch (const YAML::Exception& e) {
        throw InputError(path, e.mark.line + 1, e.mark.column + 1, "YAML syntax: " + e.msg);
    }
    check_yaml_size(root, path);
    if (SchemaTrace* t = SchemaTrace::active()) t->add_root(path, root);
    return root;
}

void check_yaml_size(const YAML::Node& node, const std::string& where) {
    std::size_t budget = max_yaml_nodes;
    if (!within(node, budget))
        throw InputError(where, 1, 1,
                         "expands to more than " + std::to_string(max_yaml_nodes) +
                             " YAML nodes (aliases used over and over?)");
}

namespace {
constexpr double lowest = -std::numeric_limits<double>::infinity();
constexpr double highest = std::numeric_limits<double>::infinity();

TraceRecord record_of(std::string kind, std::vector<std::string> names = {}, std::string what = {},
                      double lo = lowest, double hi = highest,
                      std::optional<std::string> fallback = std::nullopt) {
    TraceRecord r;
    r.kind = std::move(kind);
    r.names = std::move(names);
    r.what = std::move(what);
    r.lo = lo;
    r.hi = hi;
    r.fallback = std::move(fallback);
    return r;
}

// Records a check or read when a schema trace is active (kaisim schema).
// `make` builds the record only when a trace is active (loading is on every sweep point's path).
template <class Make>
void trace(const std::string& file, const YAML::Node& node, Make&& make) {
    if (SchemaTrace* t = SchemaTrace::active()) t->record(file, node, make());
}
template <class Make>
void trace_key(const std::string& file, const YAML::Node& map, const char* key, Make&& make) {
    if (SchemaTrace* t = SchemaTrace::active()) t->record_key(file, map, key, make());
}
std::string yaml_number(double v) {
    std::ostringstream o;
    o.imbue(std::locale::classic());
    o.precision(17);
    o << v;
    return o.str();
}
}  // namespace

void YamlReader::attribute(const YAML::Node& node, const std::string& source) {
    sources_.push_back(source);
    attribute_to(node, sources_.size() - 1);
}

void YamlReader::attribute_to(const YAML::Node& node, std::size_t source) {
    foreign_.emplace_back(node, source);
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            foreign_.emplace_back(it->first, source);
            attribute_to(it->second, source);
        }
    } else if (node.IsSequence()) {
        for (const auto& child : node) attribute_to(child, source);
    }
}

void YamlReader::fail(const YAML::Node& node, const std::string& message) const {
    std::string file = file_;
    for (const auto& [n, source] : foreign_)
        if (n.is(node)) file = sources_[source];
    const YAML::Mark m = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
    if (m.is_null()) throw InputError(file, 1, 1, message);
    throw InputError(file, m.line + 1, m.column + 1, message);
}

void YamlReader::check_set_kind(const YAML::Node& n, bool whole) const {
    const core::SetKinds* kinds = core::SetKinds::active();
    if (!kinds) return;
    for (const auto& [node, source] : foreign_) {
        if (!node.is(n) || sources_[source].rfind("--set ", 0) != 0) continue;
        const std::optional<core::SetKind> k = kinds->kind(sources_[source].substr(6));
        if (!k) continue;
        if (!whole)
            fail(n,
                 "this field takes text: a numeric parameter cannot set it (a choice "
                 "parameter can)");
        if (*k == core::SetKind::continuous)
            fail(n,
                 "this field takes whole numbers: a continuous parameter cannot set it (use "
                 "distribution: integer)");
    }
}

void YamlReader::expect_map(const YAML::Node& node, std::string_view what,
                            std::initializer_list<std::string_view> keys) const {
    if (!node.IsMap()) fail(node, std::string(what) + " must be a map, got " + kind_name(node));
    std::set<std::string> seen;
    const std::vector<std::string> allowed(keys.begin(), keys.end());
    trace(file_, node, [&] { return record_of("map", allowed, std::string(what)); });
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = scalar_text(it->first);
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string msg = "unknown key '" + key + "' in " + std::string(what);
            const std::string near = core::closest_match(key, allowed);
            if (!near.empty()) msg += " (did you mean '" + near + "'?)";
            fail(it->first, msg);
        }
        if (!seen.insert(key).second)
            fail(it->first, "duplicate key '" + key + "' in " + std::string(what));
    }
}

void YamlReader::expect_any_map(const YAML::Node& node, std::string_view what) const {
    if (!node.IsMap()) fail(node, std::string(what) + " must be a map, got " + kind_name(node));
    trace(file_, node, [&] { return record_of("any_map", {}, std::string(what)); });
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it)
        if (!seen.insert(scalar_text(it->first)).second)
            fail(it->first,
                 "duplicate key '" + scalar_text(it->first) + "' in " + std::string(what));
}

void YamlReader::expect_seq(const YAML::Node& node, std::string_view what) const {
    if (!node.IsSequence())
        fail(node, std::string(what) + " must be a list, got " + kind_name(node));
    trace(file_, node, [&] { return record_of("seq", {}, std::string(what)); });
}

YAML::Node YamlReader::required(const YAML::Node& map, const char* key,
                                std::string_view what) const {
    const YAML::Node v = map[key];
    if (!v.IsDefined() || v.IsNull())
        fail(map, "missing required key '" + std::string(key) + "' in " + std::string(what));
    trace_key(file_, map, key, [&] { return record_of("required"); });
    return v;
}

double YamlReader::number(const YAML::Node& n, double lo, double hi) const {
    trace(file_, n, [&] { return record_of("number", {}, {}, lo, hi); });
    return number_in(n, lo, hi);
}

double YamlReader::number_in(const YAML::Node& n, double lo, double hi) const {
    double v = 0;
    bool ok = n.IsScalar();
    if (ok) {
        std::istringstream in(n.Scalar());
        in.imbue(std::locale::classic());
        in >> v;
        ok = !in.fail() && in.peek() == std::char_traits<char>::eof() && std::isfinite(v);
    }
    if (!ok) fail(n, "expected a number, got " + kind_name(n));
    if (v < lo || v > hi) {
        std::ostringstream msg;
        msg << "value " << n.Scalar() << " is out of range: expected ";
        if (hi == std::numeric_limits<double>::max())
            msg << ">= " << lo;
        else
            msg << "between " << lo << " and " << hi;
        fail(n, msg.str());
    }
    return v;
}

double YamlReader::number(const YAML::Node& map, const char* key, double fallback, double lo,
                          double hi) const {
    trace_key(file_, map, key,
              [&] { return record_of("number", {}, {}, lo, hi, yaml_number(fallback)); });
    const YAML::Node n = map[key];
    return n.IsDefined() && !n.IsNull() ? number(n, lo, hi) : fallback;
}

long long YamlReader::integer(const YAML::Node& n, long long lo, long long hi) const {
    trace(file_, n, [&] {
        return record_of("integer", {}, {}, static_cast<double>(lo), static_cast<double>(hi));
    });
    check_set_kind(n, true);
    const double v = number_in(n, static_cast<double>(lo), static_cast<double>(hi));
    if (v != std::floor(v)) fail(n, "expected a whole number, got " + kind_name(n));
    return static_cast<long long>(v);
}

long long YamlReader::integer(const YAML::Node& map, const char* key, long long fallback,
                              long long lo, long long hi) const {
    trace_key(file_, map, key, [&] {
        return record_of("integer", {}, {}, static_cast<double>(lo), static_cast<double>(hi),
                         std::to_string(fallback));
    });
    const YAML::Node n = map[key];
    return n.IsDefined() && !n.IsNull() ? integer(n, lo, hi) : fallback;
}

std::string YamlReader::text(const YAML::Node& n) const {
    if (!n.IsScalar()) fail(n, "expected text, got " + kind_name(n));
    check_set_kind(n, false);
    trace(file_, n, [&] { return record_of("text"); });
    return n.Scalar();
}

std::string YamlReader::text(const YAML::Node& map, const char* key,
                             const std::string& fallback) const {
    trace_key(file_, map, key,
              [&] { return record_of("text", {}, {}, lowest, highest, fallback); });
    const YAML::Node n = map[key];
    return n.IsDefined() && !n.IsNull() ? text(n) : fallback;
}

bool YamlReader::boolean(const YAML::Node& map, const char* key, bool fallback) const {
    trace_key(file_, map, key, [&] {
        return record_of("boolean", {}, {}, lowest, highest, fallback ? "true" : "false");
    });
    const YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) return fallback;
    const std::string s = n.IsScalar() ? n.Scalar() : "";
    if (s == "true") return true;
    if (s == "false") return false;
    fail(n, "expected true or false, got " + kind_name(n));
}

core::Date YamlReader::date(const YAML::Node& n) const {
    trace(file_, n, [&] { return record_of("date"); });
    const auto d = n.IsScalar() ? core::parse_date(n.Scalar()) : std::nullopt;
    if (!d) fail(n, "expected a date YYYY-MM-DD, got " + kind_name(n));
    return *d;
}

int YamlReader::choice(const YAML::Node& n, const std::vector<std::string>& names) const {
    trace(file_, n, [&] { return record_of("choice", names); });
    const std::string s = n.IsScalar() ? n.Scalar() : "";
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == s) return static_cast<int>(i);
    std::string msg = "unknown value " + kind_name(n) + ": expected one of";
    for (std::size_t i = 0; i < names.size(); ++i) msg += (i ? ", " : " ") + names[i];
    const std::string near = core::closest_match(s, names);
    if (!near.empty()) msg += " (did you mean '" + near + "'?)";
    fail(n, msg);
}

int YamlReader::choice(const YAML::Node& map, const char* key, int fallback,
                       const std::vector<std::string>& names) const {
    trace_key(file_, map, key, [&] {
        TraceRecord r = record_of("choice", names);
        if (fallback >= 0 && static_cast<std::size_t>(fallback) < names.size())
            r.fallback = names[static_cast<std::size_t>(fallback)];
        return r;
    });
    const YAML::Node n = map[key];
    return n.IsDefined() && !n.IsNull() ? choice(n, names) : fallback;
}

}  // namespace kaisim::io
