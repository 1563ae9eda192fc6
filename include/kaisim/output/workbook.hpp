#pragma once
#include <string>

namespace kaisim::io {

/// Whether this build can write .xlsx workbooks (libxlsxwriter, Debian libxlsxwriter-dev).
bool workbook_built();

/// Writes `dir`/results.xlsx from the CSV files of the folder's output set (in its manifest's
/// order): one sheet per table named after its file, numbers as numeric cells, the header row
/// bold and frozen, UTF-8 text (Korean names) as it is. Added to the set as a derived file. A
/// table with more rows than a sheet holds (1,048,575 below the header) is left out with a
/// note in its place. Throws std::runtime_error without an output set or when this build has
/// no libxlsxwriter.
void write_workbook(const std::string& dir);

}  // namespace kaisim::io
