#include "session/session.h"

#include <algorithm>

#include "core/container.h"
#include "core/messages.h"
#include "detect/dialect.h"
#include "detect/encoding.h"
#include "detect/encodings.h"
#include "mapping/name_split.h"
#include "parse/reader.h"
#include "report/exports.h"
#include "validate/issue_text.h"
#if CANOPY_DETECTORS_BUILT_IN
#include "detectors/votes.h"
#endif

namespace canopy {
namespace {
// Native builds link the statistical detectors; the wasm core asks for their votes (detectors_needed).
#if CANOPY_DETECTORS_BUILT_IN
constexpr VoteSource kBuiltInDetectors = &detector_votes;
#else
constexpr VoteSource kBuiltInDetectors = nullptr;
#endif
}  // namespace

std::vector<EncodingChoice> encoding_choices(const std::vector<EncodingCandidate>& candidates) {
  std::vector<EncodingChoice> out;
  out.reserve(candidates.size());
  for (const EncodingCandidate& c : candidates) {
    out.push_back(EncodingChoice{std::string(c.encoding->name), c.score, c.language, c.examples});
  }
  return out;
}

ImportSession::ImportSession(Limits limits) : limits_(limits) {}

void ImportSession::reset_after_load() {
  mapping_ = Mapping{};
  suggestions_.clear();
  validation_ = Validation{};
  validated_ = false;
  selected_.clear();
  filter_cache_.clear();
  field_column_.clear();
  submitter_.reset();
  directory_ = Directory{};
  directory_asked_.clear();
  directory_keys_.clear();
  directory_keys_ready_ = false;
  directory_in_flight_.clear();
  directory_failed_ = false;
  directory_reason_ = Error{};
}

Result<UploadSummary> ImportSession::load(std::string bytes, const LoadOptions& options) {
  // Limits first, before any work: the size is known without decoding. A workbook's sheet arrives as
  // CSV text, which may be larger than the workbook: the limit is the file's.
  const bool sheet = !options.workbook_format.empty();
  if (bytes.empty()) return sheet ? make_error("sheet_empty", {options.sheet}) : make_error("file_empty");
  const uint64_t file_bytes = sheet ? options.file_bytes : bytes.size();
  if (limits_.max_bytes && file_bytes > limits_.max_bytes) {
    return make_error("file_too_large", {std::to_string(file_bytes)});
  }
  if (!sheet) {
    // A workbook handed to the text path is named, not decoded as text (its NUL bytes would say "binary").
    switch (sniff_container(bytes)) {
      case Container::zip: return make_error("workbook_needs_reader");
      case Container::ole2: return make_error(ole2_encrypted(bytes) ? "workbook_encrypted" : "workbook_legacy_xls");
      case Container::text: break;
    }
  }
  char forced = 0;
  if (!options.delimiter.empty()) {
    forced = parse_delimiter(options.delimiter);
    if (!forced) return make_error("bad_delimiter", {options.delimiter});
  }
  const size_t size = static_cast<size_t>(file_bytes);
  retry_bytes_.clear();
  auto decoded = decode_to_utf8(std::move(bytes), options.encoding, options.votes, kBuiltInDetectors);
  if (!decoded.ok()) {
    // Left untouched by decode_to_utf8 for exactly these two: the caller installs what is missing.
    const std::string& code = decoded.error().code;
    // NOLINTNEXTLINE(bugprone-use-after-move): decode_to_utf8 takes bytes by && and keeps them on these errors
    if (code == "detectors_needed" || code == "tables_needed") retry_bytes_ = std::move(bytes);
    return decoded.error();
  }
  DecodeResult dec = std::move(decoded).value();

  // Excel's "sep=X" first line names the delimiter (an override still wins); it is never data.
  const char sep = options.first_line <= 1 ? sep_line_delimiter(dec.text) : 0;
  Dialect dialect;
  if (forced) {
    dialect.delimiter = forced;
    dialect.confidence = 100;
    dialect.method = "override";
  } else if (sep) {
    dialect.delimiter = sep;
    dialect.confidence = 100;
    dialect.method = "sep_line";
  } else {
    dialect = detect_dialect(dec.text);
  }
  // The header row: the lines above it are cut off before reading, and reported.
  const uint32_t first_line = options.first_line ? options.first_line : 1;
  HeaderChoice header = find_header(dec.text, dialect.delimiter, options.header_line, first_line);
  if (!header.found) return make_error("bad_header_line", {std::to_string(options.header_line)});
  // Only skipped records are cut off; with none, the reader reads from the start as it always did (the
  // comment lines above the header stay in the text: failed_rows_left_out reads them).
  const bool cut = !header.preamble.empty();
  if (cut) dec.text.erase(0, header.offset);
  ReadOptions ro;
  ro.delimiter = dialect.delimiter;
  ro.first_line = cut ? header.line : first_line;
  // header + limit + one over, and room for a footer under a full file
  ro.max_records = limits_.max_rows ? limits_.max_rows + 1 + 1 + (options.keep_footers ? 0 : kMaxFooterRecords) : 0;
  bool truncated = false;
  auto table = std::make_unique<Table>(read_csv(std::move(dec.text), ro, &truncated));
  if (sheet) number_records_by_sheet_row(*table);  // line N is row N of the sheet, as the user sees it
  if (cut) {
    table->comment_lines += header.comment_lines;
    table->blank_lines += header.blank_lines;
  }
  if (table->records.empty()) {
    if (sheet) return make_error("sheet_empty", {options.sheet});
    return make_error(table->comment_lines ? "no_header" : "file_empty");
  }
  std::vector<SkippedLine> footer;
  if (!options.keep_footers && !truncated) {
    const size_t from = find_footer(*table);
    for (size_t r = from; r < table->records.size(); ++r) {
      std::vector<std::string_view> cells;
      for (uint32_t i = 0; i < table->records[r].cell_count; ++i)
        cells.push_back(table->cell(static_cast<uint32_t>(r), i));
      footer.push_back(SkippedLine{table->records[r].line, skipped_text(cells, dialect.delimiter), false});
    }
    if (from < table->records.size()) {
      const auto first_row = static_cast<uint32_t>(from - 1);
      table->cells.resize(table->records[from].first_cell);
      table->records.resize(from);
      table->issues.erase(std::remove_if(table->issues.begin(), table->issues.end(),
                                         [first_row](const Issue& is) { return is.row >= first_row; }),
                          table->issues.end());
    }
  }
  if (table->data_rows() == 0) return make_error("no_data_rows");
  if (truncated || (limits_.max_rows && table->data_rows() > limits_.max_rows)) {
    // Name the real figure: count the unread rest (its bytes are untouched) with the same rules, less
    // the footer the whole file would have had.
    size_t rows = table->data_rows();
    if (truncated) {
      const std::string_view rest = std::string_view(table->text).substr(table->stopped_at);
      rows += count_records(rest, ro.delimiter, ro.comments, false);
      if (!options.keep_footers) rows -= footer_records_at_end(rest, ro.delimiter, table->columns());
    }
    return make_error("too_many_rows", {std::to_string(rows)});
  }

  // Our own failed-rows.csv coming back: its formula-protected cells are the user's values again.
  const bool from_failed_rows = unprotect_failed_rows(*table);
  reset_after_load();
  table_ = std::move(table);
  summary_ = UploadSummary{};
  summary_.rows = table_->data_rows();
  summary_.columns = table_->columns();
  summary_.delimiter = dialect.delimiter;
  summary_.delimiter_confidence = dialect.confidence;
  summary_.delimiter_method = dialect.method;
  summary_.encoding = dec.encoding;
  summary_.encoding_confidence = dec.confidence;
  summary_.encoding_method = dec.method;
  summary_.encoding_unsure = dec.unsure;
  summary_.encoding_choices = encoding_choices(dec.candidates);
  summary_.comment_lines = table_->comment_lines;
  summary_.blank_lines = table_->blank_lines;
  summary_.parse_issues = table_->issues.size();
  summary_.bytes = size;
  if (sheet) {
    summary_.format = options.workbook_format;
    summary_.sheet = options.sheet;
  }
  for (uint32_t i = 0; i < table_->columns(); ++i) summary_.headers.emplace_back(table_->cell(0, i));
  summary_.from_failed_rows = from_failed_rows;
  if (from_failed_rows) {
    summary_.left_out = failed_rows_left_out(*table_);
    auto note = [this](const char* code, std::string args) {
      Issue is;
      is.code = code;
      is.severity = Severity::warning;
      is.row = kNoRow;
      is.args = std::move(args);
      summary_.notes.push_back(std::move(is));
    };
    note("failed_rows_upload", {});
    if (!summary_.left_out.empty()) {
      std::string names;
      for (const std::string& h : summary_.left_out) names += (names.empty() ? "\"" : ", \"") + h + "\"";
      note("failed_rows_left_out", pack_args({names}));
    }
  }
  summary_.header_line = table_->records[0].line;
  // A skipped line that reads like a password ("Initial password: …") is shown masked.
  for (SkippedLine& l : header.preamble) {
    if (secret_header(l.text)) l.text = std::string(kMask);
  }
  for (SkippedLine& l : footer) {
    if (secret_header(l.text)) l.text = std::string(kMask);
  }
  summary_.preamble = std::move(header.preamble);
  summary_.footer = std::move(footer);
  mask_secret_issues();
  return summary_;
}

Error ImportSession::set_mode(std::string_view mode_id) {
  const ModeSpec* m = find_mode(mode_id);
  if (!m) return nest_error("bad_argument", "no_such_mode", pack_args({mode_id, mode_ids()}));
  if (!table_) return make_error("bad_state", {"upload_first"});
  mapping_ = auto_map(*m, summary_.headers);
  mapping_changed();
  return {};
}

void ImportSession::mapping_changed() {
  mask_secret_issues();
  suggestions_ = suggest_columns(mapping_, *table_);
  validated_ = false;
  submitter_.reset();
}

void ImportSession::mask_secret_issues() {
  if (!table_ || table_->issues.empty()) return;
  std::vector<uint8_t> secret(table_->columns(), 0);
  for (uint32_t c = 0; c < secret.size(); ++c) {
    secret[c] = c < mapping_.columns.size() ? secret_column(mapping_.columns[c]) : secret_header(table_->cell(0, c));
  }
  for (Issue& is : table_->issues) {
    if (is.column >= 0 && static_cast<size_t>(is.column) < secret.size() && secret[static_cast<size_t>(is.column)]) {
      mask_issue(is, secret_field_name());
    }
  }
}

SetColumnResult ImportSession::set_split_column(int column) {
  auto r = canopy::set_split_column(mapping_, column);
  if (r.ok) mapping_changed();
  return r;
}

std::vector<NamePreview> ImportSession::split_preview(int column, size_t rows) const {
  std::vector<NamePreview> out;
  if (!table_ || column < 0 || static_cast<uint32_t>(column) >= table_->columns()) return out;
  for (size_t r = 1; r < table_->records.size() && out.size() < rows; ++r) {
    const std::string_view cell = trim_value(table_->cell(static_cast<uint32_t>(r), static_cast<uint32_t>(column)));
    if (cell.empty()) continue;
    const NameSplit split = split_full_name(cell);
    out.push_back(NamePreview{table_->records[r].line, std::string(cell), std::string(split.first),
                              std::string(split.last), std::string(split.unsure)});
  }
  return out;
}

SetColumnResult ImportSession::set_column(size_t column, std::string_view field) {
  auto r = canopy::set_column(mapping_, column, field);
  if (r.ok) mapping_changed();
  return r;
}

Error ImportSession::import_mapping(std::string_view json) {
  if (Error e = apply_mapping_json(mapping_, json)) return nest_error("bad_argument", e.code, e.args, &schema_label);
  mapping_changed();
  return {};
}

void ImportSession::set_lookups(Lookups lookups) {
  lookups_ = std::move(lookups);
  validated_ = false;
  submitter_.reset();  // planned against the old lookups: validate and plan again
}

Stats ImportSession::validate() {
  if (!table_ || !mapping_.mode) return Stats{};
  // What the user deselected before (the same file validated again: lookups retried or loaded late,
  // the mapping changed) stays deselected; only a new file starts over (reset_after_load).
  std::vector<uint8_t> deselected(selected_.size() == validation_.rows.size() ? selected_.size() : 0, 0);
  for (size_t i = 0; i < deselected.size(); ++i) {
    deselected[i] = !selected_[i] && validation_.rows[i].status != RowStatus::error;
  }
  validation_ = validate_table(*table_, mapping_, lookups_, seen_, &directory_);
  validated_ = true;
  // What the directory check answered stays (directory_asked_); the emails of this validation are
  // listed again on the next directory_next().
  directory_keys_ready_ = false;
  directory_in_flight_.clear();
  directory_failed_ = false;
  directory_reason_ = Error{};
  filter_cache_.clear();
  const auto fields = mode_fields(*mapping_.mode);
  field_column_.assign(fields.size(), -1);
  for (size_t i = 0; i < fields.size(); ++i) field_column_[i] = mapping_.column_of(fields[i]->name);
  // Valid and warning rows start selected (unless the user deselected them); error rows cannot be.
  selected_.assign(validation_.rows.size(), 0);
  for (size_t i = 0; i < validation_.rows.size(); ++i) {
    selected_[i] = validation_.rows[i].status != RowStatus::error && !(i < deselected.size() && deselected[i]);
  }
  submitter_.reset();
  return stats();
}

Stats ImportSession::stats() const {
  Stats s;
  s.validated = validated_;
  if (!validated_) return s;
  s.total = validation_.rows.size();
  s.valid = validation_.valid;
  s.warnings = validation_.warnings;
  s.errors = validation_.errors;
  for (size_t i = 0; i < validation_.rows.size(); ++i) {
    const RowCheck& r = validation_.rows[i];
    if (r.status != RowStatus::error) ++s.selectable;
    if (selected_[i]) ++s.selected;
    if (r.uses_lookups && lookups_.state == Lookups::State::failed) ++s.blocked_by_lookups;
  }
  return s;
}

const std::vector<uint32_t>& ImportSession::filtered(RowFilter filter) {
  filter_cache_.clear();
  for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
    const RowStatus st = validation_.rows[i].status;
    if (filter == RowFilter::all || (filter == RowFilter::errors && st == RowStatus::error) ||
        (filter == RowFilter::warnings && st == RowStatus::warning)) {
      filter_cache_.push_back(i);
    }
  }
  return filter_cache_;
}

