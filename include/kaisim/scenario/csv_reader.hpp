#pragma once
#include <string>
#include <vector>

namespace kaisim::io {

/// The records of a CSV text, each a list of fields (RFC 4180 quotes, "" inside quotes; a
/// leading UTF-8 byte-order mark and carriage returns dropped; a quoted cell that starts with '
/// was neutralised by csv_field and loses the '). Throws std::runtime_error on a quote that does
/// not end.
std::vector<std::vector<std::string>> csv_records(std::string text);

}  // namespace kaisim::io
