// One import, from bytes to results: the application layer that the wasm bindings, the CLI and the
// tests drive. It holds the table (rows stay here; callers fetch only what they show), the mapping,
// the validation, the selection, the batch plan and the submit state machine. No I/O.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "detect/detection.h"
#include "detect/votes.h"
#include "mapping/mapper.h"
#include "parse/layout.h"
#include "parse/table.h"
#include "submit/submitter.h"
#include "validate/suggest.h"
#include "validate/validator.h"

namespace canopy {

constexpr size_t kMaxFileBytes = 10485760;  // 10 MiB
constexpr size_t kMaxDataRows = 10000;

struct Limits {
  size_t max_bytes = kMaxFileBytes;  // 0 = none (CLI)
  size_t max_rows = kMaxDataRows;    // 0 = none (CLI)
};

struct LoadOptions {
  std::string encoding;     // override; empty = detect
  std::string delimiter;    // "comma" | "semicolon" | "tab" | ""; empty = detect
  uint32_t first_line = 1;  // line number of the first byte: a later chunk of a streamed file (CLI)
  // The header row (parse/layout.h): 0 = found by the rule, lines above it skipped and reported; N = the
  // record on line N (or the first after it), every record above it skipped; 1 = nothing skipped.
  uint32_t header_line = 0;
  bool keep_footers = false;  // true: lines of a report footer under the data stay rows
  // A sheet of a workbook, which src/workbook/ wrote as CSV (UTF-8, comma): the workbook's format
  // ("xlsx" | "ods"), the sheet's name, and the workbook file's size, which the byte limit applies to.
  std::string workbook_format;
  std::string sheet;
  uint64_t file_bytes = 0;
  // The statistical detectors' votes on detection_sample() of these bytes (detect/votes.h), for a legacy
  // file. Null: the session asks the detectors built into this build (native), or fails with
  // `detectors_needed` (wasm, where they are a lazily loaded module) and keeps the bytes for the retry.
  const DetectorVotes* votes = nullptr;
};

// One reading of an unsure legacy file, for the Upload step's "Which of these looks right?".
struct EncodingChoice {
  std::string encoding;               // the encoding's name, as `LoadOptions::encoding` takes it
  int score = 0;                      // 0..100
  std::string language;               // ISO 639-1 of the language its letters fit, or empty
  std::vector<std::string> examples;  // the file's first non-ASCII cells as this reading decodes them
};

// The decision's candidates (detect/detection.h) as the summary and the CLI show them.
std::vector<EncodingChoice> encoding_choices(const std::vector<EncodingCandidate>& candidates);

struct UploadSummary {
  size_t rows = 0, columns = 0;
  char delimiter = ',';
  int delimiter_confidence = 0;
  std::string delimiter_method;
  std::string encoding;
  int encoding_confidence = 0;
  std::string encoding_method;
  // Detection was unsure (detect/detection.h): the user picks one of `encoding_choices` (best first,
  // the one used now first); the upload step does not go on until they do.
  bool encoding_unsure = false;
  std::vector<EncodingChoice> encoding_choices;
  uint32_t comment_lines = 0, blank_lines = 0;
  size_t parse_issues = 0;
  size_t bytes = 0;            // the file's size (a workbook's, for a sheet of one)
  std::string format = "csv";  // "csv" | "xlsx" | "ods"
  std::string sheet;           // the workbook sheet read ("" for CSV)
  std::vector<std::string> headers;
  // The file is a failed-rows.csv of ours coming back (its header ends with import_error): the columns
  // that file says it left out (those holding passwords), so the admin adds them back first.
  bool from_failed_rows = false;
  std::vector<std::string> left_out;
  // What the upload step says about the file as a whole (failed_rows_upload, failed_rows_left_out).
  std::vector<Issue> notes;
  uint32_t header_line = 1;           // line of the header row
  std::vector<SkippedLine> preamble;  // records above the header, skipped (text masked when secret-looking)
  std::vector<SkippedLine> footer;    // records of a report footer under the data, skipped
};

struct Stats {
  size_t total = 0, valid = 0, warnings = 0, errors = 0;
  size_t selected = 0, selectable = 0, blocked_by_lookups = 0;
  bool validated = false;
};

// The directory check (SPEC.md Preview): which emails of the file already exist in the scope.
constexpr size_t kMaxDirectoryEmails = 1000;  // a lookup request's limit (API contract)

struct DirectoryRequest {
  std::string path;  // POST, {environment_id} filled in
  std::string body;  // {"emails":[...]}: compare keys (email_compare_key), at most kMaxDirectoryEmails
  size_t emails = 0;
};

struct DirectoryStatus {
  // not_checked: nothing asked yet (or no valid email to ask about); checking: some emails answered,
  // more to ask; checked: every email answered; failed: the last request got no usable answer (the
  // next directory_next() asks the same again). Rows are never blocked by a check that failed.
  enum class State : uint8_t { not_checked, checking, checked, failed };
  State state = State::not_checked;
  size_t emails = 0;   // distinct valid emails of the file
  size_t checked = 0;  // of them, answered
  size_t found = 0;    // rows marked email_exists
  // failed: what went wrong, as a catalogue code (directory_http_said, directory_timeout, ...) with its
  // arguments (packed) for the page to word, and in English ("HTTP 503: down") for the CLI.
  std::string reason_code;
  std::string reason_args;
  std::string reason;
};
const char* directory_state_name(DirectoryStatus::State s);

enum class RowFilter : uint8_t { all, errors, warnings };

// Ids a sample CSV uses instead of the demo data's. An empty one means the scope has none of that
// kind: the example leaves the cell empty (role and node together), so the sample still validates.
struct SampleIds {
  std::string role, node, client, application;
};

struct ResultCounts {
  size_t created = 0, invited = 0, replayed = 0, failed = 0, unconfirmed = 0, cancelled = 0, deselected = 0,
         pending = 0;
};

// One cell of a full-name column and how it splits (ImportSession::split_preview).
struct NamePreview {
  uint32_t line = 0;
  std::string name, first, last;
  std::string unsure;  // why it is not split (a catalogue code), empty when it is
};

class ImportSession {
 public:
  explicit ImportSession(Limits limits = {});