std::vector<std::pair<std::string_view, std::string>> ImportSession::display_cells(uint32_t index) const {
  std::vector<std::pair<std::string_view, std::string>> out;
  if (!table_ || !mapping_.mode || index + 1 >= table_->records.size()) return out;
  const auto fields = mode_fields(*mapping_.mode);
  for (const FieldSpec* f : fields) {
    const FieldSource src = mapping_.source_of(f->name);
    if (src.column < 0) continue;
    const auto col = static_cast<uint32_t>(src.column);
    std::string v(name_part(table_->cell(index + 1, col), src.part));
    if ((f->secret || secret_column(mapping_.columns[col])) && !v.empty()) v = std::string(kMask);
    out.emplace_back(f->name, std::move(v));
  }
  return out;
}

std::string ImportSession::display_name(std::string_view field, std::string_view value) const {
  const FieldSpec* f = find_field(field);
  if (!f || lookups_.names.empty()) return {};
  if (f->kind != FieldKind::role_id && f->kind != FieldKind::node_id && f->kind != FieldKind::client_id &&
      f->kind != FieldKind::application_id) {
    return {};
  }
  std::string key(trim_value(value));
  for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  const auto it = lookups_.names.find(key);
  return it == lookups_.names.end() ? std::string() : it->second;
}

