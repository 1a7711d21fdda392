#include "parse/reader.h"

#include <cstring>
#include <string_view>

#include "core/messages.h"
#include "core/simd.h"

namespace canopy {
namespace {

constexpr size_t kBlock = 64;

inline bool is_eol(char c) { return c == '\n' || c == '\r'; }

class Reader {
 public:
  Reader(std::string text, const ReadOptions& options) : options_(options) {
    table_.text = std::move(text);
    data_ = table_.text.data();
    n_ = table_.text.size();
    table_.cells.reserve(n_ / 12 + 16);
    table_.records.reserve(n_ / 64 + 4);
  }

  Table run(bool* truncated) {
    size_t pos = 0;
    const uint32_t first_line = options_.first_line ? options_.first_line : 1;
    uint32_t line = first_line;
    bool stopped = false;
    while (pos < n_ && !stopped) {
      fast(pos, line, &pos, &line, &stopped);
    }
    if (stopped) table_.stopped_at = pos;
    table_.lines = line - (first_line - 1) - (n_ > 0 && is_eol(data_[n_ - 1]) ? 1 : 0);
    if (n_ == 0) table_.lines = 0;
    if (truncated) *truncated = stopped;
    return std::move(table_);
  }

 private:
  bool limit_reached() const { return options_.max_records && table_.records.size() >= options_.max_records; }

  // Skips '#' comment lines at a record start. Returns the new position; counts lines.
  size_t skip_comments(size_t pos, uint32_t* line) {
    while (options_.comments && pos < n_ && data_[pos] == '#') {
      size_t e = pos;
      while (e < n_ && !is_eol(data_[e])) ++e;
      ++table_.comment_lines;
      if (e < n_) {
        e += (data_[e] == '\r' && e + 1 < n_ && data_[e + 1] == '\n') ? 2 : 1;
        ++*line;
      }
      pos = e;
    }
    return pos;
  }

  // Closes a record whose cells are table_.cells[first..] and checks its width against the header.
  // Closes a record. A data record whose cells are all empty (",,,," rows that spreadsheets leave
  // under the data) is skipped and counted like a blank line, unless it carries a quoting problem.
  // Returns whether the record was kept.
  bool finish_record(uint32_t first, uint32_t line, bool may_skip = true) {
    auto count = static_cast<uint32_t>(table_.cells.size() - first);
    if (may_skip && !table_.records.empty()) {
      bool empty = true;
      for (uint32_t i = first; i < first + count && empty; ++i) empty = (table_.cells[i].length & ~Cell::kEscaped) == 0;
      if (empty) {
        table_.cells.resize(first);
        ++table_.blank_lines;
        return false;
      }
    }
    table_.records.push_back(Record{first, count, line});
    if (table_.records.size() == 1) return true;  // the header defines the width
    const uint32_t width = table_.records[0].cell_count;
    if (count == width) return true;
    const auto row = static_cast<uint32_t>(table_.records.size() - 2);
    std::string have = std::to_string(count), want = std::to_string(width);
    if (count < width) {
      add_issue("too_few_cells", row, line, {have, want});
      return true;
    }
    bool extra_nonempty = false;
    for (uint32_t i = width; i < count; ++i) {
      if (table_.cells[first + i].length & ~Cell::kEscaped) extra_nonempty = true;
    }
    add_issue(extra_nonempty ? "too_many_cells" : "extra_cells_ignored", row, line, {have, want});
    return true;
  }

  void add_issue(const char* code, uint32_t row, uint32_t line, std::initializer_list<std::string_view> args,
                 int32_t column = -1) {
    Issue is;
    is.code = code;
    const MessageEntry* m = find_message(code);
    is.severity = m ? m->severity : Severity::error;
    is.row = row;
    is.line = line;
    is.column = column;
    for (std::string_view v : args) append_arg(is.args, v);
    table_.issues.push_back(std::move(is));
  }

