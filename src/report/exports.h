// The two downloads of the Results step. Both: UTF-8 with BOM, CRLF, RFC 4180 quoting, cells starting
// with = + - @ TAB or CR prefixed with ' (formula injection), and never a password.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "parse/table.h"
#include "submit/submitter.h"

namespace canopy {

// One cell, quoted when needed, formula-protected.
std::string csv_cell(std::string_view value);

struct ExportRow {
  uint32_t index;            // data-row index
  uint32_t row;              // source row number
  std::string email;
  const RowOutcome* outcome; // never null
  std::string preview_error; // validation issues text when the row was blocked at preview
};

// failed-rows.csv: the original header names and cells (minus the password column, `skip_column`,
// -1 for none) of every row that neither succeeded nor was deselected, plus an import_error column.
std::string failed_rows_csv(const Table& table, const std::vector<ExportRow>& rows, int skip_column,
                            char delimiter = ',');

// results.csv: row, email, outcome, id, code, message for every row.
std::string results_csv(const std::vector<ExportRow>& rows);

}  // namespace canopy
