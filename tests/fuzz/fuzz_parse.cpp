// Bytes -> encoding detection and conversion -> delimiter detection -> RFC 4180 reader.
//
// Besides "no crash, no sanitizer report" it checks what must hold for any input:
//  - the decoded text is valid UTF-8, and so is every cell;
//  - the table is well formed (cells inside the text, records contiguous, lines increasing, issues
//    pointing at their record);
//  - the reader (SIMD fast path and scanner) agrees with the oracle (csv_oracle.h: SPEC.md's rules
//    written out independently) on cells, lines, issues and the comment/blank line counts;
//  - writing the table back out with RFC 4180 quoting and reading it again gives the same cells;
//  - a record limit stops exactly there, and count_records() over the unread rest gives the total
//    (the session names that figure in the too_many_rows message).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"
#include "csv_oracle.h"
#include "detect/dialect.h"
#include "detect/encoding.h"
#include "detectors/votes.h"
#include "fuzz_check.h"
#include "parse/reader.h"

using namespace canopy;

namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows rows_of(const Table& t) {
  Rows out;
  for (const Record& r : t.records) {
    std::vector<std::string> row;
    for (uint32_t i = 0; i < r.cell_count; ++i) row.emplace_back(t.cell(r, i));
    out.push_back(std::move(row));
  }
  return out;
}

void check_well_formed(const Table& t) {
  uint32_t next_cell = 0, prev_line = 0;
  for (const Record& r : t.records) {
    FUZZ_CHECK(r.first_cell == next_cell);
    FUZZ_CHECK(r.cell_count >= 1);
    next_cell = r.first_cell + r.cell_count;
    FUZZ_CHECK(next_cell <= t.cells.size());
    FUZZ_CHECK(r.line > prev_line);
    FUZZ_CHECK(r.line <= t.lines);
    prev_line = r.line;
  }
  FUZZ_CHECK(next_cell == t.cells.size());
  for (const Record& r : t.records) {
    for (uint32_t i = 0; i < r.cell_count; ++i) {
      const Cell& raw = t.cells[r.first_cell + i];
      FUZZ_CHECK(static_cast<size_t>(raw.offset) + (raw.length & ~Cell::kEscaped) <= t.text.size());
      const bool escaped = raw.length & Cell::kEscaped;
      const size_t before = raw.length & ~Cell::kEscaped;
      const std::string_view v = t.cell(r, i);  // unescapes a doubled-quote cell in place
      FUZZ_CHECK(!(t.cells[r.first_cell + i].length & Cell::kEscaped));
      FUZZ_CHECK(escaped ? v.size() < before : v.size() == before);
      FUZZ_CHECK(static_cast<size_t>(v.data() - t.text.data()) + v.size() <= t.text.size());
      FUZZ_CHECK(find_invalid_utf8(v.data(), v.size()) == std::string::npos);
    }
  }
  for (const Issue& is : t.issues) {
    FUZZ_CHECK(is.row + 1 < t.records.size());
    FUZZ_CHECK(is.line == t.records[is.row + 1].line);
    // A catalogue code whose text the arguments fill (the message itself is made late, when shown).
    FUZZ_CHECK(find_message(is.code) != nullptr);
    FUZZ_CHECK(!unpack_args(is.args).empty());
  }
}

std::string quote_cell(const std::string& v, char d) {
  bool q = !v.empty() && v[0] == '#';
  for (char c : v) q = q || c == d || c == '"' || c == '\r' || c == '\n';
  if (!q) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string write_csv(const Rows& rows, char d, std::string_view eol, bool final_eol) {
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() == 1 && row[0].empty()) {
      out += "\"\"";  // an empty line would be skipped as blank
    } else {
      for (size_t c = 0; c < row.size(); ++c) {
        if (c) out.push_back(d);
        out += quote_cell(row[c], d);
      }
    }
    if (r + 1 < rows.size() || final_eol) out += eol;
  }
  return out;
}

bool only_width_issues(const Table& t) {
  for (const Issue& is : t.issues) {
    if (is.code != "too_few_cells" && is.code != "too_many_cells" && is.code != "extra_cells_ignored") return false;
  }
  return true;
}

