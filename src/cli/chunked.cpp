#include "cli/chunked.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "detect/dialect.h"

namespace canopy::cli {

ChunkedImport::ChunkedImport(ChunkReader& reader, ImportOptions options)
    : reader_(reader), options_(std::move(options)) {}

Result<ImportSession*> ChunkedImport::next() {
  session_.reset();  // free the previous chunk before reading the next: peak memory is one chunk
  auto more = reader_.next(&chunk_);
  if (!more.ok()) return more.error();
  if (!more.value()) {
    totals_.comment_lines += reader_.trailing_comment_lines();
    totals_.blank_lines += reader_.trailing_blank_lines();
    return static_cast<ImportSession*>(nullptr);
  }
  session_ = std::make_unique<ImportSession>(Limits{0, 0});
  LoadOptions lo;
  lo.encoding = "UTF-8";  // the reader hands out UTF-8 whatever the file's encoding
  lo.delimiter = delimiter_name(reader_.info().delimiter);
  lo.first_line = chunk_.first_line;
  // The header line the reader chose (a later chunk starts with its copy); a footer only at the end.
  lo.header_line = chunk_.index == 0 ? reader_.info().header_line : chunk_.first_line;
  lo.keep_footers = options_.keep_footers || !chunk_.last;
  auto loaded = session_->load(std::move(chunk_.text), lo);
  chunk_.text = std::string();
  if (!loaded.ok()) return loaded.error();
  if (Error e = session_->set_mode(options_.mode->id)) return e;
  if (!options_.mapping_json.empty()) {
    if (Error e = session_->import_mapping(options_.mapping_json)) {
      return Error{"bad_mapping", "The mapping file cannot be used: " + e.message};
    }
  }
  if (!options_.split_name.empty()) {
    // --split-name COLUMN: a header of the file, or its number.
    const auto& headers = session_->summary().headers;
    int column = -1;
    const std::string& want = options_.split_name;
    for (size_t i = 0; i < headers.size() && column < 0; ++i) {
      if (headers[i] == want) column = static_cast<int>(i);
    }
    if (column < 0 && want.find_first_not_of("0123456789") == std::string::npos && want.size() < 9) {
      const long n = std::strtol(want.c_str(), nullptr, 10);
      if (n >= 1 && static_cast<size_t>(n) <= headers.size()) column = static_cast<int>(n - 1);
    }
    if (column < 0) {
      return Error{"bad_argument", "--split-name " + want +
                                       ": the file has no column with that header or number. Pass a header of "
                                       "the file's first row, or a column number from 1 to " +
                                       std::to_string(headers.size()) + "."};
    }
    const SetColumnResult r = session_->set_split_column(column);
    if (!r.ok) return Error{"bad_argument", "--split-name " + want + ": " + r.message};
  }
  if (chunk_.index == 0) {
    mapping_ = session_->mapping();
    suggestions_ = session_->suggestions();
    headers_ = session_->summary().headers;
    if (!options_.mapping_json.empty()) {
      auto j = nlohmann::json::parse(options_.mapping_json, nullptr, false);
      if (j.is_object() && j.contains("columns") && j["columns"].is_object()) {
        for (auto it = j["columns"].begin(); it != j["columns"].end(); ++it) {
          bool found = false;
          for (const auto& h : headers_) found |= h == it.key();
          if (!found)
            mapping_notes_.push_back("The mapping file names column \"" + it.key() +
                                     "\", which this file does not have.");
          // A string, or a list of fields for a header the file repeats.
          const std::vector<nlohmann::json> fields =
              it->is_array() ? it->get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{*it};
          for (const auto& field : fields) {
            if (field.is_string() && !field.get<std::string>().empty() &&
                !mode_has_field(*options_.mode, field.get<std::string>())) {
              mapping_notes_.push_back("The mapping file maps \"" + it.key() + "\" to " + field.get<std::string>() +
                                       ", which is not a field of " + std::string(options_.mode->title) +
                                       "; the column is ignored.");
            }
          }
        }
      }
    }
  }
  session_->set_lookups(options_.lookups);
  session_->set_seen_values(&seen_);
  Stats st = session_->validate();
  if (options_.on_validated) st = options_.on_validated(*session_);

  row_offset_ = next_offset_;
  next_offset_ += st.total;
  totals_.rows += st.total;
  totals_.valid += st.valid;
  totals_.warnings += st.warnings;
  totals_.errors += st.errors;
  totals_.comment_lines += session_->summary().comment_lines;
  totals_.blank_lines += session_->summary().blank_lines;
  totals_.parse_issues += session_->summary().parse_issues;
  if (chunk_.index == 0) totals_.preamble = session_->summary().preamble;
  for (const SkippedLine& l : session_->summary().footer) totals_.footer.push_back(l);
  totals_.chunks += 1;
  return session_.get();
}

}  // namespace canopy::cli
