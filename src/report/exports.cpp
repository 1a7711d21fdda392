#include "report/exports.h"

#include <algorithm>

namespace canopy {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kImportError = "import_error";

bool in_failed_rows(const ExportRow& r) {
  if (!r.outcome) return true;
  switch (r.outcome->outcome) {
    case Outcome::created:
    case Outcome::invited:
    case Outcome::replayed: return false;  // the row exists on the server
    case Outcome::deselected: return false;
    default: return true;
  }
}

std::string import_error_text(const ExportRow& r) {
  if (!r.outcome) return outcome_name(Outcome::pending);
  const RowOutcome& o = *r.outcome;
  if (o.code.empty()) return o.message.empty() ? outcome_name(o.outcome) : o.message;
  if (o.message.empty()) return o.code;
  return o.code + ": " + o.message;
}

void end_line(std::string& out) { out += "\r\n"; }

// Spreadsheets run a cell starting with these as a formula (CSV injection), also after blanks they
// trim (spaces, tabs, no-break spaces, line breaks: " =cmd", "\n@SUM"); a ' before it makes it text. A
// cell that starts with ' itself gets one too, so that unprotect_failed_rows can tell.
bool needs_prefix(std::string_view v) {
  if (v.empty()) return false;
  if (v[0] == '\t' || v[0] == '\r' || v[0] == '\'') return true;
  size_t i = 0;
  for (;;) {
    if (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n')) {
      ++i;
    } else if (v.substr(i, 2) == "\xC2\xA0") {  // U+00A0 NO-BREAK SPACE
      i += 2;
    } else {
      break;
    }
  }
  return i < v.size() && (v[i] == '=' || v[i] == '+' || v[i] == '-' || v[i] == '@');
}

}  // namespace

bool unprotect_failed_rows(Table& table) {
  if (table.records.empty()) return false;
  const Record& header = table.records[0];
  bool ours = false;
  for (uint32_t i = 0; i < header.cell_count && !ours; ++i) ours = table.cell(header, i) == kImportError;
  if (!ours) return false;
  for (const Record& r : table.records) {
    for (uint32_t i = 0; i < r.cell_count; ++i) {
      Cell& c = table.cells[r.first_cell + i];
      const std::string_view v(table.text.data() + c.offset, c.length & ~Cell::kEscaped);
      // The ' and the character after it are never quotes, so an escaped cell can shift too.
      if (v.size() >= 2 && v[0] == '\'' && needs_prefix(v.substr(1))) {
        c.offset += 1;
        c.length -= 1;
      }
    }
  }
  return true;
}

std::vector<std::string> failed_rows_left_out(const Table& table) {
  std::vector<std::string> out;
  if (table.records.empty() || table.records[0].cell_count == 0) return out;
  // Only the comment lines above the header: a row's cell cannot start a line with #.
  const size_t header_at = std::min(table.text.size(), size_t{table.cells[table.records[0].first_cell].offset});
  const std::string_view head(table.text.data(), header_at);
  size_t at = 0;
  while (at < head.size()) {
    size_t end = head.find_first_of("\r\n", at);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.substr(0, kLeftOutComment.size()) != kLeftOutComment) continue;
    line.remove_prefix(kLeftOutComment.size());
    // A spreadsheet that saved the file again may have padded the line with empty cells.
    while (!line.empty() && (line.back() == ',' || line.back() == ';' || line.back() == '\t' || line.back() == ' ')) {
      line.remove_suffix(1);
    }
    while (!line.empty()) {
      const size_t bar = line.find(" | ");
      const std::string_view name = line.substr(0, bar);
      if (!name.empty()) out.emplace_back(name);
      if (bar == std::string_view::npos) break;
      line.remove_prefix(bar + 3);
    }
    break;
  }
  return out;
}

std::string csv_cell(std::string_view value, char delimiter) {
  const bool formula = needs_prefix(value);
  // A line starting with # is a comment on re-import: quote such a cell so the row is not lost.
  bool quote = !value.empty() && value[0] == '#';
  for (char c : value) {
    if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
      quote = true;
      break;
    }
  }
  std::string out;
  out.reserve(value.size() + 3);
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  if (quote) out.push_back('"');
  return out;
}

std::string failed_rows_csv(const Table& table, const std::vector<ExportRow>& rows,
                            const std::vector<uint32_t>& skip_columns, char delimiter) {
  std::string out(kBom);
  std::vector<uint32_t> columns;
  if (!table.records.empty()) {
    const Record& header = table.records[0];
    std::string left_out;
    for (uint32_t i = 0; i < header.cell_count; ++i) {
      if (std::find(skip_columns.begin(), skip_columns.end(), i) != skip_columns.end()) {
        // Said in a comment line, so the upload of this file can name them (failed_rows_left_out).
        // Line breaks would end the comment: a header holding one is named without them.
        if (!left_out.empty()) left_out += " | ";
        for (char ch : table.cell(header, i)) left_out.push_back(ch == '\r' || ch == '\n' ? ' ' : ch);
        continue;
      }
      if (table.cell(header, i) == kImportError) continue;  // stale errors of a re-uploaded file
      columns.push_back(i);
    }
    if (!left_out.empty()) {
      out += kLeftOutComment;
      out += left_out;
      end_line(out);
    }
    for (uint32_t c : columns) {
      out += csv_cell(table.cell(header, c), delimiter);
      out.push_back(delimiter);
    }
  }
  out += kImportError;
  end_line(out);
  for (const ExportRow& r : rows) {
    if (!in_failed_rows(r)) continue;
    const size_t record = static_cast<size_t>(r.index) + 1;
    const Record* rec = record < table.records.size() ? &table.records[record] : nullptr;
    for (uint32_t c : columns) {
      if (rec) out += csv_cell(table.cell(*rec, c), delimiter);  // cell() is empty past the record's end
      out.push_back(delimiter);
    }
    out += csv_cell(import_error_text(r), delimiter);
    end_line(out);
  }
  return out;
}

std::string results_csv(const std::vector<ExportRow>& rows) {
  std::string out(kBom);
  out += "row,email,outcome,id,code,message,accept_link";
  end_line(out);
  for (const ExportRow& r : rows) {
    const RowOutcome empty;
    const RowOutcome& o = r.outcome ? *r.outcome : empty;
    out += std::to_string(r.row);
    out.push_back(',');
    out += csv_cell(r.email);
    out.push_back(',');
    out += outcome_name(o.outcome);
    out.push_back(',');
    out += csv_cell(o.id);
    out.push_back(',');
    out += csv_cell(o.code);
    out.push_back(',');
    out += csv_cell(o.message);
    out.push_back(',');
    out += csv_cell(o.accept_link);  // invites made without email: the admin hands these out
    end_line(out);
  }
  return out;
}

}  // namespace canopy
