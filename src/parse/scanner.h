// Where a record ends: the one statement of the parsing rules of SPEC.md ("Parsing"), used by every
// part that needs to know — the reader's slow path, dialect sampling, row counting, the CLI's chunking
// and the CLI's export writer. The reader's SIMD fast path only accepts records on which these rules
// cannot disagree with it; anything else goes through this scanner.
//
// The rules, in order, at the start of a line:
//   - a line break (CRLF, LF or CR) on its own is a blank line;
//   - with comments on, a line whose first character is '#' is a comment line, to its line break;
//   - otherwise a record starts. Cells are separated by the delimiter. A cell whose first character is
//     '"' is quoted: it runs to the next '"' that is not doubled ("" is a quote inside), and may hold
//     delimiters and line breaks. Text after the closing quote runs to the delimiter and is kept
//     (the record is "malformed" and the reader warns). A '"' elsewhere is an ordinary character.
//     The record ends at the first line break outside quotes, or at the end of the input.
//   - A quoted cell is *unterminated* when the input ends inside it, when its raw text (between the
//     opening and the closing quote) would pass kMaxQuotedBytes, when its record would hold more than
//     kMaxRecordLineBreaks line breaks (all of them inside quoted cells), or when it held a line break
//     and text follows its closing quote. The record bound (not a per-cell one) keeps recovery linear:
//     a chain of quoted cells across lines that fails at its end is re-read from the next line, so
//     each failed record costs at most that many lines of look-ahead. The record is then
//     read again as ending at its first line break (quotes still group delimiters within that line),
//     so the lines after it are read as records of their own: one stray quote costs one row, never
//     the rest of the file, and nobody buffers more than the bound.
//   - A record whose cells are all empty (",,," rows under the data) is an empty record; callers skip
//     it like a blank line unless it is the header or carries a quoting problem.
//
// Incremental and sans-I/O: the caller owns the text and feeds what it has; the scanner says "need
// more" when a decision depends on bytes not yet there (a CR that may be a CRLF, a quote that may be
// doubled, a record not yet ended). It never looks before the start of the record it is in, so the
// caller may drop everything before that (shift()).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace canopy {

inline constexpr size_t kMaxQuotedBytes = 256 * 1024;
inline constexpr uint32_t kMaxRecordLineBreaks = 100;

struct ScanRules {
  char delimiter = ',';
  bool comments = true;
};

enum class LineKind : uint8_t {
  record,        // a record with at least one non-empty cell, or a quoting problem
  empty_record,  // a record whose cells are all empty
  blank,         // a line break alone
  comment,       // a '#' line
};

struct ScannedCell {
  uint32_t begin, end;  // raw bytes of the cell, quotes included (relative to the caller's buffer)
  bool quoted;
  bool malformed;  // text after its closing quote
};

struct ScannedRecord {
  LineKind kind = LineKind::blank;
  size_t begin = 0;          // first byte
  size_t body_end = 0;       // end of the record's text (before its line break)
  size_t end = 0;            // after its line break (== body_end at the end of the input)
  uint32_t line = 1;         // line of its first byte
  uint32_t line_breaks = 0;  // line breaks in [begin, end)
  uint32_t cells = 0;        // records: number of cells
  bool unterminated = false;
  bool malformed = false;
};

class Scanner {
 public:
  explicit Scanner(ScanRules rules, uint32_t first_line = 1, size_t start = 0)
      : rules_(rules), pos_(start), line_(first_line) {}

  // Scans data[0, n) from where it stopped. `eof`: nothing follows data[n). Returns true with *out set
  // when a line or record is complete; false when it needs more text (or, with eof, at the end).
  bool next(const char* data, size_t n, bool eof, ScannedRecord* out);

  // Collects the cells of each record into *cells (cleared at each record start); null = don't.
  void collect_cells(std::vector<ScannedCell>* cells) { sink_ = cells; }

  // The caller dropped the first `by` bytes of its buffer (never past the current record's start).
  void shift(size_t by);

  size_t position() const { return pos_; }  // where scanning resumes
  uint32_t line() const { return line_; }   // line number at position()

 private:
  enum class St : uint8_t { record_start, comment, cell_start, unquoted, quoted, after_quote, line_rest };

  void start_record(size_t at);
  void close_cell(size_t at);
  void emit(LineKind kind, size_t body_end, size_t end, ScannedRecord* out);
  bool unterminated(const char* data, size_t n, bool eof, ScannedRecord* out);
  uint32_t split_line(const char* data, size_t from, size_t to);

  // The next position of one byte value at or after a point, found with memchr and remembered, so the
  // line fast path looks at each byte once however the lines are cut (CR-only files, long lines).
  struct NextByte {
    size_t at = SIZE_MAX;  // a known occurrence (valid when >= the position asked about)
    size_t scanned = 0;    // no occurrence in [asked position, scanned) beyond `at`
    size_t find(const char* d, size_t n, size_t from, char c);
    void shift(size_t by);
  };

  ScanRules rules_;
  NextByte lf_, cr_, quote_;
  St st_ = St::record_start;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  // The record in progress.
  size_t rec_begin_ = 0;
  uint32_t rec_line_ = 1;
  uint32_t cells_ = 0;
  bool content_ = false, malformed_ = false, cell_malformed_ = false, cell_quoted_ = false;
  size_t cell_begin_ = 0;
  size_t first_break_ = SIZE_MAX;  // position of the record's first line break (inside quotes)
  size_t q_open_ = 0;              // the opening quote of the quoted cell in progress
  uint32_t q_breaks_ = 0;          // line breaks in the quoted cell in progress
  uint32_t rec_breaks_ = 0;        // line breaks in the record so far
  std::vector<ScannedCell>* sink_ = nullptr;
};

// Length of the first record of `text` (its line break included), e.g. an export's header row.
size_t first_record_length(const char* text, size_t n, const ScanRules& rules);

}  // namespace canopy