  // The SIMD path. Processes records from `pos` until the end of input, a record limit, or an anomaly
  // (then it runs the scalar path for that one record and returns so the caller restarts here).
  void fast(size_t pos, uint32_t line, size_t* out_pos, uint32_t* out_line, bool* stopped) {
    if (limit_reached()) {
      *stopped = true;
      *out_pos = pos;
      *out_line = line;
      return;
    }
    pos = skip_comments(pos, &line);
    if (pos >= n_) {
      *out_pos = pos;
      *out_line = line;
      return;
    }
    const uint8_t delim = static_cast<uint8_t>(options_.delimiter);
    size_t rec_start = pos, field_start = pos;
    uint32_t rec_line = line;
    auto rec_first = static_cast<uint32_t>(table_.cells.size());
    uint64_t inside_carry = 0;   // all ones when the block starts inside quotes
    uint64_t quotes_before = 0;  // quotes seen from `pos` to the block start
    uint64_t q_field_start = 0;  // quotes seen from `pos` to field_start
    uint64_t breaks_before = 0;  // line breaks from `pos` to the block start
    size_t skip_lf = SIZE_MAX;   // position of the LF of a CRLF that ended a record
    // Quote placement, checked on the masks: a closing quote must be followed by a quote (a doubled
    // quote), a delimiter, a line break or the end; an opening quote must follow a closing quote, a
    // delimiter, a line break or the record start. Where both hold, every quoted cell is "…" with only
    // doubled quotes inside, so no byte of it needs to be looked at. The first violation sends its
    // record through the scalar path.
    uint64_t precede_carry = 1;  // the byte before `pos` counts as a record start
    size_t first_bad = SIZE_MAX;
    uint8_t tail[kBlock];

    for (size_t bs = pos; bs < n_; bs += kBlock) {
      const uint8_t* p = reinterpret_cast<const uint8_t*>(data_) + bs;
      const size_t avail = n_ - bs;
      if (avail < kBlock) {
        std::memset(tail, 0, kBlock);
        std::memcpy(tail, p, avail);
        p = tail;
      }
      simd::Block b(p);
      const uint64_t quote = b.eq('"');
      const uint64_t nl = b.eq('\n');
      const uint64_t cr = b.eq('\r');
      const uint64_t dl = b.eq(delim);
      const uint64_t inside = simd::prefix_xor(quote) ^ inside_carry;
      inside_carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
      const bool next_is_lf = bs + kBlock < n_ && data_[bs + kBlock] == '\n';
      const uint64_t breaks = nl | (cr & ~((nl >> 1) | (static_cast<uint64_t>(next_is_lf) << 63)));
      uint64_t structural = (dl | nl | cr) & ~inside;
      if (avail < kBlock) structural &= (uint64_t{1} << avail) - 1;
      {
        const uint64_t separators = dl | nl | cr;
        const uint64_t closing = quote & ~inside, opening = quote & inside;
        uint64_t next_ok = 1;  // past the end counts as fine
        if (bs + kBlock < n_) {
          const char nx = data_[bs + kBlock];
          next_ok = nx == '"' || nx == static_cast<char>(delim) || nx == '\n' || nx == '\r';
        }
        const uint64_t follow = ((quote | separators) >> 1) | (next_ok << 63);
        const uint64_t precede = ((closing | separators) << 1) | precede_carry;
        precede_carry = ((closing | separators) >> 63) & 1;
        const uint64_t bad = (closing & ~follow) | (opening & ~precede);
        if (bad && first_bad == SIZE_MAX) first_bad = bs + static_cast<size_t>(simd::ctz64(bad));
      }

      while (structural) {
        const int bit = simd::ctz64(structural);
        structural &= structural - 1;
        const size_t at = bs + static_cast<size_t>(bit);
        const char c = data_[at];
        const bool eol = c != static_cast<char>(delim);
        const uint64_t q_at = quotes_before + simd::popcount64(quote & ((uint64_t{1} << bit) - 1));
        if (eol && at == rec_start && table_.cells.size() == rec_first) {
          // An empty line, or the LF of a CRLF that ended the previous record.
          if (at != skip_lf) ++table_.blank_lines;
          rec_start = field_start = at + 1;
          q_field_start = q_at;
          rec_line =
              static_cast<uint32_t>(line + breaks_before + simd::popcount64(breaks & ((uint64_t{2} << bit) - 1)));
          if (c == '\r' && at + 1 < n_ && data_[at + 1] == '\n') skip_lf = at + 1;
          if (options_.comments && rec_start < n_ && data_[rec_start] == '#') {
            *out_pos = rec_start;
            *out_line = rec_line;
            return;
          }
          continue;
        }
        // The cell [field_start, at): count its quotes to see whether it is plain, simply quoted, or odd.
        const uint64_t nq = q_at - q_field_start;
        Cell cell;
        if (!make_cell(field_start, at, nq, &cell) || (nq && first_bad < at)) {
          table_.cells.resize(rec_first);
          scalar(rec_start, rec_line, out_pos, out_line);
          return;
        }
        table_.cells.push_back(cell);
        field_start = at + 1;
        q_field_start = q_at;
        if (!eol) continue;
        if (first_bad < at) {
          table_.cells.resize(rec_first);
          scalar(rec_start, rec_line, out_pos, out_line);
          return;
        }
        finish_record(rec_first, rec_line);
        rec_first = static_cast<uint32_t>(table_.cells.size());
        rec_start = field_start = at + 1;
        // Line of at + 1. For a CRLF the break is counted at its LF, which the branch above handles.
        rec_line = static_cast<uint32_t>(line + breaks_before + simd::popcount64(breaks & ((uint64_t{2} << bit) - 1)));
        if (c == '\r' && at + 1 < n_ && data_[at + 1] == '\n') skip_lf = at + 1;
        if (limit_reached()) {
          *stopped = true;
          *out_pos = at + 1;
          *out_line = rec_line;
          return;
        }
        if (options_.comments && rec_start < n_ && data_[rec_start] == '#') {
          *out_pos = rec_start;
          *out_line = rec_line;
          return;
        }
        if (c == '\r' && at + 1 < n_ && data_[at + 1] == '\n' && options_.comments && at + 2 < n_ &&
            data_[at + 2] == '#') {
          *out_pos = at + 2;
          *out_line = rec_line + 1;
          return;
        }
      }
      quotes_before += simd::popcount64(quote);
      breaks_before += simd::popcount64(breaks);
    }

    // End of input inside a record (no final line break) or inside quotes.
    if (inside_carry) {
      table_.cells.resize(rec_first);
      scalar(rec_start, rec_line, out_pos, out_line);
      return;
    }
    if (rec_start < n_ || table_.cells.size() > rec_first) {
      Cell cell;
      if (first_bad != SIZE_MAX || !make_cell(field_start, n_, count_quotes(field_start, n_), &cell)) {
        table_.cells.resize(rec_first);
        scalar(rec_start, rec_line, out_pos, out_line);
        return;
      }
      table_.cells.push_back(cell);
      finish_record(rec_first, rec_line);
    }
    *out_pos = n_;
    *out_line = static_cast<uint32_t>(line + breaks_before);
  }

