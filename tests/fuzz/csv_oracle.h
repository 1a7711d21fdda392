// The parsing rules of SPEC.md ("Parsing") written out a second time, for the fuzz targets and the unit
// tests to check the reader, the scanner and the chunker against. It shares no code with src/parse/ and
// is written for clarity, not speed: a whole text in, every record's cells as strings out.
//
// The rules (SPEC.md, with the bounds the reader documents in docs/parsing.md):
//  1. Lines end with CRLF, LF or CR. At the start of a line: a line break alone is a blank line; a '#'
//     (comments on) starts a comment line that runs to its line break; anything else starts a record.
//  2. A record is cells separated by the delimiter, ending at a line break outside quotes or at the end.
//     A cell that begins with '"' is quoted: up to the next '"' not followed by another '"' ("" stands
//     for one quote); delimiters and line breaks inside are text. After the closing quote, text up to
//     the next delimiter or line break is kept as is (a malformed_quotes warning for that cell). A '"'
//     anywhere else is an ordinary character.
//  3. A quoted cell is unterminated when the text ends inside it, when the text between its quotes
//     would hold more than 262,144 bytes, when its record would hold more than 100 line breaks, or
//     when it holds a line break and text follows its closing quote. Then the record is only its first line: cells
//     split at delimiters, a quote at a cell's start grouping up to the next single quote or the line's end
//     (unterminated_quote, naming the line).
//  4. A record after the first whose cells are all empty and that has no quoting problem is skipped
//     and counted as a blank line. The first record is the header.
//  5. Data rows narrower than the header: too_few_cells; wider: too_many_cells, or extra_cells_ignored
//     when the extra cells are all empty.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace canopy_oracle {

constexpr size_t kQuotedBytes = 262144;
constexpr size_t kRecordBreaks = 100;

struct Issue {
  std::string code;
  uint32_t row, line;
  int32_t column;  // -1: the whole row
  bool operator==(const Issue& o) const {
    return code == o.code && row == o.row && line == o.line && column == o.column;
  }
};

struct Result {
  std::vector<std::vector<std::string>> rows;  // rows[0]: the header
  std::vector<uint32_t> lines;                 // each row's first line
  std::vector<Issue> issues;
  uint32_t comment_lines = 0, blank_lines = 0;
};

inline Result read(std::string_view t, char delim, bool comments = true) {
  Result out;
  const size_t n = t.size();
  auto eol_at = [&](size_t i) { return i < n && (t[i] == '\n' || t[i] == '\r'); };
  auto break_len = [&](size_t i) -> size_t { return t[i] == '\r' && i + 1 < n && t[i + 1] == '\n' ? 2 : 1; };

  size_t at = 0;
  uint32_t line = 1;
  while (at < n) {
    if (eol_at(at)) {
      ++out.blank_lines;
      at += break_len(at);
      ++line;
      continue;
    }
    if (comments && t[at] == '#') {
      ++out.comment_lines;
      while (at < n && !eol_at(at)) ++at;
      if (at < n) {
        at += break_len(at);
        ++line;
      }
      continue;
    }

    // Rule 2: the record as RFC 4180 reads it, or `failed` (rule 3).
    std::vector<std::string> cells;
    std::vector<int32_t> malformed;
    bool failed = false;
    size_t i = at;
    uint32_t breaks = 0;  // line breaks inside the record
    for (;;) {
      std::string cell;
      if (i < n && t[i] == '"') {
        size_t raw = 0, inner_breaks = 0;
        ++i;
        bool closed = false;
        while (i < n) {
          if (t[i] == '"' && i + 1 < n && t[i + 1] == '"') {
            cell += '"';
            i += 2;
            raw += 2;
          } else if (t[i] == '"') {
            ++i;
            closed = true;
            break;
          } else if (eol_at(i)) {
            const size_t k = break_len(i);
            cell.append(t.substr(i, k));
            i += k;
            raw += k;
            ++inner_breaks;
          } else {
            cell += t[i];
            ++i;
            ++raw;
          }
          if (raw > kQuotedBytes || breaks + inner_breaks > kRecordBreaks) break;
        }
        if (!closed || raw > kQuotedBytes || breaks + inner_breaks > kRecordBreaks) {
          failed = true;
          break;
        }
        breaks += static_cast<uint32_t>(inner_breaks);
        if (i < n && t[i] != delim && !eol_at(i)) {
          if (inner_breaks > 0) {
            failed = true;
            break;
          }
          malformed.push_back(static_cast<int32_t>(cells.size()));
        }
      }
      while (i < n && t[i] != delim && !eol_at(i)) cell += t[i++];
      cells.push_back(cell);
      if (i < n && t[i] == delim) {
        ++i;
        continue;
      }
      break;
    }
    size_t next;
    uint32_t next_line;
    if (!failed) {
      next = i < n ? i + break_len(i) : n;
      next_line = line + breaks + (i < n ? 1 : 0);
    } else {
      // Rule 3: only the first line.
      size_t e = at;
      while (e < n && !eol_at(e)) ++e;
      cells.clear();
      malformed.clear();
      size_t j = at;
      for (;;) {
        std::string cell;
        if (j < e && t[j] == '"') {
          ++j;
          while (j < e) {
            if (t[j] == '"' && j + 1 < e && t[j + 1] == '"') {
              cell += '"';
              j += 2;
            } else if (t[j] == '"') {
              ++j;
              break;
            } else {
              cell += t[j++];
            }
          }
        }
        while (j < e && t[j] != delim) cell += t[j++];
        cells.push_back(cell);
        if (j < e) {
          ++j;
          continue;
        }
        break;
      }
      next = e < n ? e + break_len(e) : n;
      next_line = line + (e < n ? 1 : 0);
    }

    bool all_empty = true;
    for (const std::string& c : cells) all_empty = all_empty && c.empty();
    if (!out.rows.empty() && all_empty && !failed && malformed.empty()) {
      ++out.blank_lines;  // rule 4
    } else {
      out.rows.push_back(cells);
      out.lines.push_back(line);
      if (out.rows.size() > 1) {
        const auto row = static_cast<uint32_t>(out.rows.size() - 2);
        const size_t width = out.rows[0].size();
        if (cells.size() < width) out.issues.push_back({"too_few_cells", row, line, -1});
        if (cells.size() > width) {
          bool extra = false;
          for (size_t k = width; k < cells.size(); ++k) extra = extra || !cells[k].empty();
          out.issues.push_back({extra ? "too_many_cells" : "extra_cells_ignored", row, line, -1});
        }
        if (failed) out.issues.push_back({"unterminated_quote", row, line, -1});
        for (int32_t col : malformed) out.issues.push_back({"malformed_quotes", row, line, col});
      }
    }
    at = next;
    line = next_line;
  }
  return out;
}

}  // namespace canopy_oracle
