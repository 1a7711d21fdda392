// Chunked reading equals whole reading, whatever the chunk size and however the text arrives.
//
// The input chooses a delimiter, the comment rule, the chunk size (rows and bytes) and the sizes of the
// pieces the text arrives in; the rest is the text. A 0x01 byte marks a segment to repeat (up to about
// 280 KB of text, or 120 times a segment with a line break), so the bounds (256 KiB a quoted cell,
// 100 line breaks a record) are crossed too. Checks:
//  - the reader agrees with the oracle (csv_oracle.h: SPEC.md's rules written out independently);
//  - the scanner fed piece by piece finds the same lines and records as over the whole text;
//  - the chunker's chunks, each read on its own, give the whole file's rows, lines, issues and
//    comment / blank counts (the CLI reads any file this way).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "csv_oracle.h"
#include "fuzz_check.h"
#include "parse/chunker.h"
#include "parse/reader.h"
#include "parse/scanner.h"

using namespace canopy;

namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Read {
  Rows rows;  // data rows only
  std::vector<uint32_t> lines;
  std::vector<canopy_oracle::Issue> issues;  // rows numbered in the whole file
  std::vector<std::string> header;
  uint32_t comments = 0, blanks = 0;
  bool has_header = false;
};

void add_table(const Table& t, Read* r) {
  const auto offset = static_cast<uint32_t>(r->rows.size());
  for (size_t i = 0; i < t.records.size(); ++i) {
    std::vector<std::string> row;
    for (uint32_t c = 0; c < t.records[i].cell_count; ++c) row.emplace_back(t.cell(t.records[i], c));
    if (i == 0) {
      if (r->has_header) FUZZ_CHECK(row == r->header);  // every chunk leads with the same header
      r->header = row;
      r->has_header = true;
      continue;
    }
    r->rows.push_back(std::move(row));
    r->lines.push_back(t.records[i].line);
  }
  for (const Issue& is : t.issues) r->issues.push_back({is.code, is.row + offset, is.line, is.column});
  r->comments += t.comment_lines;
  r->blanks += t.blank_lines;
}

std::vector<ScannedRecord> scan(std::string_view text, ScanRules rules, const std::vector<size_t>& pieces) {
  std::vector<ScannedRecord> out;
  Scanner s(rules);
  std::string buf;
  size_t given = 0, k = 0;
  ScannedRecord rec;
  for (;;) {
    const bool eof = given >= text.size();
    while (s.next(buf.data(), buf.size(), eof, &rec)) out.push_back(rec);
    if (eof) break;
    const size_t step = pieces.empty() ? text.size() : std::max<size_t>(1, pieces[k++ % pieces.size()]);
    const size_t take = std::min(step, text.size() - given);
    buf.append(text.substr(given, take));
    given += take;
  }
  return out;
}

bool same(const ScannedRecord& a, const ScannedRecord& b) {
  return a.kind == b.kind && a.begin == b.begin && a.body_end == b.body_end && a.end == b.end && a.line == b.line &&
         a.line_breaks == b.line_breaks && a.cells == b.cells && a.unterminated == b.unterminated &&
         a.malformed == b.malformed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  canopy_fuzz::Bytes in(data, size);
  const uint8_t flags = in.u8();
  const char delim = flags % 3 == 0 ? ',' : flags % 3 == 1 ? ';' : '\t';
  const bool comments = !(flags & 0x08);
  const size_t chunk_rows = 1 + (flags >> 4);
  const uint8_t bytes_sel = in.u8();
  const size_t chunk_bytes = bytes_sel & 0x80 ? (8u << 20) : 1 + bytes_sel * 37u;
  std::vector<size_t> pieces;
  for (int i = 0, np = in.u8() % 6; i < np; ++i) pieces.push_back(1 + in.u16() % 70000);
  std::string raw = in.rest();

  // Expansion: a \x01 b \x01 c  ->  a + b * k + c, up to about 600 KB.
  std::string text;
  const size_t m1 = raw.find('\x01');
  const size_t m2 = m1 == std::string::npos ? std::string::npos : raw.find('\x01', m1 + 1);
  if (m2 != std::string::npos && m2 > m1 + 1) {
    const std::string seg = raw.substr(m1 + 1, m2 - m1 - 1);
    // Enough to cross either bound, few enough records to stay fast: a segment with a line break is
    // repeated at most 120 times, one without up to about 280 KB.
    const bool breaks = seg.find_first_of("\r\n") != std::string::npos;
    const size_t cap = breaks ? 120 : 280000 / seg.size();
    const size_t times = std::min<size_t>(cap, 1 + (bytes_sel * 4099u) % 300000);
    text = raw.substr(0, m1);
    for (size_t i = 0; i < times; ++i) text += seg;
    text += raw.substr(m2 + 1);
  } else {
    text = raw;
  }
  if (text.size() > (1u << 20)) return 0;

  // The reader against the oracle.
  ReadOptions o;
  o.delimiter = delim;
  o.comments = comments;
  const Table whole_table = read_csv(text, o);
  const canopy_oracle::Result ref = canopy_oracle::read(text, delim, comments);
  Read whole;
  add_table(whole_table, &whole);
  FUZZ_CHECK(whole_table.records.size() == ref.rows.size());
  if (!ref.rows.empty()) {
    FUZZ_CHECK(whole.header == ref.rows[0]);
    FUZZ_CHECK(Rows(ref.rows.begin() + 1, ref.rows.end()) == whole.rows);
    FUZZ_CHECK(std::vector<uint32_t>(ref.lines.begin() + 1, ref.lines.end()) == whole.lines);
  }
  FUZZ_CHECK(whole.issues == ref.issues);
  FUZZ_CHECK(whole.comments == ref.comment_lines);
  FUZZ_CHECK(whole.blanks == ref.blank_lines);

  // The scanner, piece by piece, against itself over the whole text.
  const ScanRules rules{delim, comments};
  const auto all = scan(text, rules, {});
  const auto bits = scan(text, rules, pieces);
  FUZZ_CHECK(all.size() == bits.size());
  for (size_t i = 0; i < all.size(); ++i) FUZZ_CHECK(same(all[i], bits[i]));

  // The chunks, each read on its own, against the whole read.
  Chunker chunker(rules, chunk_rows, chunk_bytes);
  Read chunked;
  size_t given = 0, k = 0, index = 0;
  TextChunk c;
  for (;;) {
    while (chunker.next(&c)) {
      FUZZ_CHECK(c.index == index++);
      ReadOptions co = o;
      co.first_line = c.first_line;
      const Table t = read_csv(c.text, co);
      if (c.index > 0) FUZZ_CHECK(t.data_rows() >= 1);  // never a chunk of only a header
      add_table(t, &chunked);
    }
    if (chunker.done()) break;
    if (given >= text.size()) {
      chunker.finish();
      continue;
    }
    const size_t step = pieces.empty() ? text.size() : std::max<size_t>(1, pieces[k++ % pieces.size()]);
    const size_t take = std::min(step, text.size() - given);
    chunker.append(std::string_view(text).substr(given, take));
    given += take;
  }
  chunked.comments += chunker.trailing_comment_lines();
  chunked.blanks += chunker.trailing_blank_lines();
  FUZZ_CHECK(chunked.header == whole.header);
  FUZZ_CHECK(chunked.rows == whole.rows);
  FUZZ_CHECK(chunked.lines == whole.lines);
  FUZZ_CHECK(chunked.issues == whole.issues);
  FUZZ_CHECK(chunked.comments == whole.comments);
  FUZZ_CHECK(chunked.blanks == whole.blanks);
  return 0;
}
