// The sheet table: the cells a reader finds (row by row, in order) turned into what the rest of the
// pipeline reads. A first pass measures the sheet (its non-empty rows, its width, its first rows for the
// sheet picker); the second writes it as RFC 4180 UTF-8 CSV, every row as wide as the widest, so the
// session reads a workbook exactly as it reads a CSV file (encoding UTF-8, delimiter comma).
// Line N of that CSV is row N of the sheet but for line breaks inside cells above it, which the session
// takes back out (parse/reader.h number_records_by_sheet_row: messages name the spreadsheet's rows; the
// CLI's chunked read still names the CSV's lines). An empty row is a blank line (skipped like one);
// trailing empty rows and columns are left out.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace canopy::workbook {

// Receives the non-empty cells of one sheet, rows in ascending order (0-based row and column).
class CellSink {
 public:
  virtual ~CellSink() = default;
  virtual Error cell(uint32_t row, uint32_t column, std::string_view text) = 0;
  // False when only whether a cell is empty matters (past the preview rows of a shape pass): a reader
  // may then pass any non-empty text for a non-empty cell and skip rendering it.
  virtual bool wants_text() const { return true; }
};

struct SheetShape {
  size_t rows = 0;                                   // non-empty rows
  uint32_t columns = 0;                              // up to the last non-empty column of any row
  uint32_t last_row = 0;                             // 1-based row of the last non-empty row (0: empty sheet)
  std::vector<std::vector<std::string>> first_rows;  // the first non-empty rows (cells cut short), for the picker
};

class ShapeSink final : public CellSink {
 public:
  explicit ShapeSink(size_t preview_rows = 5, size_t preview_columns = 20, size_t preview_bytes = 100)
      : preview_rows_(preview_rows), preview_columns_(preview_columns), preview_bytes_(preview_bytes) {}
  Error cell(uint32_t row, uint32_t column, std::string_view text) override;
  bool wants_text() const override { return shape_.first_rows.size() < preview_rows_ || in_preview_; }
  const SheetShape& shape() const { return shape_; }

 private:
  size_t preview_rows_, preview_columns_, preview_bytes_;
  SheetShape shape_;
  int64_t row_ = -1;
  bool in_preview_ = false;
};

// Writes CSV text to `out` in pieces of about `flush_bytes`, each cell straight into the buffer (cells
// arrive in column order, as both formats store them).
class CsvSink final : public CellSink {
 public:
  using Out = std::function<Error(std::string_view)>;
  CsvSink(const SheetShape& shape, Out out, size_t flush_bytes = 1 << 20);
  Error cell(uint32_t row, uint32_t column, std::string_view text) override;
  Error finish();  // the last row, then everything still buffered

 private:
  Error end_row();
  const SheetShape& shape_;
  Out out_;
  size_t flush_bytes_;
  std::string buf_;
  int64_t row_ = -1;       // the row being written
  uint32_t seps_ = 0;      // commas written in it
  int64_t last_col_ = -1;  // its last cell written
  uint32_t written_ = 0;   // rows written so far (lines)
};

// Appends `cell` to `out` as one CSV field: quoted when it holds a comma, a quote, a line break, or
// (first cell of a line) starts with '#' or "sep=", which the CSV reader would take for a comment or
// Excel's delimiter line.
void append_csv_field(std::string& out, std::string_view cell, bool first_in_line);

}  // namespace canopy::workbook
