#include "kaisim/report/report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "kaisim/core/error.hpp"
#include "kaisim/core/version.hpp"
#include "kaisim/output/atomic_output.hpp"
#include "kaisim/scenario/text_file.hpp"
#include "report_charts.hpp"

namespace kaisim::io {

namespace {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string escape_html(const std::string& s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}

// JSON inlined in a <script> element must not close it early: "</" becomes the equivalent "<\/".
std::string json_script_safe(std::string s) {
    for (std::size_t at = 0; (at = s.find("</", at)) != std::string::npos; at += 3)
        s.replace(at, 2, "<\\/");
    return s;
}

// JavaScript inlined in a <script> element: only a literal "</script" would close it.
std::string js_script_safe(std::string s) {
    for (std::size_t at = 0; (at = s.find("</script", at)) != std::string::npos; at += 9)
        s.replace(at, 8, "<\\/script");
    return s;
}

// The folder's manifest, with every file it lists (but derived ones, e.g. report.html) present
// and as written; an InputError located at the manifest otherwise.
OutputManifest verified_manifest(const std::string& dir) {
    const std::string at = (fs::path(dir) / manifest_name).string();
    const auto refuse = [&](const std::string& why) -> InputError {
        return InputError(at, 1, 1, why);
    };
    std::optional<OutputManifest> m;
    try {
        m = read_manifest(dir);
    } catch (const std::runtime_error& e) {
        throw refuse(e.what());
    }
    if (!m)
        throw refuse(dir + " holds no kaisim outputs: it has no " + manifest_name +
                     ", the manifest that kaisim run, compare and sweep write last (an "
                     "interrupted run leaves none, and older versions wrote none): run again");
    for (const ManifestFile& f : m->files) {
        if (f.derived) continue;
        const std::string path = (fs::path(dir) / f.name).string();
        const auto d = file_digest(path);
        if (!d)
            throw refuse(path +
                         " is missing or unreadable: the folder does not hold the output "
                         "set its manifest lists (run " +
                         m->run_id + "): run again");
        if (d->first != f.bytes || d->second != f.fnv1a64)
            throw refuse(path + " differs from the manifest of run " + m->run_id + " (" +
                         std::to_string(d->first) + " bytes, listed " + std::to_string(f.bytes) +
                         (d->first == f.bytes ? ", other content" : "") +
                         "): it was changed or replaced after kaisim wrote it; run again");
    }
    return *m;
}

}  // namespace

namespace {
std::string& assets_override() {
    static std::string dir;
    return dir;
}
}  // namespace

void set_report_assets_dir(const std::string& dir) {
    assets_override() = dir;
}

std::string report_assets_dir() {
    if (const char* env = std::getenv("KAISIM_REPORT_DIR")) return env;
    if (!assets_override().empty()) return assets_override();
    // Installed: PREFIX/bin/kaisim finds PREFIX/share/kaisim/reports; in a build folder,
    // BUILD/kaisim finds BUILD/share/kaisim/reports (a link CMake makes to the sources').
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path bin = exe.parent_path();
        for (const fs::path& dir :
             {bin / ".." / "share" / "kaisim" / "reports", bin / "share" / "kaisim" / "reports"})
            if (fs::exists(dir / "specs", ec)) return fs::weakly_canonical(dir, ec).string();
    }
    // Not found: the installed place, which the error about missing libraries then names.
    return ec ? std::string("share/kaisim/reports")
              : fs::weakly_canonical(exe.parent_path() / ".." / "share" / "kaisim" / "reports", ec)
                    .string();
}

