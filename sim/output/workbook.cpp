#include "kaisim/output/workbook.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "kaisim/output/atomic_output.hpp"
#include "kaisim/output/output_manifest.hpp"
#include "kaisim/scenario/csv_reader.hpp"
#include "kaisim/scenario/text_file.hpp"

#ifdef KAISIM_HAVE_XLSX
#include <unistd.h>
#include <xlsxwriter.h>
#endif

namespace kaisim::io {

namespace fs = std::filesystem;

bool workbook_built() {
#ifdef KAISIM_HAVE_XLSX
    return true;
#else
    return false;
#endif
}

#ifdef KAISIM_HAVE_XLSX
namespace {

// Rows a sheet holds below its header (Excel's limit is 1,048,576 rows in all).
constexpr std::size_t max_rows = 1'048'575;

// A cell that is a whole finite decimal number (as kaisim writes numbers) becomes a number.
bool as_number(const std::string& text, double& value) {
    // Decimal only, as kaisim writes numbers: strtod would also take " 7", "0x1f" or "inf".
    if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos)
        return false;
    char* end = nullptr;
    errno = 0;
    value = std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size() && errno == 0 && std::isfinite(value);
}

void check(lxw_error e, const std::string& what) {
    if (e != LXW_NO_ERROR) throw std::runtime_error(what + ": " + lxw_strerror(e));
}

// Writes the workbook to `path` (a file libxlsxwriter creates).
void write_xlsx(const std::string& path, const std::string& dir,
                const std::vector<std::string>& csv_files) {
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) throw std::runtime_error("cannot create " + path);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    try {
        for (const std::string& name : csv_files) {
            const std::string file = (fs::path(dir) / name).string();
            const std::optional<std::string> text = read_text_file(file);
            if (!text) throw std::runtime_error("cannot read " + file);
            std::vector<std::vector<std::string>> rows = csv_records(*text);
            if (!rows.empty() && rows.back().size() <= 1 &&
                (rows.back().empty() || rows.back()[0].empty()))
                rows.pop_back();  // the record after the last line break
            const std::string sheet_name = fs::path(name).stem().string().substr(0, 31);
            lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
            if (!ws) throw std::runtime_error("cannot add sheet " + sheet_name + " to " + path);
            if (rows.size() > max_rows + 1) {
                worksheet_write_string(ws, 0, 0,
                                       (name + " has more rows than a sheet holds: open the CSV "
                                               "file instead")
                                           .c_str(),
                                       nullptr);
                continue;
            }
            for (std::size_t r = 0; r < rows.size(); ++r)
                for (std::size_t c = 0; c < rows[r].size(); ++c) {
                    const std::string& cell = rows[r][c];
                    double v = 0;
                    const auto row = static_cast<lxw_row_t>(r);
                    const auto col = static_cast<lxw_col_t>(c);
                    if (r == 0)
                        check(worksheet_write_string(ws, row, col, cell.c_str(), bold), file);
                    else if (as_number(cell, v))
                        check(worksheet_write_number(ws, row, col, v, nullptr), file);
                    else if (!cell.empty())
                        check(worksheet_write_string(ws, row, col, cell.c_str(), nullptr), file);
                }
            worksheet_freeze_panes(ws, 1, 0);
        }
    } catch (...) {
        workbook_close(wb);
        throw;
    }
    check(workbook_close(wb), "cannot write " + path);
}

}  // namespace
#endif

void write_workbook(const std::string& dir) {
#ifndef KAISIM_HAVE_XLSX
    throw std::runtime_error(
        "this kaisim was built without libxlsxwriter (apt-get install "
        "libxlsxwriter-dev, then build again): no --xlsx");
#else
    const std::optional<OutputManifest> m = read_manifest(dir);
    if (!m) throw std::runtime_error(dir + ": no kaisim outputs here (no " + manifest_name + ")");
    std::vector<std::string> csv_files;
    for (const ManifestFile& f : m->files)
        if (!f.derived && fs::path(f.name).extension() == ".csv") csv_files.push_back(f.name);
    // libxlsxwriter writes a file by name: a private one beside the outputs, then its bytes go
    // into the set all-or-nothing like every other output.
    std::string scratch = (fs::path(dir) / ".results.xlsx.XXXXXX").string();
    const int fd = ::mkstemp(scratch.data());
    if (fd < 0) throw std::runtime_error("cannot create a file in " + dir);
    ::close(fd);
    std::optional<std::string> bytes;
    try {
        write_xlsx(scratch, dir, csv_files);
        bytes = read_text_file(scratch);
    } catch (...) {
        fs::remove(scratch);
        throw;
    }
    fs::remove(scratch);
    if (!bytes) throw std::runtime_error("cannot read back the workbook written in " + dir);
    AtomicOutputs out(dir);
    out.add((fs::path(dir) / "results.xlsx").string(), *bytes);
    out.commit();
#endif
}

}  // namespace kaisim::io