std::string_view ImportSession::value(uint32_t index, std::string_view field) const {
  if (!table_ || index + 1 >= table_->records.size()) return {};
  const FieldSource src = mapping_.source_of(field);
  if (src.column < 0) return {};
  return trim_value(name_part(table_->cell(index + 1, static_cast<uint32_t>(src.column)), src.part));
}

bool ImportSession::selectable(uint32_t index) const {
  return validated_ && index < validation_.rows.size() && validation_.rows[index].status != RowStatus::error;
}

Stats ImportSession::select(uint32_t index, bool on) {
  if (selectable(index)) {
    selected_[index] = on;
    submitter_.reset();
  }
  return stats();
}

Stats ImportSession::select_all(bool on) {
  for (uint32_t i = 0; i < selected_.size(); ++i) {
    if (selectable(i)) selected_[i] = on;
  }
  submitter_.reset();
  return stats();
}

std::vector<RowPayload> ImportSession::payloads() const {
  std::vector<RowPayload> out;
  const auto fields = mode_fields(*mapping_.mode);
  for (uint32_t i = 0; i < selected_.size(); ++i) {
    if (!selected_[i]) continue;
    RowPayload p;
    p.index = i;
    p.row = table_->records[i + 1].line;
    for (const FieldSpec* f : fields) {
      const FieldSource src = mapping_.source_of(f->name);
      if (src.column < 0) continue;
      std::string_view v = trim_value(name_part(table_->cell(i + 1, static_cast<uint32_t>(src.column)), src.part));
      if (f->kind == FieldKind::send_email) {
        const auto b = parse_send_email(v);
        p.values.emplace_back(f->name, b.value_or(true) ? "true" : "false");
        continue;
      }
      if (v.empty()) continue;
      p.values.emplace_back(f->name, std::string(v));
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<size_t> ImportSession::plan_submit(const Scope_ids& scope) {
  if (!table_ || !mapping_.mode || !validated_) return make_error("bad_state", {"validate_first"});
  if (!mapping_.missing_required().empty()) return make_error("bad_state", {"map_required_first"});
  if (mapping_.mode->scope == Scope::environment && scope.environment_id.empty()) {
    return make_error("bad_argument", {"environment_id_needed"});
  }
  auto batches = plan_batches(*mapping_.mode, scope, payloads());
  const size_t n = batches.size();
  submitter_ = std::make_unique<Submitter>(std::move(batches));
  return n;
}

Outcome ImportSession::outcome_kind(uint32_t index) const {
  if (submitter_) {
    if (const RowOutcome* o = submitter_->row_outcome(index)) return o->outcome;
  }
  if (validated_ && index < validation_.rows.size() && validation_.rows[index].status == RowStatus::error) {
    return Outcome::failed;  // blocked at preview
  }
  if (index < selected_.size() && !selected_[index]) return Outcome::deselected;
  return Outcome::pending;
}

RowOutcome ImportSession::outcome(uint32_t index) const {
  if (submitter_) {
    if (const RowOutcome* o = submitter_->row_outcome(index)) return *o;
  }
  RowOutcome o;
  o.outcome = outcome_kind(index);
  if (o.outcome == Outcome::failed) {
    const RowCheck& rc = validation_.rows[index];
    std::string codes;
    for (uint32_t k = 0; k < rc.issue_count; ++k) {
      const Issue& is = validation_.issues[rc.first_issue + k];
      if (is.severity != Severity::error) continue;
      if (!codes.empty()) codes += "; ";
      codes += issue_message(is);
    }
    o.code = "invalid_row";
    o.message = format_message("invalid_row", {codes});
  } else if (o.outcome == Outcome::deselected) {
    o.code = "deselected";
    o.message = format_message("deselected");
  }
  return o;
}

ResultCounts ImportSession::result_counts() const {
  ResultCounts c;
  for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
    switch (outcome_kind(i)) {  // the kind alone: no message is made to be counted
      case Outcome::created: ++c.created; break;
      case Outcome::invited: ++c.invited; break;
      case Outcome::replayed: ++c.replayed; break;
      case Outcome::failed: ++c.failed; break;
      case Outcome::unconfirmed: ++c.unconfirmed; break;
      case Outcome::cancelled: ++c.cancelled; break;
      case Outcome::deselected: ++c.deselected; break;
      default: ++c.pending; break;
    }
  }
  return c;
}

std::vector<uint32_t> ImportSession::result_indices(std::optional<Outcome> only, std::string_view problem) const {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
    if (only && outcome_kind(i) != *only) continue;
    if (!problem.empty() && failure_code(i) != problem) continue;
    out.push_back(i);
  }
  return out;
}

std::string ImportSession::failure_code(uint32_t i) const {
  const Outcome k = outcome_kind(i);
  if (k != Outcome::failed && k != Outcome::unconfirmed) return {};
  if (const RowOutcome* o = submitter_ ? submitter_->row_outcome(i) : nullptr) {
    return o->code.empty() ? outcome_name(k) : o->code;
  }
  // Blocked at preview: its first error names the problem better than invalid_row.
  const RowCheck& rc = validation_.rows[i];
  for (uint32_t q = 0; q < rc.issue_count; ++q) {
    const Issue& is = validation_.issues[rc.first_issue + q];
    if (is.severity == Severity::error) return is.code;
  }
  return "invalid_row";
}

std::vector<int64_t> ImportSession::repeats_of(const std::vector<uint32_t>& order, size_t from, size_t count) const {
  std::vector<int64_t> out;
  if (from >= order.size()) return out;
  const size_t end = std::min(order.size(), from + count);
  auto same = [](const RowOutcome& a, const RowOutcome& b) {
    return !a.message.empty() && a.outcome == b.outcome && a.code == b.code && a.message == b.message;
  };
  // The run the first row belongs to may start on an earlier page: walk back to its start.
  size_t start = from;
  RowOutcome cur = outcome(order[from]);
  while (start > 0) {
    if (!same(cur, outcome(order[start - 1]))) break;
    --start;
  }
  int64_t run_first = start < from ? static_cast<int64_t>(order[start]) : -1;
  out.push_back(run_first);
  for (size_t p = from + 1; p < end; ++p) {
    RowOutcome next = outcome(order[p]);
    if (same(cur, next)) {
      if (run_first < 0) run_first = static_cast<int64_t>(order[p - 1]);
    } else {
      run_first = -1;
    }
    out.push_back(run_first);
    cur = std::move(next);
  }
  return out;
}

std::string ImportSession::fingerprint() const { return table_ ? sha256_hex(table_->text) : std::string(); }

std::vector<ImportSession::FailureGroup> ImportSession::failure_summary() const {
  std::vector<FailureGroup> out;
  for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
    const std::string code = failure_code(i);
    if (code.empty()) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const FailureGroup& g) { return g.code == code; });
    if (it != out.end()) {
      ++it->count;
    } else {
      out.push_back({code, 1, i});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return out;
}