  // The cell [from, to) holding `nq` quotes: plain, or "…" with the outer quotes stripped and the
  // doubled-quote flag set when more quotes are inside. False when the quotes do not wrap the cell.
  bool make_cell(size_t from, size_t to, uint64_t nq, Cell* out) const {
    *out = Cell{static_cast<uint32_t>(from), static_cast<uint32_t>(to - from)};
    if (!nq) return true;
    const bool wrapped = to - from >= 2 && data_[from] == '"' && data_[to - 1] == '"';
    if (!wrapped || (nq & 1)) return false;
    out->offset += 1;
    out->length -= 2;
    if (nq > 2) out->length |= Cell::kEscaped;
    return true;
  }

  uint64_t count_quotes(size_t from, size_t to) const {
    uint64_t k = 0;
    for (size_t i = from; i < to; ++i) k += data_[i] == '"';
    return k;
  }

  // The lenient state machine for one record that the fast path found unusual. Quotes open a cell only
  // at its start; "" inside quotes is a quote; text after a closing quote is kept (malformed_quotes);
  // a quote that is never closed (or whose cell swallows line breaks and then turns malformed) is
  // reported as unterminated_quote and the record is re-read as ending at its first line break.
  void scalar(size_t start, uint32_t line, size_t* out_pos, uint32_t* out_line) {
    const auto first = static_cast<uint32_t>(table_.cells.size());
    const auto row = static_cast<uint32_t>(table_.records.size() ? table_.records.size() - 1 : 0);
    ScalarResult r = scalar_pass(start, line, true);
    if (r.unterminated) {
      table_.cells.resize(first);
      r = scalar_pass(start, line, false);
      r.unterminated = true;
    }
    // Now commit: unescape into place, cell by cell (each output never passes its input).
    for (size_t i = 0; i < r.cells.size(); ++i) table_.cells.push_back(commit(r.cells[i]));
    const bool is_header = table_.records.empty();
    const bool kept = finish_record(first, line, !r.unterminated && r.malformed.empty());
    if (!is_header && kept) {
      if (r.unterminated) add_issue("unterminated_quote", row, line, {std::to_string(line)});
      for (uint32_t col : r.malformed) {
        std::string shown(cell_text(table_.cells[first + col]));
        add_issue("malformed_quotes", row, line, {"\"" + shown + "\""}, static_cast<int32_t>(col));
      }
    }
    *out_pos = r.next;
    *out_line = r.next_line;
  }

