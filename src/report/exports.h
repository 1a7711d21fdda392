// The two downloads of the Results step. Both: UTF-8 with BOM, CRLF, RFC 4180 quoting, cells starting
// with = + - @ (also after leading spaces, tabs, no-break spaces or line breaks), TAB or CR prefixed
// with ' (formula injection; and a cell starting with ' gets another, so the prefix can be undone
// exactly), and never a password.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "parse/table.h"
#include "submit/response.h"

namespace canopy {

// One cell, formula-protected (the ' goes inside the quotes), then quoted per RFC 4180 when it holds
// the delimiter, a quote, CR or LF, or starts with # (a comment line on re-import).
std::string csv_cell(std::string_view value, char delimiter = ',');

// A failed-rows.csv of ours coming back for another try (its header has an import_error column):
// undoes csv_cell's ' prefix in every cell, header included, so "'@jdoe" is "@jdoe" again and "''x"
// is "'x". True when the table is such a file.
bool unprotect_failed_rows(Table& table);

// failed-rows.csv names the columns it left out in a comment line above its header (kLeftOutComment,
// then the header names joined by " | "); a comment is stripped on re-import, so the rows read the
// same. The names that line gives in a table read from such a file (nothing when it has none).
constexpr std::string_view kLeftOutComment =
    "# Left out of this file because they hold passwords (add them back before importing it again): ";
std::vector<std::string> failed_rows_left_out(const Table& table);

struct ExportRow {
  uint32_t index;  // data-row index
  uint32_t row;    // source row number
  std::string email;
  const RowOutcome* outcome;  // never null
};

// failed-rows.csv: the original header names and cells (minus the columns in `skip_columns`: those
// holding passwords) of every row that neither succeeded nor was deliberately deselected, plus an
// import_error column ("code: message"). Included: failed (rows blocked at preview are failed with
// invalid_row), unconfirmed, cancelled and still pending rows; not the rows the user deselected. Rows keep
// the given order; short records are padded, cells beyond the header dropped. A column already named
// import_error (a re-uploaded failed-rows file) is replaced by the new one, not repeated.
std::string failed_rows_csv(const Table& table, const std::vector<ExportRow>& rows,
                            const std::vector<uint32_t>& skip_columns, char delimiter = ',');

// results.csv: row, email, outcome, id, code, message, accept_link for every row, in the given order.
// accept_link is filled for invites sent without email (send_email=false): a live secret the admin
// hands to the invitee, so the file is for the admin only (the CLI writes it 0600).
std::string results_csv(const std::vector<ExportRow>& rows);

}  // namespace canopy
