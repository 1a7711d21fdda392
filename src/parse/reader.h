// RFC 4180 reader. Quoted cells with delimiters, doubled quotes and line breaks; CRLF, LF and CR; no
// final line break needed. Lines whose first character (outside quotes) is '#' are comments; blank
// lines are skipped. Each record keeps its source line. Malformed input becomes an issue on its row,
// never a crash and never a shifted column.
//
// The fast path classifies 64 bytes at a time with SIMD (wasm simd128, SSE2, or scalar) into bit masks
// of quotes, delimiters and line breaks, and finds the quoted regions with a prefix XOR (as simdcsv
// does). Anything unusual in a record (a quote that does not open a cell, text after a closing quote,
// an unterminated quote, a comment line) sends that one record through the scalar state machine, which
// then hands back to the fast path at the next record.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "parse/table.h"

namespace canopy {

struct ReadOptions {
  char delimiter = ',';
  bool comments = true;     // strip lines starting with '#'
  size_t max_records = 0;   // 0 = no limit; otherwise stop after this many records (+1 for header)
  uint32_t first_line = 1;  // line number of the text's first line: a later piece of a file that is
                            // read in chunks (the CLI) keeps the file's line numbers
};

// Takes ownership of `text` (UTF-8, no BOM). Never fails: problems are issues in the table.
// If max_records is reached, `truncated` is set and reading stops there.
Table read_csv(std::string text, const ReadOptions& options, bool* truncated = nullptr);

// A workbook sheet's CSV (src/workbook/sheet.h) has line N for row N of the sheet, but for the line breaks
// inside cells above it. Numbers each record, and each of its parse issues, by its row of the sheet
// instead, which is what the user sees in the spreadsheet.
void number_records_by_sheet_row(Table& table);

// Counts records cheaply (for the row limit check before the full read); same rules as read_csv.
// `first_is_header`: the first record is the header (always counted, even when empty); pass false to
// count the rest of a file from a record boundary.
size_t count_records(std::string_view text, char delimiter, bool comments, bool first_is_header = true);

}  // namespace canopy
