// The posterior.csv of kaisim calibrate, read back by run, compare and optimise --posterior.
// Read a record at a time: a posterior of a million particles costs its weights and sets, not
// a copy of the file and a table of every field.
#include "kaisim/study_files/posterior_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "kaisim/core/error.hpp"
#include "kaisim/scenario/csv_reader.hpp"
#include "kaisim/scenario/text_file.hpp"

namespace kaisim::io {

namespace {
/// The next CSV record of `in` (a quoted field may hold a line break: lines are joined until
/// the quotes balance); false at the end of the file. `line` advances by the lines read. A record
/// longer than max_posterior_record_bytes is refused while it is read (a file without line
/// breaks never fills memory).
bool next_record(std::istream& in, const std::string& path, int& line, std::string& record) {
    record.clear();
    std::size_t quotes = 0;
    std::streambuf& buf = *in.rdbuf();
    bool any = false;
    for (int c = buf.sbumpc(); c != std::char_traits<char>::eof(); c = buf.sbumpc()) {
        any = true;
        if (c == '\n') {
            ++line;
            if (quotes % 2 == 0) return true;
        } else if (c == '"') {
            ++quotes;
        }
        record += static_cast<char>(c);
        if (record.size() > max_posterior_record_bytes)
            throw InputError(path, line + 1, 1,
                             "a record longer than " +
                                 std::to_string(max_posterior_record_bytes >> 20) +
                                 " MiB: not a posterior.csv of kaisim calibrate");
    }
    if (quotes % 2 != 0) throw InputError(path, line + 1, 1, "a quoted CSV field does not end");
    if (any) ++line;  // a last line without a line break
    return any;
}
}  // namespace

std::vector<PosteriorParticle> read_posterior(const std::string& path) {
    std::ifstream in = open_input_file(path);
    int line = 0;
    std::string record;
    std::vector<PosteriorParticle> out;
    std::size_t columns = 0, weight_col = 0, sets_col = 0;
    while (next_record(in, path, line, record)) {
        const int first = line - static_cast<int>(std::count(record.begin(), record.end(), '\n'));
        if (record.empty() || record == "\r") continue;  // a blank line
        check_text(record, path, first);
        std::vector<std::vector<std::string>> rec;
        try {
            rec = csv_records(record);
        } catch (const std::runtime_error& e) {
            throw InputError(path, first, 1, e.what());
        }
        if (rec.size() != 1)  // a '"' inside an unquoted field made two rows look like one
            throw InputError(path, first, 1,
                             "a '\"' inside a field that is not quoted (quote the whole field, "
                             "doubling the '\"')");
        const std::vector<std::string>& fields = rec.front();
        if (columns == 0) {  // the header
            int weight = -1, sets = -1;
            for (std::size_t c = 0; c < fields.size(); ++c)
                for (auto [name, col] : {std::pair{"weight", &weight}, std::pair{"sets", &sets}})
                    if (fields[c] == name) {
                        if (*col >= 0)
                            throw InputError(path, 1, static_cast<int>(c) + 1,
                                             std::string("a second column '") + name +
                                                 "': a posterior.csv has one");
                        *col = static_cast<int>(c);
                    }
            if (weight < 0 || sets < 0)
                throw InputError(path, 1, 1,
                                 "not a posterior.csv of kaisim calibrate: it needs the columns "
                                 "weight and sets");
            columns = fields.size();
            weight_col = static_cast<std::size_t>(weight);
            sets_col = static_cast<std::size_t>(sets);
            continue;
        }
        if (fields.size() != columns)
            throw InputError(path, first, 1,
                             "expected " + std::to_string(columns) + " fields, found " +
                                 std::to_string(fields.size()));
        PosteriorParticle p;
        p.line = first;
        const std::string& weight = fields[weight_col];
        char* end = nullptr;
        p.weight = std::strtod(weight.c_str(), &end);
        if (weight.empty() || *end != '\0')
            throw InputError(path, first, 1, "the weight is not a number");
        if (!(p.weight >= 0) || !std::isfinite(p.weight))
            throw InputError(path, first, 1, "a weight must be a finite number >= 0");
        std::stringstream sets(fields[sets_col]);
        for (std::string a; std::getline(sets, a, ';');) {
            if (a.empty()) continue;
            if (a.find('=') == std::string::npos || a.front() == '=')
                throw InputError(path, first, 1,
                                 "'" + a +
                                     "' in sets is not PATH=VALUE (the sets column holds "
                                     "--set assignments joined by ';')");
            p.sets.push_back(a);
        }
        out.push_back(std::move(p));
    }
    if (in.bad()) throw InputError(path, line, 1, "error reading the file");
    if (columns == 0)
        throw InputError(path, 1, 1,
                         "not a posterior.csv of kaisim calibrate: it needs the columns weight "
                         "and sets");
    double total = 0;
    for (const PosteriorParticle& p : out) total += p.weight;
    if (out.empty() || !(total > 0))
        throw InputError(path, 1, 1, "the posterior has no particle of positive weight");
    return out;
}

}  // namespace kaisim::io