void check_against_reference(const std::string& text, char d) {
  ReadOptions o;
  o.delimiter = d;
  const Table t = read_csv(text, o);
  check_well_formed(t);
  const canopy_oracle::Result ref = canopy_oracle::read(text, d);
  FUZZ_CHECK(rows_of(t) == ref.rows);
  FUZZ_CHECK(t.records.size() == ref.lines.size());
  for (size_t i = 0; i < ref.lines.size(); ++i) FUZZ_CHECK(t.records[i].line == ref.lines[i]);
  FUZZ_CHECK(t.issues.size() == ref.issues.size());
  for (size_t i = 0; i < ref.issues.size(); ++i) {
    const Issue& is = t.issues[i];
    FUZZ_CHECK((canopy_oracle::Issue{is.code, is.row, is.line, is.column} == ref.issues[i]));
  }
  FUZZ_CHECK(t.comment_lines == ref.comment_lines);
  FUZZ_CHECK(t.blank_lines == ref.blank_lines);
  FUZZ_CHECK(count_records(text, d, true) == ref.rows.size());
}

void check_round_trip(const Rows& read_rows, char d, bool crlf, bool final_eol, uint32_t limit_seed) {
  if (read_rows.empty()) return;
  // A data row of only empty cells survives a read only when it carried a quoting problem; written
  // back cleanly it is (rightly) skipped like a blank line, so it is not expected back.
  Rows rows;
  for (size_t r = 0; r < read_rows.size(); ++r) {
    const auto& row = read_rows[r];
    if (r > 0 && std::all_of(row.begin(), row.end(), [](const std::string& c) { return c.empty(); })) continue;
    rows.push_back(row);
  }
  const std::string csv = write_csv(rows, d, crlf ? "\r\n" : "\n", final_eol);
  ReadOptions o;
  o.delimiter = d;
  const Table again = read_csv(csv, o);
  check_well_formed(again);
  FUZZ_CHECK(rows_of(again) == rows);
  FUZZ_CHECK(only_width_issues(again));
  FUZZ_CHECK(again.comment_lines == 0 && again.blank_lines == 0);
  FUZZ_CHECK(count_records(csv, d, true) == rows.size());

  // A limit of k records stops right after the k-th; the rest counts to the total.
  const size_t k = 1 + limit_seed % rows.size();
  o.max_records = k;
  bool truncated = false;
  const Table head = read_csv(csv, o, &truncated);
  FUZZ_CHECK(head.records.size() == k);
  // (Reaching the limit at the very end may also report a stop, with nothing left to count.)
  FUZZ_CHECK(truncated || k == rows.size());
  if (truncated) {
    FUZZ_CHECK(head.stopped_at <= head.text.size());
    const size_t rest = count_records(std::string_view(head.text).substr(head.stopped_at), d, true, false);
    FUZZ_CHECK(k + rest == rows.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = decode_to_utf8(std::string(bytes), {}, nullptr, &detector_votes);
  if (!decoded.ok()) {
    FUZZ_CHECK(!decoded.error().message.empty());
    return 0;
  }
  const DecodeResult& dec = decoded.value();
  FUZZ_CHECK(find_invalid_utf8(dec.text.data(), dec.text.size()) == std::string::npos);
  FUZZ_CHECK(dec.text.find('\0') == std::string::npos);
  FUZZ_CHECK(!canonical_encoding(dec.encoding).empty());
  FUZZ_CHECK(dec.confidence >= 0 && dec.confidence <= 100);

  const Dialect dialect = detect_dialect(dec.text);
  FUZZ_CHECK(dialect.delimiter == ',' || dialect.delimiter == ';' || dialect.delimiter == '\t');
  FUZZ_CHECK(dialect.confidence >= 0 && dialect.confidence <= 100);

  check_against_reference(dec.text, dialect.delimiter);
  // The raw bytes as text too (the reader never needs valid UTF-8 to stay in bounds).
  const char other = size % 3 == 0 ? ',' : size % 3 == 1 ? ';' : '\t';
  if (dec.text != bytes || other != dialect.delimiter) {
    ReadOptions o;
    o.delimiter = other;
    const Table raw = read_csv(bytes, o);
    FUZZ_CHECK(rows_of(raw) == canopy_oracle::read(bytes, other).rows);
  }

  ReadOptions o;
  o.delimiter = dialect.delimiter;
  const Table t = read_csv(dec.text, o);
  const uint32_t seed = size ? data[size - 1] : 0;
  check_round_trip(rows_of(t), dialect.delimiter, seed & 1, seed & 2, seed >> 2);
  return 0;
}