std::string build_report(const std::string& dir_text) {
    const fs::path dir(dir_text);
    const OutputManifest manifest = verified_manifest(dir_text);
    std::vector<Chart> charts;
    std::string kind;
    std::vector<std::string> notes;
    try {
        charts = folder_charts(dir, manifest, kind, notes);
    } catch (const std::out_of_range& e) {  // a column or key the files should have is missing
        throw std::runtime_error(
            dir_text + ": the output files are incomplete or from another kaisim version (" +
            e.what() + ")");
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(dir_text + ": an output file is not valid (" + e.what() + ")");
    }
    const fs::path assets(report_assets_dir());
    const fs::path libs[] = {assets / "node_modules/vega/build/vega.min.js",
                             assets / "node_modules/vega-lite/build/vega-lite.min.js",
                             assets / "node_modules/vega-embed/build/vega-embed.min.js"};
    for (const fs::path& lib : libs)
        if (!fs::exists(lib))
            throw std::runtime_error("the chart libraries are not installed (" + lib.string() +
                                     " is missing): run scripts/setup.sh, or npm ci in reports/");
    std::ostringstream html;
    html
        << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<title>kaisim report: " << escape_html(dir_text) << "</title>\n<style>\n"
        << "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK "
           "KR','Apple SD Gothic Neo','Malgun Gothic','NanumGothic',sans-serif;"
           "margin:2em auto;max-width:980px;color:#1d2430;padding:0 1em}\n"
        << "section{margin:2.5em 0}h2{font-size:1.15em;margin-bottom:.3em}p.how{margin:.2em 0 "
           ".8em;color:#445}\n"
        << "table{border-collapse:collapse;font-size:.8em;margin-top:.6em}td,th{border:1px solid "
           "#ccd;padding:2px 6px;text-align:right}"
           "th{background:#eef1f6}td:first-child,th:first-child{text-align:left}\n"
        << "details{margin-top:.5em}summary{cursor:pointer;color:#2f6db5}\n"
        << "p.note{background:#fff6e0;border-left:4px solid #e0a000;padding:.4em .8em}\n</style>\n";
    for (const fs::path& lib : libs)
        html << "<script>\n" << js_script_safe(slurp(lib)) << "\n</script>\n";
    html << "</head>\n<body>\n<h1>kaisim " << escape_html(kind) << " report</h1>\n<p>Folder <code>"
         << escape_html(dir_text) << "</code> (run " << escape_html(manifest.run_id)
         << ", written by kaisim " << escape_html(manifest.version) << "), kaisim " << version
         << ". Every chart's numbers are in the table beneath it.</p>\n";
    for (const std::string& note : notes)
        html << "<p class=\"note\">" << escape_html(note) << "</p>\n";
    ordered_json all_specs = ordered_json::array();
    for (std::size_t i = 0; i < charts.size(); ++i) {
        Chart& c = charts[i];
        ordered_json spec = ordered_json::parse(slurp(assets / "specs" / c.spec_file));
        if (c.adjust) c.adjust(spec);
        spec["datasets"] = ordered_json::object();
        for (const auto& [name, rows] : c.datasets) spec["datasets"][name] = rows;
        const std::string id = "chart-" + std::to_string(i);
        html << "<section>\n<h2>" << escape_html(spec.value("title", std::string()))
             << "</h2>\n<p class=\"how\">" << escape_html(spec.value("description", std::string()))
             << "</p>\n<div class=\"chart\" id=\"" << id << "\"></div>\n"
             << "<details><summary>the numbers</summary>\n<table>\n<tr>";
        for (const std::string& col : c.table_columns)
            html << "<th>" << escape_html(col) << "</th>";
        html << "</tr>\n";
        for (const auto& row : c.datasets.at(c.table_dataset)) {
            html << "<tr>";
            for (const std::string& col : c.table_columns) {
                const auto it = row.find(col);
                std::string text;
                if (it != row.end() && !it->is_null())
                    text = it->is_string() ? it->get<std::string>() : it->dump();
                html << "<td>" << escape_html(text) << "</td>";
            }
            html << "</tr>\n";
        }
        html << "</table>\n</details>\n</section>\n";
        all_specs.push_back({{"id", id}, {"spec", spec}});
    }
    html
        << "<script type=\"application/json\" id=\"kaisim-charts\">"
        << json_script_safe(all_specs.dump()) << "</script>\n"
        << "<script>\n"
           "window.kaisimReport = {done: false, errors: []};\n"
           "(async function () {\n"
           "  const charts = JSON.parse(document.getElementById('kaisim-charts').textContent);\n"
           "  for (const c of charts) {\n"
           "    try { await vegaEmbed('#' + c.id, c.spec, {renderer: 'svg', actions: false}); }\n"
           "    catch (e) { window.kaisimReport.errors.push(c.id + ': ' + e); console.error(e); }\n"
           "  }\n"
           "  window.kaisimReport.done = true;\n"
           "})();\n"
           "</script>\n</body>\n</html>\n";
    return html.str();
}

void write_report(const std::string& dir, const std::string& path) {
    const std::string html = build_report(dir);
    const fs::path target(path);
    std::error_code ec;
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::equivalent(folder, dir, ec)) {  // elsewhere: a file of its own
        AtomicOutputs out;
        out.add(path, html);
        out.commit();
        return;
    }
    // Into the folder: report.html joins its output set, so the next set replaces it.
    const std::string name = target.filename().string();
    const std::optional<OutputManifest> m = read_manifest(dir);
    bool output = name == manifest_name;
    if (m)
        for (const ManifestFile& f : m->files) output = output || (f.name == name && !f.derived);
    if (output)
        throw std::runtime_error("refusing to write the report over " + path +
                                 ", a file of the output set: choose another --output");
    AtomicOutputs out(folder.string());
    out.add(path, html);
    out.commit();
}

}  // namespace kaisim::io
