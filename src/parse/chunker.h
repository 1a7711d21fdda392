// Text of any length as a sequence of chunks that each read on their own exactly as the whole text
// reads: cut at record ends found by the one scanner (parse/scanner.h), each later chunk led by a
// copy of the header record and numbered with the file's own lines. Sans-I/O: the caller appends
// decoded text as it arrives and takes chunks out; memory holds at most one chunk plus one record in
// progress (which the scanner's quote bound keeps small).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parse/scanner.h"

namespace canopy {

struct TextChunk {
  size_t index = 0;          // 0-based
  std::string text;          // for index > 0 it starts with the header record
  uint32_t first_line = 1;   // line number of text's first byte (for ReadOptions::first_line)
  uint64_t body_offset = 0;  // offset in the whole text of the first byte after the header copy
  uint64_t end_offset = 0;   // offset in the whole text after the chunk's last byte
};

class Chunker {
 public:
  // A chunk is cut after `chunk_rows` data records, or after the record that reaches `chunk_bytes`.
  // `header_line`: the header is the first record on that line or after it (parse/layout.h chose it);
  // the records above it stay in the first chunk's text, where the session finds the same lines
  // above the header. 0 = the first record.
  // `keep_last`: a cut is made only once that many records after it are read, so the last chunk holds
  // at least that many records (or the whole file): a report footer (parse/layout.h) is then never cut
  // apart, and the last chunk alone decides it. Chunks may then hold up to chunk_rows + keep_last.
  Chunker(ScanRules rules, size_t chunk_rows, size_t chunk_bytes, uint32_t header_line = 0, size_t keep_last = 0);

  void append(std::string_view text);
  void finish();  // no more text will be appended

  // The next chunk into *out; false when more text is needed (before finish()) or at the end.
  bool next(TextChunk* out);
  bool done() const { return done_; }

  // Text not yet handed out (the last cut to what was appended).
  std::string_view pending() const { return pending_; }

  // Comment and blank (or empty-record) lines after the last record: no chunk carries them.
  uint32_t trailing_comment_lines() const { return done_ ? comments_ : 0; }
  uint32_t trailing_blank_lines() const { return done_ ? blanks_ : 0; }

 private:
  void cut(size_t at, TextChunk* out);
  void requote_header();

  ScanRules rules_;
  Scanner scanner_;
  size_t chunk_rows_, chunk_bytes_;
  std::string pending_;  // text from the last cut on
  uint64_t base_ = 0;    // offset of pending_[0] in the whole text
  bool finished_ = false, done_ = false;
  struct End {
    size_t at;      // end of a data record in pending_
    uint32_t line;  // line number there
  };
  std::vector<End> ends_;               // each data record since the last cut
  size_t eligible_ = SIZE_MAX;          // index into ends_ of the record after which the next cut goes
  uint32_t pending_line_ = 1;           // line of pending_[0]
  uint32_t comments_ = 0, blanks_ = 0;  // since the last data record
  bool header_seen_ = false;
  std::string header_;         // the header record, line break included
  uint32_t header_lines_ = 0;  // line breaks in header_
  size_t chunks_ = 0;
  uint32_t header_line_ = 0;
  size_t keep_last_ = 0;
};

}  // namespace canopy