namespace {
std::vector<ExportRow> export_rows(const ImportSession& s, std::vector<RowOutcome>& keep) {
  std::vector<ExportRow> rows;
  const size_t n = s.validation().rows.size();
  keep.resize(n);
  rows.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    keep[i] = s.outcome(i);
    ExportRow r;
    r.index = i;
    r.row = s.table().records[i + 1].line;
    r.email = std::string(s.value(i, "email"));
    r.outcome = &keep[i];
    rows.push_back(std::move(r));
  }
  return rows;
}
}  // namespace

std::string ImportSession::failed_rows_csv() const {
  if (!table_) return {};
  std::vector<RowOutcome> keep;
  auto rows = export_rows(*this, keep);
  return canopy::failed_rows_csv(*table_, rows, secret_columns(mapping_));
}

std::string ImportSession::accept_links_text(size_t* count) const {
  std::string out;
  size_t n = 0;
  if (submitter_) {
    for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
      const RowOutcome* o = submitter_->row_outcome(i);
      if (!o || o->accept_link.empty()) continue;
      out.append(value(i, "email")).push_back('\t');
      out.append(o->accept_link).push_back('\n');
      ++n;
    }
  }
  if (count) *count = n;
  return out;
}

std::string ImportSession::results_csv() const {
  if (!table_) return {};
  std::vector<RowOutcome> keep;
  auto rows = export_rows(*this, keep);
  return canopy::results_csv(rows);
}

