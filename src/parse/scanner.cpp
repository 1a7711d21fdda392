#include "parse/scanner.h"

#include <algorithm>
#include <cstring>

namespace canopy {
namespace {

inline bool is_eol(char c) { return c == '\n' || c == '\r'; }

// After the line break at `at` (CR, LF or CRLF). The caller has made sure a CR at n - 1 is final.
inline size_t eol_end(const char* d, size_t n, size_t at) {
  return (d[at] == '\r' && at + 1 < n && d[at + 1] == '\n') ? at + 2 : at + 1;
}

}  // namespace

size_t Scanner::NextByte::find(const char* d, size_t n, size_t from, char c) {
  if (at != SIZE_MAX && at >= from) return at;
  const size_t start = std::max(from, scanned);
  if (start >= n) return SIZE_MAX;
  if (const void* p = std::memchr(d + start, c, n - start)) {
    at = static_cast<size_t>(static_cast<const char*>(p) - d);
    scanned = at + 1;
    return at;
  }
  at = SIZE_MAX;
  scanned = n;
  return SIZE_MAX;
}

void Scanner::NextByte::shift(size_t by) {
  if (at != SIZE_MAX) at = at >= by ? at - by : SIZE_MAX;
  scanned = scanned >= by ? scanned - by : 0;
}

void Scanner::start_record(size_t at) {
  rec_begin_ = at;
  rec_line_ = line_;
  cells_ = 0;
  content_ = malformed_ = false;
  first_break_ = SIZE_MAX;
  rec_breaks_ = 0;
  cell_begin_ = at;
  cell_quoted_ = cell_malformed_ = false;
  if (sink_) sink_->clear();
}

void Scanner::close_cell(size_t at) {
  ++cells_;
  if (sink_) {
    sink_->push_back(
        ScannedCell{static_cast<uint32_t>(cell_begin_), static_cast<uint32_t>(at), cell_quoted_, cell_malformed_});
  }
  cell_quoted_ = cell_malformed_ = false;
}

void Scanner::emit(LineKind kind, size_t body_end, size_t end, ScannedRecord* out) {
  out->kind = kind;
  out->begin = rec_begin_;
  out->body_end = body_end;
  out->end = end;
  out->line = rec_line_;
  out->line_breaks = line_ - rec_line_;
  out->cells = kind == LineKind::record || kind == LineKind::empty_record ? cells_ : 0;
  out->unterminated = false;
  out->malformed = malformed_ && (kind == LineKind::record);
  pos_ = end;
  st_ = St::record_start;
}

void Scanner::shift(size_t by) {
  pos_ -= by;
  rec_begin_ -= std::min(rec_begin_, by);
  cell_begin_ -= std::min(cell_begin_, by);
  q_open_ -= std::min(q_open_, by);
  if (first_break_ != SIZE_MAX) first_break_ -= by;
  lf_.shift(by);
  cr_.shift(by);
  quote_.shift(by);
}

// The cells of data[from, to) read as one line: a quote at a cell's start groups delimiters up to the
// next undoubled quote or the end of the line; anything after it runs to the delimiter.
uint32_t Scanner::split_line(const char* d, size_t from, size_t to) {
  if (sink_) sink_->clear();
  uint32_t cells = 0;
  size_t i = from;
  for (;;) {
    const size_t cs = i;
    bool quoted = false;
    if (i < to && d[i] == '"') {
      quoted = true;
      ++i;
      while (i < to) {
        if (d[i] == '"') {
          if (i + 1 < to && d[i + 1] == '"') {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
    }
    while (i < to && d[i] != rules_.delimiter) ++i;
    ++cells;
    if (sink_) sink_->push_back(ScannedCell{static_cast<uint32_t>(cs), static_cast<uint32_t>(i), quoted, false});
    if (i >= to) return cells;
    ++i;
  }
}

// The record in progress is unterminated: it ends at its first line break. False: that line break is
// not in the text yet.
bool Scanner::unterminated(const char* d, size_t n, bool eof, ScannedRecord* out) {
  malformed_ = false;
  size_t brk = first_break_;
  if (brk == SIZE_MAX) {
    // No line break in the record so far: the first one after it ends the record.
    size_t e = pos_;
    while (e < n && !is_eol(d[e])) ++e;
    if (e >= n || (d[e] == '\r' && e + 1 >= n && !eof)) {
      pos_ = e;
      st_ = St::line_rest;
      if (e >= n && eof) {
        line_ = rec_line_;
        cells_ = split_line(d, rec_begin_, n);
        emit(LineKind::record, n, n, out);
        out->unterminated = true;
        return true;
      }
      return false;
    }
    brk = e;
  }
  line_ = rec_line_ + 1;
  cells_ = split_line(d, rec_begin_, brk);
  emit(LineKind::record, brk, eol_end(d, n, brk), out);
  out->unterminated = true;
  return true;
}

bool Scanner::next(const char* d, size_t n, bool eof, ScannedRecord* out) {
  const char delim = rules_.delimiter;
  for (;;) {
    switch (st_) {
      case St::record_start: {
        if (pos_ >= n) return false;
        const char c = d[pos_];
        if (is_eol(c)) {
          if (c == '\r' && pos_ + 1 >= n && !eof) return false;
          rec_begin_ = pos_;
          rec_line_ = line_;
          ++line_;
          emit(LineKind::blank, pos_, eol_end(d, n, pos_), out);
          return true;
        }
        if (rules_.comments && c == '#') {
          rec_begin_ = pos_;
          rec_line_ = line_;
          st_ = St::comment;
          continue;
        }
        start_record(pos_);
        // Most records are one line without quotes or CRs: find the line break with memchr and count
        // the cells, instead of walking the line byte by byte.
        const size_t e = lf_.find(d, n, pos_, '\n');
        if (e != SIZE_MAX) {
          const size_t body_end = e > pos_ && d[e - 1] == '\r' ? e - 1 : e;
          const size_t len = body_end - pos_;
          const size_t q = quote_.find(d, n, pos_, '"');
          const size_t r = cr_.find(d, n, pos_, '\r');
          if ((q == SIZE_MAX || q >= body_end) && (r == SIZE_MAX || r >= body_end)) {
            if (sink_) {
              cells_ = split_line(d, pos_, body_end);
            } else {
              cells_ = static_cast<uint32_t>(std::count(d + pos_, d + body_end, delim)) + 1;
            }
            content_ = len > cells_ - 1;  // anything but delimiters
            ++line_;
            emit(content_ ? LineKind::record : LineKind::empty_record, body_end, e + 1, out);
            return true;
          }
        }
        st_ = St::cell_start;
        continue;
      }
      case St::comment: {
        size_t e = pos_;
        while (e < n && !is_eol(d[e])) ++e;
        if (e >= n) {
          pos_ = e;
          if (!eof) return false;
          emit(LineKind::comment, n, n, out);
          return true;
        }
        if (d[e] == '\r' && e + 1 >= n && !eof) {
          pos_ = e;
          return false;
        }
        ++line_;
        emit(LineKind::comment, e, eol_end(d, n, e), out);
        return true;
      }
      case St::cell_start:
        cell_begin_ = pos_;
        if (pos_ >= n) {
          if (!eof) return false;
          close_cell(n);
          emit(content_ ? LineKind::record : LineKind::empty_record, n, n, out);
          return true;
        }
        if (d[pos_] == '"') {
          cell_quoted_ = true;
          q_open_ = pos_;
          q_breaks_ = 0;
          ++pos_;
          st_ = St::quoted;
        } else {
          st_ = St::unquoted;
        }
        continue;
      case St::unquoted: {
        size_t e = pos_;
        while (e < n && d[e] != delim && !is_eol(d[e])) ++e;
        if (e > pos_) content_ = true;
        if (e >= n) {
          pos_ = e;
          if (!eof) return false;
          close_cell(n);
          emit(content_ || malformed_ ? LineKind::record : LineKind::empty_record, n, n, out);
          return true;
        }
        if (d[e] == delim) {
          close_cell(e);
          pos_ = e + 1;
          st_ = St::cell_start;
          continue;
        }
        if (d[e] == '\r' && e + 1 >= n && !eof) {
          pos_ = e;
          return false;
        }
        close_cell(e);
        ++line_;
        emit(content_ || malformed_ ? LineKind::record : LineKind::empty_record, e, eol_end(d, n, e), out);
        return true;
      }
      case St::quoted: {
        // Raw text may run to q_open_ + 1 + kMaxQuotedBytes (exclusive); the closing quote may sit there.
        const size_t limit = q_open_ + 1 + kMaxQuotedBytes;
        size_t i = pos_;
        for (;;) {
          if (i >= n) {
            pos_ = i;
            if (eof) return unterminated(d, n, eof, out);
            if (i > limit) return unterminated(d, n, eof, out);
            return false;
          }
          const char c = d[i];
          if (c == '"') {
            if (i + 1 >= n && !eof) {
              pos_ = i;
              return false;  // a closing quote or the first of a doubled one?
            }
            if (i + 1 < n && d[i + 1] == '"') {
              if (i + 2 > limit) {
                pos_ = i;
                return unterminated(d, n, eof, out);
              }
              content_ = true;
              i += 2;
              continue;
            }
            pos_ = i + 1;
            st_ = St::after_quote;
            break;
          }
          if (i + 1 > limit) {
            pos_ = i;
            return unterminated(d, n, eof, out);
          }
          content_ = true;
          if (is_eol(c)) {
            if (c == '\r' && i + 1 >= n && !eof) {
              pos_ = i;
              return false;
            }
            const size_t e = eol_end(d, n, i);
            ++q_breaks_;
            if (e > limit || ++rec_breaks_ > kMaxRecordLineBreaks) {
              pos_ = i;
              return unterminated(d, n, eof, out);
            }
            if (first_break_ == SIZE_MAX) first_break_ = i;
            ++line_;
            i = e;
            continue;
          }
          ++i;
        }
        continue;
      }
      case St::after_quote: {
        if (pos_ >= n) {
          if (!eof) return false;
          close_cell(n);
          emit(content_ || malformed_ ? LineKind::record : LineKind::empty_record, n, n, out);
          return true;
        }
        const char c = d[pos_];
        if (c != delim && !is_eol(c)) {
          if (q_breaks_ > 0) return unterminated(d, n, eof, out);
          malformed_ = cell_malformed_ = true;
        }
        st_ = St::unquoted;
        continue;
      }
      case St::line_rest: return unterminated(d, n, eof, out);
    }
  }
}

size_t first_record_length(const char* text, size_t n, const ScanRules& rules) {
  Scanner s(rules);
  ScannedRecord r;
  while (s.next(text, n, true, &r)) {
    if (r.kind == LineKind::record || r.kind == LineKind::empty_record) return r.end;
  }
  return n;
}

}  // namespace canopy