  // Upload. Replaces any earlier file (and resets mapping, validation and submit state). The errors
  // `detectors_needed` and `tables_needed` mean "install those, then load again": the bytes are kept
  // for that (take_retry_bytes()).
  Result<UploadSummary> load(std::string bytes, const LoadOptions& options = {});
  std::string take_retry_bytes() { return std::move(retry_bytes_); }
  bool loaded() const { return table_ != nullptr; }
  const Table& table() const { return *table_; }
  const UploadSummary& summary() const { return summary_; }

  // Mode and mapping.
  Error set_mode(std::string_view mode_id);
  const ModeSpec* mode() const { return mapping_.mode; }
  const Mapping& mapping() const { return mapping_; }
  SetColumnResult set_column(size_t column, std::string_view field);
  // Splits the full names of `column` into first and last name (mapper.h set_split_column); -1 stops.
  SetColumnResult set_split_column(int column);
  // How the first `rows` non-empty cells of `column` would be split, to show before the user decides.
  std::vector<NamePreview> split_preview(int column, size_t rows) const;
  std::string export_mapping() const { return mapping_to_json(mapping_); }
  Error import_mapping(std::string_view json);
  // Unmapped required fields a column's contents suggest (validate/suggest.h), for the user to confirm;
  // never applied by the session. Made again whenever the mode or the mapping changes.
  const std::vector<Suggestion>& suggestions() const { return suggestions_; }

  // Lookups and validation.
  void set_lookups(Lookups lookups);
  const Lookups& lookups() const { return lookups_; }
  // Duplicates are also looked for among (and recorded into) `seen`, which holds the keys of the earlier
  // chunks of a file streamed in pieces (CLI): validate() each chunk once, or it meets its own rows.
  // Not owned; null = this file only.
  void set_seen_values(SeenValues* seen) {
    seen_ = seen;
    validated_ = false;
  }
  Stats validate();
  Stats stats() const;
  const Validation& validation() const { return validation_; }

  // Directory check, after validate(): directory_next() says what to send (nothing when every email is
  // answered, the mode maps no email, or an environment mode has no environment id); the caller POSTs
  // it and hands the answer to directory_response() (status 0: no answer, `body` then says why in the
  // transport's own words, or is empty; `timeout_s`: it timed out after that many seconds), one
  // request at a time. Rows found become email_exists errors and are deselected; the rest of the
  // selection stays as the user left it. Answers that arrive after plan_submit() are kept for the next
  // validate() but change no row (the server decides).
  std::optional<DirectoryRequest> directory_next(const Scope_ids& scope);
  Stats directory_response(int status, std::string_view body, unsigned timeout_s = 0);
  DirectoryStatus directory_status() const;
  // The file is that of a run cut off after `since` (ISO 8601 UTC; empty: not resuming): emails the
  // server created since then are that run's rows, not email_exists, so a re-import sends the same
  // batches again and the server replays them. Takes effect at the next validate().
  void set_resume_since(std::string since) {
    directory_.resume_since = std::move(since);
    validated_ = false;
  }

