// A CSV file of any size as a sequence of chunks: UTF-8 text cut at record boundaries by the parser's
// own chunker (parse/chunker.h: the reader's rules, so each chunk reads exactly as the whole file
// would), each later chunk led by a copy of the header record, so every chunk loads into an
// ImportSession on its own and memory stays flat however big the file is.
//
// The encoding and delimiter are decided once from the start of the file, the way the wizard decides
// them for the whole file: a file that fits in the first read (4 MiB) goes through decode_to_utf8 as one
// piece, exactly as in the browser; a bigger one is sniffed on its first 4 MiB and then decoded as a
// stream (UTF-8 checked chunk by chunk, other encodings by their WHATWG decoder, which keeps its
// state between reads: detect/decoder.h).
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/workbook.h"
#include "core/error.h"
#include "detect/decoder.h"
#include "parse/chunker.h"
#include "session/session.h"

namespace canopy::cli {

struct SourceOptions {
  std::string encoding;          // override; empty = detect
  std::string delimiter;         // override ("comma", ";", ...); empty = detect
  size_t chunk_rows = 10000;     // data records per chunk (at most)
  size_t chunk_bytes = 8 << 20;  // and about this many bytes of text at most
  uint32_t header_line = 0;      // --header-line: 0 = found by the rule (parse/layout.h)
  bool keep_footers = false;     // --keep-footers
  std::string sheet;             // --sheet NAME|N: a workbook's sheet; empty = the wizard's rule
};

struct SourceInfo {
  std::string path;         // as given; "-" = standard input
  uint64_t file_bytes = 0;  // size of a regular file, 0 when unknown (a pipe)
  std::string encoding;     // display name ("UTF-8", "windows-1252", ...)
  int encoding_confidence = 0;
  std::string encoding_method;  // "bom" | "utf8" | "detected" | "fallback" | "override"
  // Detection was unsure (detect/detection.h): the readings to choose from, the one used first. The
  // wizard asks; preview and validate warn, submit refuses until --encoding names one.
  bool encoding_unsure = false;
  std::vector<EncodingChoice> encoding_choices;
  bool had_bom = false;
  char delimiter = ',';
  int delimiter_confidence = 0;
  std::string delimiter_method;  // "detected" | "default" | "override" | "sep_line"
  uint32_t header_line = 1;      // line of the header row (the records above it are skipped)
  // A workbook (recognised by content): its format, the sheet read, and the other sheets with cells.
  std::string format = "csv";  // "csv" | "xlsx" | "ods"
  std::string sheet;
  size_t sheets_with_cells = 0;
  bool sheet_by_option = false;  // --sheet chose it
  std::string other_sheets;      // "\"Contractors\", \"Secret\""
};

struct Chunk {
  size_t index = 0;           // 0-based
  std::string text;           // UTF-8; for index > 0 it starts with the header record
  uint32_t first_line = 1;    // line number of text's first byte in the file
  uint64_t raw_consumed = 0;  // input bytes read up to the end of this chunk (for progress)
  bool last = false;          // the file's last chunk (only its end can be a report footer)
};

class ChunkReader {
 public:
  // Opens `path` ("-" = standard input), reads its start and decides encoding and delimiter. Fatal
  // errors use the core's codes (file_empty, binary_file, undecodable, unknown_encoding, bad_delimiter)
  // or "file_unreadable".
  static Result<std::unique_ptr<ChunkReader>> open(const std::string& path, const SourceOptions& options);
  ~ChunkReader();
  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  const SourceInfo& info() const { return info_; }

  // The next chunk into *out. Returns false at the end of the file. A fatal error found further on
  // (bytes that do not decode, a NUL byte) is returned as an Error naming the file offset.
  Result<bool> next(Chunk* out);

  // Comment and blank lines after the last record (no chunk carries them).
  uint32_t trailing_comment_lines() const;
  uint32_t trailing_blank_lines() const;

 private:
  ChunkReader() = default;

  Error decode(const char* raw, size_t n, bool last, std::string& out);            // through decoder_
  size_t line_of(uint64_t offset, std::string_view piece, uint64_t piece_offset);  // of a bad byte
  Error read_more();                                         // decodes the next read into the chunker; sets eof_
  Error check_text(std::string_view text, uint64_t offset);  // strict UTF-8 / NUL check

  SourceInfo info_;
  SourceOptions options_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::unique_ptr<StreamDecoder> decoder_;  // a big file's decoder (detect/decoder.h)
  Error pending_;                           // bytes that do not decode, after the text before them
  size_t pipe_lines_ = 0;                   // standard input: line breaks in the reads before
  std::unique_ptr<Chunker> chunker_;        // cuts the decoded text at record ends (parse/chunker.h)
  std::unique_ptr<SheetStream> sheet_;      // a workbook: its sheet's CSV, piece by piece, instead of fread
  bool eof_ = false;                        // no more input
  bool checked_ = false;                    // the whole text was decoded and checked in one piece
  uint64_t raw_read_ = 0;                   // input bytes read so far
  uint64_t text_total_ = 0;                 // decoded bytes produced so far
};

}  // namespace canopy::cli