std::string ImportSession::sample_csv(const ModeSpec& mode, const SampleIds* ids) {
  const auto fields = mode_fields(mode);
  std::string out;
  out += "# Canopy CSV import: sample for \"" + std::string(mode.title) + "\" (mode " + std::string(mode.id) + ").\n";
  out += "# Lines starting with # are comments and are ignored. Save the file as CSV UTF-8.\n";
  out += "# " + std::string(mode.summary) + "\n";
  out += "# Columns:\n";
  for (const FieldSpec* f : fields) {
    out += "#   " + std::string(f->name) + " (" + (mode_requires(mode, f->name) ? "required" : "optional") + ", " +
           std::string(f->format) + "): " + std::string(f->doc) + "\n";
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_cell(fields[i]->name);
  }
  out += '\n';
  for (const auto& ex : mode.examples) {
    std::vector<std::string> row(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) row[i] = std::string(example_value(ex, fields[i]->name));
    if (ids) {
      // The scope's ids where the example has one; a role needs its node (and the other way round).
      int role = -1, node = -1;
      for (size_t i = 0; i < fields.size(); ++i) {
        if (row[i].empty()) continue;
        switch (fields[i]->kind) {
          case FieldKind::role_id:
            row[i] = ids->role;
            role = static_cast<int>(i);
            break;
          case FieldKind::node_id:
            row[i] = ids->node;
            node = static_cast<int>(i);
            break;
          case FieldKind::client_id: row[i] = ids->client; break;
          case FieldKind::application_id: row[i] = ids->application; break;
          default: break;
        }
      }
      if (role >= 0 && node >= 0 && (row[role].empty() || row[node].empty())) row[role].clear(), row[node].clear();
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += csv_cell(row[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace canopy