  // Rows (data-row indices, 0-based). `filtered` lists the indices matching a filter.
  const std::vector<uint32_t>& filtered(RowFilter filter);
  // The mapped fields' values of a row in mode field order, secrets masked (for display).
  std::vector<std::pair<std::string_view, std::string>> display_cells(uint32_t index) const;
  std::string_view value(uint32_t index, std::string_view field) const;  // trimmed, unmasked
  // The name the lookups give a role, node, OAuth client or application id ("Admin"); empty when the
  // field is no lookup field or the id is not in the lookups.
  std::string display_name(std::string_view field, std::string_view value) const;
  bool selectable(uint32_t index) const;
  bool selected(uint32_t index) const { return index < selected_.size() && selected_[index]; }
  Stats select(uint32_t index, bool on);
  Stats select_all(bool on);

  // Submit.
  Result<size_t> plan_submit(const Scope_ids& scope);  // returns the number of batches
  Submitter* submitter() { return submitter_.get(); }

  // Results (after or during submit): one per data row.
  RowOutcome outcome(uint32_t index) const;
  Outcome outcome_kind(uint32_t index) const;  // outcome(index).outcome, without making its message
  ResultCounts result_counts() const;
  // Results filtered by outcome (file order); nullopt = every row. "failed" also finds rows blocked at
  // preview (they are failed with invalid_row).
  // `problem`: only failed and unconfirmed rows whose failure_code is this one (the failure summary's
  // "show these rows").
  std::vector<uint32_t> result_indices(std::optional<Outcome> only, std::string_view problem = {}) const;
  // The code a failed or unconfirmed row is summarised under (a row blocked at preview: its first
  // error's); empty for any other row.
  std::string failure_code(uint32_t index) const;
  // For order[from, from + count): the data-row index of the first row of the run of rows before it in
  // `order` with the same outcome, code and message (the Results table says that message once), or -1
  // when the row starts a run or has no message.
  std::vector<int64_t> repeats_of(const std::vector<uint32_t>& order, size_t from, size_t count) const;
  // SHA-256 (hex) of the loaded file's text, to recognise the same file again (an interrupted run's).
  std::string fingerprint() const;
  // Failures (failed and unconfirmed rows) by code, most frequent first ("120 x email_conflict"): a row
  // blocked at preview counts under its first error's code (email_invalid, email_exists, ...).
  struct FailureGroup {
    std::string code;
    size_t count = 0;
    uint32_t first = 0;  // data-row index of its first row
    bool operator==(const FailureGroup& o) const { return code == o.code && count == o.count && first == o.first; }
  };
  std::vector<FailureGroup> failure_summary() const;
  std::string failed_rows_csv() const;
  // "email<TAB>accept link" lines of every invite made without email, in file order (Results' "Copy all
  // links": pasted into a spreadsheet they are two columns).
  std::string accept_links_text(size_t* count = nullptr) const;
  std::string results_csv() const;

  // `ids`: the current environment's (or account's) first role, node, OAuth client and application,
  // from its lookups, so the sample validates where it is downloaded; null keeps the demo ids.
  static std::string sample_csv(const ModeSpec& mode, const SampleIds* ids = nullptr);

 private:
  void reset_after_load();
  // Masks the cell text that the reader's issues quote (malformed_quotes) in every secret column: by
  // header right after load, and again whenever the mapping makes more columns secret. Never unmasks.
  void mask_secret_issues();
  // After any change of the mapping: the secrets masked, the suggestions made again, the validation and
  // any planned submit dropped (a plan of the old mapping's bodies must never be sent).
  void mapping_changed();
  std::vector<RowPayload> payloads() const;

  Limits limits_;
  std::string retry_bytes_;  // the bytes of a load that needs the detectors or a table first
  std::unique_ptr<Table> table_;
  UploadSummary summary_;
  Mapping mapping_;
  std::vector<Suggestion> suggestions_;
  Lookups lookups_;
  SeenValues* seen_ = nullptr;
  Validation validation_;
  bool validated_ = false;
  Directory directory_;
  std::unordered_set<std::string> directory_asked_;  // compare keys answered, across validations
  std::vector<std::string> directory_keys_;          // this validation's distinct valid emails, file order
  bool directory_keys_ready_ = false;
  size_t directory_cursor_ = 0;                   // into directory_keys_
  std::vector<std::string> directory_in_flight_;  // the keys of the request handed out
  bool directory_failed_ = false;
  Error directory_reason_;  // why the last request failed: a directory_* code
  std::vector<uint8_t> selected_;
  std::vector<uint32_t> filter_cache_;
  std::vector<int> field_column_;  // per mode field index -> CSV column (-1)
  std::unique_ptr<Submitter> submitter_;
};

}  // namespace canopy
