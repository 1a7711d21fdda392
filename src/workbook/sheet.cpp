#include "workbook/sheet.h"

#include "core/messages.h"

namespace canopy::workbook {
namespace {

// At most `max` bytes of `s`, cut before a UTF-8 sequence that would not fit.
std::string cut_utf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "…";
}

}  // namespace

Error ShapeSink::cell(uint32_t row, uint32_t column, std::string_view text) {
  if (text.empty()) return {};
  if (static_cast<int64_t>(row) < row_) return make_error("workbook_damaged", {"workbook_rows_out_of_order"});
  if (static_cast<int64_t>(row) != row_) {
    row_ = row;
    ++shape_.rows;
    shape_.last_row = row + 1;
    in_preview_ = shape_.first_rows.size() < preview_rows_;
    if (in_preview_) shape_.first_rows.emplace_back();
  }
  if (column + 1 > shape_.columns) shape_.columns = column + 1;
  if (in_preview_ && column < preview_columns_) {
    std::vector<std::string>& r = shape_.first_rows.back();
    if (r.size() <= column) r.resize(column + 1);
    r[column] = cut_utf8(text, preview_bytes_);
  }
  return {};
}

void append_csv_field(std::string& out, std::string_view cell, bool first_in_line) {
  bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
  if (first_in_line && !cell.empty() && (cell[0] == '#' || cell.substr(0, 4) == "sep=")) quote = true;
  if (!quote) {
    out += cell;
    return;
  }
  out += '"';
  for (size_t from = 0;;) {
    const size_t q = cell.find('"', from);
    if (q == std::string_view::npos) {
      out.append(cell.data() + from, cell.size() - from);
      break;
    }
    out.append(cell.data() + from, q + 1 - from);
    out += '"';
    from = q + 1;
  }
  out += '"';
}

CsvSink::CsvSink(const SheetShape& shape, Out out, size_t flush_bytes)
    : shape_(shape), out_(std::move(out)), flush_bytes_(flush_bytes) {}

Error CsvSink::end_row() {
  if (row_ < 0) return {};
  if (shape_.columns > seps_ + 1) buf_.append(shape_.columns - 1 - seps_, ',');
  buf_ += '\n';
  ++written_;
  if (buf_.size() >= flush_bytes_) {
    Error e = out_(buf_);
    buf_.clear();
    return e;
  }
  return {};
}

Error CsvSink::cell(uint32_t row, uint32_t column, std::string_view text) {
  if (text.empty()) return {};
  if (row >= shape_.last_row || column >= shape_.columns) {
    return make_error("workbook_damaged", {"workbook_sheet_changed"});
  }
  if (static_cast<int64_t>(row) < row_) return make_error("workbook_damaged", {"workbook_rows_out_of_order"});
  if (static_cast<int64_t>(row) != row_) {
    if (Error e = end_row()) return e;
    // Blank lines for the empty rows above, so that line N is row N.
    if (written_ < row) buf_.append(row - written_, '\n');
    written_ = row;
    row_ = row;
    seps_ = 0;
    last_col_ = -1;
  }
  if (static_cast<int64_t>(column) <= last_col_) {
    return make_error("workbook_damaged", {"workbook_cells_out_of_order", std::to_string(row + 1)});
  }
  buf_.append(column - seps_, ',');
  seps_ = column;
  last_col_ = column;
  append_csv_field(buf_, text, column == 0);
  return {};
}

Error CsvSink::finish() {
  if (Error e = end_row()) return e;
  row_ = -1;
  if (!buf_.empty()) {
    Error e = out_(buf_);
    buf_.clear();
    return e;
  }
  return {};
}

}  // namespace canopy::workbook