  struct Piece {
    uint32_t from, to;  // raw byte range of the cell (including quotes)
    bool quoted;
  };
  struct ScalarResult {
    std::vector<Piece> cells;
    std::vector<uint32_t> malformed;
    size_t next = 0;
    uint32_t next_line = 0;
    bool unterminated = false;
  };

  ScalarResult scalar_pass(size_t start, uint32_t line, bool multiline) const {
    ScalarResult r;
    const char d = options_.delimiter;
    size_t i = start;
    uint32_t ln = line;
    for (;;) {
      const size_t cs = i;
      bool quoted = false, bad = false;
      if (i < n_ && data_[i] == '"') {
        quoted = true;
        ++i;
        bool spanned = false;
        for (;;) {
          if (i >= n_) {
            if (!multiline) {  // keep the cell's text, as when the line ends (not drop the last cell)
              bad = true;
              break;
            }
            r.unterminated = true;
            r.next = n_;
            r.next_line = ln;
            return r;
          }
          const char c = data_[i];
          if (c == '"') {
            if (i + 1 < n_ && data_[i + 1] == '"') {
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (is_eol(c)) {
            if (!multiline) {
              bad = true;  // unterminated on this line: stop the cell here
              break;
            }
            spanned = true;
            if (c == '\r' && i + 1 < n_ && data_[i + 1] == '\n') ++i;
            ++ln;
          }
          ++i;
        }
        // After the closing quote: text up to the delimiter is kept, but flagged.
        if (i < n_ && data_[i] != d && !is_eol(data_[i])) {
          if (spanned) {
            r.unterminated = true;
            return r;
          }
          bad = true;
        }
      }
      while (i < n_ && data_[i] != d && !is_eol(data_[i])) ++i;
      r.cells.push_back(Piece{static_cast<uint32_t>(cs), static_cast<uint32_t>(i), quoted});
      if (bad && multiline) r.malformed.push_back(static_cast<uint32_t>(r.cells.size() - 1));
      if (i >= n_) {
        r.next = n_;
        r.next_line = ln;
        return r;
      }
      if (data_[i] == d) {
        ++i;
        continue;
      }
      // End of record.
      if (data_[i] == '\r' && i + 1 < n_ && data_[i + 1] == '\n') ++i;
      r.next = i + 1;
      r.next_line = ln + 1;
      return r;
    }
  }

  // Writes the unescaped value of a raw piece into its own bytes and returns the cell.
  Cell commit(const Piece& pc) {
    if (!pc.quoted) return Cell{pc.from, pc.to - pc.from};
    char* w = data_ + pc.from;
    const char* r = data_ + pc.from + 1;
    const char* end = data_ + pc.to;
    bool in_quotes = true;
    while (r < end) {
      const char c = *r;
      if (in_quotes && c == '"') {
        if (r + 1 < end && r[1] == '"') {
          *w++ = '"';
          r += 2;
          continue;
        }
        in_quotes = false;
        ++r;
        continue;
      }
      *w++ = c;
      ++r;
    }
    return Cell{pc.from, static_cast<uint32_t>(w - (data_ + pc.from))};
  }

  std::string_view cell_text(const Cell& c) const { return std::string_view(data_ + c.offset, c.length); }

  ReadOptions options_;
  Table table_;
  char* data_ = nullptr;
  size_t n_ = 0;
};

}  // namespace

void Table::unescape(Cell& c) const {
  const uint32_t length = c.length & ~Cell::kEscaped;
  char* p = text.data() + c.offset;
  char* end = p + length;
  char* q = simd::find_byte(p, end, '"');
  c.length = length;
  if (!q) return;
  char* w = q + 1;  // keep the first quote of the pair
  char* r = q + 2;  // skip the second
  while (r < end) {
    char* next = simd::find_byte(r, end, '"');
    const char* seg_end = next ? next + 1 : end;  // up to and including the quote that stays
    const size_t n = static_cast<size_t>(seg_end - r);
    std::memmove(w, r, n);
    w += n;
    if (!next) break;
    r = next + 2;
  }
  c.length = static_cast<uint32_t>(w - p);
}

Table read_csv(std::string text, const ReadOptions& options, bool* truncated) {
  Reader r(std::move(text), options);
  return r.run(truncated);
}

size_t count_records(std::string_view text, char delimiter, bool comments, bool first_is_header) {
  // Same rules as the reader, without storing anything: used only to name the figure in the
  // too_many_rows message. Like the reader, a data record of only empty cells is not counted.
  size_t records = 0, i = 0;
  const size_t n = text.size();
  const char* s = text.data();
  while (i < n) {
    if (s[i] == '\n' || s[i] == '\r') {
      ++i;
      continue;
    }
    if (comments && s[i] == '#') {
      while (i < n && s[i] != '\n' && s[i] != '\r') ++i;
      continue;
    }
    const size_t start = i;
    bool in_quotes = false, at_cell_start = true, spanned = false, unterminated = false, content = false;
    while (i < n) {
      const char c = s[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < n && s[i + 1] == '"') {
            content = true;
            ++i;
          } else {
            in_quotes = false;
            // Text after a quoted cell that swallowed line breaks: unterminated, as in the reader.
            const char next = i + 1 < n ? s[i + 1] : delimiter;
            if (spanned && next != delimiter && next != '\n' && next != '\r') {
              unterminated = true;
              break;
            }
          }
        } else {
          content = true;
          if (c == '\n' || c == '\r') spanned = true;
        }
      } else if (c == '"' && at_cell_start) {
        in_quotes = true;
        spanned = false;
      } else if (c == delimiter) {
        at_cell_start = true;
        ++i;
        continue;
      } else if (c == '\n' || c == '\r') {
        break;
      } else {
        content = true;
      }
      at_cell_start = false;
      ++i;
    }
    if (unterminated || in_quotes) {
      // The reader re-reads a record with an unterminated quote as ending at its first line break.
      i = start;
      while (i < n && s[i] != '\n' && s[i] != '\r') ++i;
      content = true;  // kept by the reader: it carries a quoting problem
    }
    if (content || (first_is_header && records == 0)) ++records;
  }
  return records;
}

}  // namespace canopy
