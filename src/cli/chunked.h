// The wizard's steps over a file of any size: each chunk of the ChunkReader is loaded into its own
// ImportSession (no limits), given the mode, the mapping and the lookups, and validated with duplicate
// detection that spans the chunks. Preview and submit both walk a file through this.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/source.h"
#include "core/messages.h"
#include "session/session.h"

namespace canopy::cli {

struct ImportOptions {
  const ModeSpec* mode = nullptr;
  std::string mapping_json;   // --mapping file's text; empty = the automatic mapping only
  std::string split_name;     // --split-name: a header, or a 1-based column number; empty = no split
  Lookups lookups;            // state not_given without --lookups
  bool keep_footers = false;  // --keep-footers: report footer lines stay rows
  // Called on each chunk right after validate() (the directory check); returns its stats afterwards.
  std::function<Stats(ImportSession&)> on_validated;
};

struct Totals {
  size_t rows = 0, valid = 0, warnings = 0, errors = 0;
  uint32_t comment_lines = 0, blank_lines = 0;
  size_t parse_issues = 0;
  size_t chunks = 0;
  std::vector<SkippedLine> preamble, footer;  // lines above the header, report footer lines: skipped
};

class ChunkedImport {
 public:
  ChunkedImport(ChunkReader& reader, ImportOptions options);

  // Loads, maps and validates the next chunk; null at the end. The session stays valid until the next
  // call. Fatal errors: the core's (no_header, no_data_rows, ...) and the reader's.
  Result<ImportSession*> next();

  // From the first chunk (valid once next() returned it).
  const Mapping& mapping() const { return mapping_; }
  const std::vector<std::string>& headers() const { return headers_; }
  // What the first chunk's contents suggest for unmapped required fields (never applied).
  const std::vector<Suggestion>& suggestions() const { return suggestions_; }
  // Entries of --mapping that did nothing: headers not in the file, fields not in the mode.
  const std::vector<std::string>& mapping_notes() const { return mapping_notes_; }

  const Chunk& chunk() const { return chunk_; }
  // Data-row index of the current chunk's first row in the whole file.
  size_t row_offset() const { return row_offset_; }
  const Totals& totals() const { return totals_; }
  const ChunkReader& reader() const { return reader_; }

 private:
  ChunkReader& reader_;
  ImportOptions options_;
  std::unique_ptr<ImportSession> session_;
  SeenValues seen_;
  Chunk chunk_;
  Mapping mapping_;
  std::vector<Suggestion> suggestions_;
  std::vector<std::string> headers_;
  std::vector<std::string> mapping_notes_;
  size_t row_offset_ = 0, next_offset_ = 0;
  Totals totals_;
};

inline std::string with_commas(uint64_t v) { return with_thousands(v); }  // the core's, for CLI output

}  // namespace canopy::cli
