#include "parse/reader.h"

#include <cstring>
#include <string_view>

#include "core/messages.h"
#include "core/simd.h"
#include "parse/scanner.h"

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
        if (!make_cell(field_start, at, nq, &cell) || (nq && first_bad < at) ||
            (nq &&
             past_bounds(field_start, at,
                         line + breaks_before + simd::popcount64(breaks & ((uint64_t{1} << bit) - 1)) - rec_line))) {
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
      const uint64_t nq = count_quotes(field_start, n_);
      if (first_bad != SIZE_MAX || !make_cell(field_start, n_, nq, &cell) ||
          (nq && past_bounds(field_start, n_, line + breaks_before - rec_line))) {
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

  // A quoted cell the scanner may call unterminated (longer than its bound, or in a record that spans
  // more line breaks than a record may hold): the slow path decides.
  static bool past_bounds(size_t from, size_t to, uint64_t record_breaks) {
    return to - from > kMaxQuotedBytes + 2 || record_breaks > kMaxRecordLineBreaks;
  }

  uint64_t count_quotes(size_t from, size_t to) const {
    uint64_t k = 0;
    for (size_t i = from; i < to; ++i) k += data_[i] == '"';
    return k;
  }

  // One record the fast path found unusual, read by the scanner (parse/scanner.h: the rules, once):
  // text after a closing quote is kept (malformed_quotes); an unterminated quote is reported and the
  // record re-read as ending at its first line break.
  void scalar(size_t start, uint32_t line, size_t* out_pos, uint32_t* out_line) {
    Scanner scanner(ScanRules{options_.delimiter, options_.comments}, line, start);
    scanner.collect_cells(&pieces_);
    ScannedRecord rec;
    while (scanner.next(data_, n_, true, &rec)) {
      if (rec.kind == LineKind::blank) {
        ++table_.blank_lines;
        continue;
      }
      if (rec.kind == LineKind::comment) {
        ++table_.comment_lines;
        continue;
      }
      const auto first = static_cast<uint32_t>(table_.cells.size());
      const auto row = static_cast<uint32_t>(table_.records.size() ? table_.records.size() - 1 : 0);
      for (const ScannedCell& pc : pieces_) table_.cells.push_back(commit(pc));
      const bool is_header = table_.records.empty();
      const bool kept = finish_record(first, rec.line, !rec.unterminated && !rec.malformed);
      if (!is_header && kept) {
        if (rec.unterminated) add_issue("unterminated_quote", row, rec.line, {std::to_string(rec.line)});
        for (size_t col = 0; col < pieces_.size(); ++col) {
          if (!pieces_[col].malformed) continue;
          std::string shown(cell_text(table_.cells[first + col]));
          add_issue("malformed_quotes", row, rec.line, {"\"" + shown + "\""}, static_cast<int32_t>(col));
        }
      }
      break;
    }
    *out_pos = scanner.position();
    *out_line = scanner.line();
  }

  // Writes the unescaped value of a raw piece into its own bytes and returns the cell.
  Cell commit(const ScannedCell& pc) {
    if (!pc.quoted) return Cell{pc.begin, pc.end - pc.begin};
    char* w = data_ + pc.begin;
    const char* r = data_ + pc.begin + 1;
    const char* end = data_ + pc.end;
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
    return Cell{pc.begin, static_cast<uint32_t>(w - (data_ + pc.begin))};
  }

  std::string_view cell_text(const Cell& c) const { return std::string_view(data_ + c.offset, c.length); }

  ReadOptions options_;
  Table table_;
  std::vector<ScannedCell> pieces_;  // the scanner's cells of the record on the slow path
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
  // The scanner's rules, without storing anything: used only to name the figure in the too_many_rows
  // message. Like the reader, a data record of only empty cells is not counted.
  Scanner scanner(ScanRules{delimiter, comments});
  ScannedRecord rec;
  size_t records = 0;
  while (scanner.next(text.data(), text.size(), true, &rec)) {
    if (rec.kind == LineKind::record || (rec.kind == LineKind::empty_record && first_is_header && records == 0)) {
      ++records;
    }
  }
  return records;
}

namespace {

// Line breaks as the reader counts them: LF, CRLF and a lone CR are one each.
uint32_t line_breaks(std::string_view s) {
  uint32_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++n;
  }
  return n;
}

}  // namespace

void number_records_by_sheet_row(Table& table) {
  std::vector<uint32_t> shift(table.records.size(), 0);
  uint32_t extra = 0;
  for (size_t r = 0; r < table.records.size(); ++r) {
    shift[r] = extra;
    table.records[r].line -= extra;
    for (uint32_t c = 0; c < table.records[r].cell_count; ++c) {
      extra += line_breaks(table.cell(static_cast<uint32_t>(r), c));
    }
  }
  for (Issue& is : table.issues) {
    if (is.row == kNoRow || is.line == 0 || size_t{is.row} + 1 >= shift.size()) continue;
    is.line -= shift[is.row + 1];
  }
}

}  // namespace canopy
