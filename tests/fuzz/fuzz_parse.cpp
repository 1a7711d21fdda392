// Bytes -> encoding detection and conversion -> delimiter detection -> RFC 4180 reader.
//
// Besides "no crash, no sanitizer report" it checks what must hold for any input:
//  - the decoded text is valid UTF-8, and so is every cell;
//  - the table is well formed (cells inside the text, records contiguous, lines increasing, issues
//    pointing at their record);
//  - the SIMD fast path agrees with a plain byte-at-a-time reading of the documented rules (reader.h)
//    on cells, lines, issues and the comment/blank line counts, whatever the block alignment;
//  - writing the table back out with RFC 4180 quoting and reading it again gives the same cells;
//  - a record limit stops exactly there, and count_records() over the unread rest gives the total
//    (the session names that figure in the too_many_rows message).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"
#include "detect/dialect.h"
#include "detect/encoding.h"
#include "fuzz_check.h"
#include "parse/reader.h"

using namespace canopy;

namespace {

using Rows = std::vector<std::vector<std::string>>;

struct RefIssue {
  std::string code;
  uint32_t row, line;
  int32_t column;
  bool operator==(const RefIssue& o) const {
    return code == o.code && row == o.row && line == o.line && column == o.column;
  }
};

struct RefTable {
  Rows rows;
  std::vector<uint32_t> lines;
  std::vector<RefIssue> issues;
  uint32_t comment_lines = 0, blank_lines = 0;
};

bool is_eol(char c) { return c == '\n' || c == '\r'; }

// The reader's rules, one byte at a time, with no fast path: quotes open a cell only at its start, ""
// inside quotes is a quote, text after a closing quote is kept and flagged, a quote that never closes
// (or that spans lines and is then followed by text) makes the record end at its first line break.
class Reference {
 public:
  Reference(std::string_view s, char d) : s_(s), d_(d) {}

  RefTable run() {
    size_t i = 0;
    uint32_t line = 1;
    const size_t n = s_.size();
    while (i < n) {
      if (s_[i] == '#') {
        while (i < n && !is_eol(s_[i])) ++i;
        ++t_.comment_lines;
        if (i < n) {
          i += (s_[i] == '\r' && i + 1 < n && s_[i + 1] == '\n') ? 2 : 1;
          ++line;
        }
        continue;
      }
      if (is_eol(s_[i])) {
        i += (s_[i] == '\r' && i + 1 < n && s_[i + 1] == '\n') ? 2 : 1;
        ++t_.blank_lines;
        ++line;
        continue;
      }
      Pass p = pass(i, line, true);
      const bool unterminated = p.unterminated;
      if (unterminated) p = pass(i, line, false);
      const bool header = t_.rows.empty();
      // A data row of only empty cells, without a quoting problem, is skipped like a blank line.
      if (!header && !unterminated && p.malformed.empty() &&
          std::all_of(p.cells.begin(), p.cells.end(), [](const std::string& c) { return c.empty(); })) {
        ++t_.blank_lines;
        i = p.next;
        line = p.next_line;
        continue;
      }
      const auto row = static_cast<uint32_t>(header ? 0 : t_.rows.size() - 1);
      t_.rows.push_back(p.cells);
      t_.lines.push_back(line);
      width_issue(row, line);
      if (!header) {
        if (unterminated) t_.issues.push_back({"unterminated_quote", row, line, -1});
        for (uint32_t col : p.malformed)
          t_.issues.push_back({"malformed_quotes", row, line, static_cast<int32_t>(col)});
      }
      i = p.next;
      line = p.next_line;
    }
    return t_;
  }

 private:
  struct Pass {
    std::vector<std::string> cells;
    std::vector<uint32_t> malformed;
    size_t next = 0;
    uint32_t next_line = 0;
    bool unterminated = false;
  };

  Pass pass(size_t i, uint32_t line, bool multiline) const {
    Pass p;
    const size_t n = s_.size();
    for (;;) {
      std::string cell;
      bool bad = false;
      if (i < n && s_[i] == '"') {
        ++i;
        bool spanned = false;
        for (;;) {
          if (i >= n) {
            if (!multiline) {  // the unterminated cell keeps its text up to the end
              bad = true;
              break;
            }
            p.unterminated = true;
            return p;
          }
          const char c = s_[i];
          if (c == '"') {
            if (i + 1 < n && s_[i + 1] == '"') {
              cell.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (is_eol(c)) {
            if (!multiline) {
              bad = true;
              break;
            }
            spanned = true;
            if (c == '\r' && i + 1 < n && s_[i + 1] == '\n') cell.push_back(s_[i++]);
            ++line;
          }
          cell.push_back(s_[i++]);
        }
        if (i < n && s_[i] != d_ && !is_eol(s_[i])) {
          if (spanned) {
            p.unterminated = true;
            return p;
          }
          bad = true;
        }
      }
      while (i < n && s_[i] != d_ && !is_eol(s_[i])) cell.push_back(s_[i++]);
      p.cells.push_back(std::move(cell));
      if (bad && multiline) p.malformed.push_back(static_cast<uint32_t>(p.cells.size() - 1));
      if (i >= n) {
        p.next = n;
        p.next_line = line;
        return p;
      }
      if (s_[i] == d_) {
        ++i;
        continue;
      }
      if (s_[i] == '\r' && i + 1 < n && s_[i + 1] == '\n') ++i;
      p.next = i + 1;
      p.next_line = line + 1;
      return p;
    }
  }

  void width_issue(uint32_t row, uint32_t line) {
    if (t_.rows.size() == 1) return;
    const size_t width = t_.rows[0].size(), count = t_.rows.back().size();
    if (count == width) return;
    if (count < width) {
      t_.issues.push_back({"too_few_cells", row, line, -1});
      return;
    }
    bool extra = false;
    for (size_t k = width; k < count; ++k) extra = extra || !t_.rows.back()[k].empty();
    t_.issues.push_back({extra ? "too_many_cells" : "extra_cells_ignored", row, line, -1});
  }

  std::string_view s_;
  char d_;
  RefTable t_;
};

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
  const RefTable ref = Reference(text, d).run();
  FUZZ_CHECK(rows_of(t) == ref.rows);
  FUZZ_CHECK(t.records.size() == ref.lines.size());
  for (size_t i = 0; i < ref.lines.size(); ++i) FUZZ_CHECK(t.records[i].line == ref.lines[i]);
  FUZZ_CHECK(t.issues.size() == ref.issues.size());
  for (size_t i = 0; i < ref.issues.size(); ++i) {
    const Issue& is = t.issues[i];
    FUZZ_CHECK((RefIssue{is.code, is.row, is.line, is.column} == ref.issues[i]));
  }
  FUZZ_CHECK(t.comment_lines == ref.comment_lines);
  FUZZ_CHECK(t.blank_lines == ref.blank_lines);
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
  auto decoded = decode_to_utf8(bytes);
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
    FUZZ_CHECK(rows_of(raw) == Reference(bytes, other).run().rows);
  }

  ReadOptions o;
  o.delimiter = dialect.delimiter;
  const Table t = read_csv(dec.text, o);
  const uint32_t seed = size ? data[size - 1] : 0;
  check_round_trip(rows_of(t), dialect.delimiter, seed & 1, seed & 2, seed >> 2);
  return 0;
}
