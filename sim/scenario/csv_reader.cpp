#include "kaisim/scenario/csv_reader.hpp"

#include <stdexcept>

namespace kaisim::io {

std::vector<std::vector<std::string>> csv_records(std::string text) {
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    std::vector<std::vector<std::string>> lines{{}};
    std::string field;
    bool quoted = false, was_quoted = false;
    // A cell ends: a quoted one that starts with ' was neutralised (csv_field): drop the '.
    const auto end_field = [&] {
        if (was_quoted && field.size() > 1 && field[0] == '\'') field.erase(0, 1);
        lines.back().push_back(field);
        field.clear();
        was_quoted = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                field += '"', ++i;
            else if (c == '"')
                quoted = false;
            else
                field += c;
        } else if (c == '"') {
            quoted = was_quoted = field.empty();
            if (!quoted) field += c;
        } else if (c == ',') {
            end_field();
        } else if (c == '\n') {
            end_field();
            lines.emplace_back();
        } else if (c != '\r') {
            field += c;
        }
    }
    if (!field.empty() || !lines.back().empty()) end_field();
    if (quoted) throw std::runtime_error("a quoted CSV field does not end");
    return lines;
}

}  // namespace kaisim::io
