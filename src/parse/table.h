// The parsed file: one UTF-8 text buffer owned by the table, and every cell as (offset, length) into
// it. A quoted cell with doubled quotes ("") is unescaped in place the first time it is read (the text
// only shrinks), so cells nobody reads (unmapped columns) cost nothing and no cell is ever copied.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/issue.h"

namespace canopy {

struct Cell {
  uint32_t offset;
  uint32_t length;  // kEscaped set: the bytes still hold doubled quotes
  static constexpr uint32_t kEscaped = 0x80000000u;
};

struct Record {
  uint32_t first_cell;  // index into Table::cells
  uint32_t cell_count;
  uint32_t line;  // 1-based source line where the record starts
};

struct Table {
  // Mutable: reading a cell may unescape it in place, which changes no value anyone has seen.
  mutable std::string text;  // decoded UTF-8; cells point into it
  mutable std::vector<Cell> cells;
  std::vector<Record> records;  // records[0] is the header row when has_header
  std::vector<Issue> issues;    // parse problems, row = data-row index (record index - 1)
  uint32_t comment_lines = 0;   // '#' lines stripped
  uint32_t blank_lines = 0;     // empty lines skipped
  uint32_t lines = 0;           // physical lines in the file
  size_t stopped_at = 0;        // byte offset where a record limit stopped the reader (else 0)

  std::string_view cell(const Record& r, uint32_t i) const {
    if (i >= r.cell_count) return {};
    Cell& c = cells[r.first_cell + i];
    if (c.length & Cell::kEscaped) unescape(c);
    return std::string_view(text.data() + c.offset, c.length);
  }
  std::string_view cell(uint32_t record, uint32_t i) const { return cell(records[record], i); }
  size_t data_rows() const { return records.empty() ? 0 : records.size() - 1; }
  uint32_t columns() const { return records.empty() ? 0 : records[0].cell_count; }

  // Turns every "" of an escaped cell into " in place and clears the flag (reader.cpp).
  void unescape(Cell& c) const;
};

}  // namespace canopy
