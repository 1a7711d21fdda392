// The whole import, as the wizard drives it: bytes -> ImportSession::load -> set_mode (auto mapping)
// -> lookups -> validate -> preview of every row -> selection -> plan_submit -> a submit run against
// a well-behaved fake server -> results and both exports; then failed-rows.csv is imported again.
//
// The mode, the lookups' state and an encoding override come from the input's size (so every corpus
// file stays a plain CSV). Checks, for any input:
//  - now and then a column's full names are split into first and last name;
//  - load either succeeds with a consistent summary or fails with a catalogue code and a message; an
//    over-limit file names the real row count;
//  - the stats add up, the filters partition the rows, error rows cannot be selected, secrets are
//    masked in the preview;
//  - the plan sends exactly the selected rows, in file order, at most 200 per batch, with JSON bodies;
//  - after the run every row has exactly one final outcome and the counts add up;
//  - failed-rows.csv reads back with the original header names (minus the password, plus
//    import_error) and the original cells of exactly the rows that did not succeed, so it re-imports
//    through the same mapping; results.csv has one well-formed line per row.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"
#include "detect/encoding.h"
#include "detectors/votes.h"
#include "fuzz_check.h"
#include "parse/reader.h"
#include "session/session.h"

using namespace canopy;

namespace {

constexpr size_t kMaxRows = 300;  // small, so the too_many_rows path is reachable with small inputs

std::string commas(size_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

// What a spreadsheet-safe export makes of a cell (report/exports.h).
Lookups make_lookups(size_t pick) {
  Lookups l;
  l.state = pick == 0 ? Lookups::State::loaded : pick == 1 ? Lookups::State::failed : Lookups::State::not_given;
  if (l.state == Lookups::State::loaded) {
    l.roles = {"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01"};
    l.nodes = {"8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01"};
    l.applications = {"a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a01"};
    l.clients = {"dashboard-web"};
  }
  return l;
}

void check_load_error(const Error& e, const std::string& bytes, const LoadOptions& options) {
  FUZZ_CHECK(find_message(e.code) != nullptr);
  FUZZ_CHECK(!e.message.empty());
  if (e.code != "too_many_rows") return;
  // The message names the real number of data rows: read everything with the same rules.
  auto dec = decode_to_utf8(std::string(bytes), options.encoding, nullptr, &detector_votes);
  FUZZ_CHECK(dec.ok());
  ImportSession unlimited(Limits{0, 0});
  LoadOptions o = options;
  auto all = unlimited.load(bytes, o);
  FUZZ_CHECK(all.ok());
  FUZZ_CHECK(all.value().rows > kMaxRows);
  FUZZ_CHECK(e.message.find(commas(all.value().rows) + " data rows") != std::string::npos);
}

std::vector<std::string> cells_of(const Table& t, const Record& r) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < r.cell_count; ++i) out.emplace_back(t.cell(r, i));
  return out;
}

// The header/footer rule (parse/layout.h) skips lines, never loses one: the same bytes read with the
// undo (line 1 the header, footers kept) have exactly the records of the default read (header and
// rows, same lines, same cells) plus the listed preamble and footer lines, each listed once.
void check_layout(const ImportSession& s, const std::string& bytes, const LoadOptions& options) {
  const UploadSummary& sum = s.summary();
  FUZZ_CHECK(sum.header_line == s.table().records[0].line);
  FUZZ_CHECK(sum.preamble.size() + sum.footer.size() <= kHeaderSearchRecords + kMaxFooterRecords);
  ImportSession undone(Limits{0, 0});
  LoadOptions o = options;
  o.header_line = 1;
  o.keep_footers = true;
  auto all = undone.load(bytes, o);
  FUZZ_CHECK(all.ok());
  FUZZ_CHECK(all.value().preamble.empty());
  FUZZ_CHECK(all.value().footer.empty());
  const Table& u = undone.table();
  const Table& t = s.table();
  FUZZ_CHECK(u.records.size() == t.records.size() + sum.preamble.size() + sum.footer.size());
  size_t k = 0;  // walks u in file order
  auto skipped = [&](const std::vector<SkippedLine>& lines) {
    for (const SkippedLine& l : lines) {
      FUZZ_CHECK(k < u.records.size() && u.records[k].line == l.line);
      std::vector<std::string_view> cells;
      for (uint32_t i = 0; i < u.records[k].cell_count; ++i) cells.push_back(u.cell(u.records[k], i));
      if (!l.sep && l.text != kMask) FUZZ_CHECK(l.text == skipped_text(cells, sum.delimiter));
      ++k;
    }
  };
  skipped(sum.preamble);
  for (const Record& r : t.records) {
    FUZZ_CHECK(k < u.records.size() && u.records[k].line == r.line);
    FUZZ_CHECK(cells_of(u, u.records[k]) == cells_of(t, r));
    ++k;
  }
  skipped(sum.footer);
  FUZZ_CHECK(k == u.records.size());
}

void check_preview(ImportSession& s, const Stats& st) {
  const size_t rows = s.summary().rows;
  FUZZ_CHECK(st.validated);
  FUZZ_CHECK(st.total == rows);
  FUZZ_CHECK(st.valid + st.warnings + st.errors == st.total);
  FUZZ_CHECK(st.selectable == st.valid + st.warnings);
  FUZZ_CHECK(st.selected <= st.selectable);
  FUZZ_CHECK(s.filtered(RowFilter::all).size() == rows);
  FUZZ_CHECK(s.filtered(RowFilter::errors).size() == st.errors);
  FUZZ_CHECK(s.filtered(RowFilter::warnings).size() == st.warnings);
  const auto fields = mode_fields(*s.mode());
  for (uint32_t i = 0; i < rows; ++i) {
    const bool error = s.validation().rows[i].status == RowStatus::error;
    FUZZ_CHECK(s.selectable(i) == !error);
    if (error) FUZZ_CHECK(!s.selected(i));
    const auto cells = s.display_cells(i);
    size_t next = 0;
    for (const auto& [name, value] : cells) {
      while (next < fields.size() && fields[next]->name != name) ++next;
      FUZZ_CHECK(next < fields.size());  // mode field order, each at most once
      const FieldSpec* f = fields[next++];
      const FieldSource src = s.mapping().source_of(f->name);
      FUZZ_CHECK(src.column >= 0);
      const int col = src.column;
      const std::string_view raw = s.table().cell(i + 1, static_cast<uint32_t>(col));
      if (src.part != NamePart::whole) {
        // A part of a split full name: a piece of the cell (or nothing, when unsure), never a comma in it.
        FUZZ_CHECK(col == s.mapping().split_column);
        FUZZ_CHECK(raw.find(value) != std::string_view::npos);
        FUZZ_CHECK(value.find(',') == std::string::npos);
        continue;
      }
      // A password field, or a column headed like a password whatever it is mapped to, shows the mask.
      if (f->secret || secret_column(s.mapping().columns[static_cast<size_t>(col)])) {
        FUZZ_CHECK(raw.empty() == value.empty());
        FUZZ_CHECK(value.size() % 3 == 0);
        for (size_t k = 0; k < value.size(); k += 3) FUZZ_CHECK(value.compare(k, 3, "\xE2\x80\xA2") == 0);
      } else {
        FUZZ_CHECK(value == raw);
      }
    }
  }
  FUZZ_CHECK(s.display_cells(static_cast<uint32_t>(rows)).empty());
}

// A server that answers every batch at once with one result per row: created/invited, or an error.
void run_submit(ImportSession& s, uint32_t salt) {
  Submitter* sub = s.submitter();
  FUZZ_CHECK(sub != nullptr);
  const std::string ok_status(s.mode()->success_status);
  uint64_t now = 0;
  for (size_t guard = 0;; ++guard) {
    FUZZ_CHECK(guard <= sub->batches().size() + 1);
    const Action a = sub->next(now);
    if (a.kind == Action::done) break;
    FUZZ_CHECK(a.kind == Action::send);
    const Batch& b = sub->batches()[a.batch];
    nlohmann::json results = nlohmann::json::array();
    for (size_t i = 0; i < b.rows.size(); ++i) {
      const bool fail = ((b.rows[i] * 2654435761u) ^ salt) % 5 == 0;
      nlohmann::json r = {{"row", b.rows[i]}, {"status", fail ? "error" : ok_status}};
      if (fail) {
        r["error"] = {{"code", "email_conflict"}, {"message", "=exists"}};
      } else {
        r["id"] = "id-" + std::to_string(b.rows[i]);
      }
      results.push_back(std::move(r));
    }
    sub->on_response(a.batch, 200, "", nlohmann::json{{"results", results}}.dump(), now, 0, 0.5);
    now += 10;
  }
  FUZZ_CHECK(sub->progress().rows_done == sub->progress().rows_total);
}

void check_plan(ImportSession& s, size_t batches) {
  Submitter* sub = s.submitter();
  FUZZ_CHECK(sub != nullptr && sub->batches().size() == batches);
  std::vector<uint32_t> planned;
  for (const Batch& b : sub->batches()) {
    FUZZ_CHECK(!b.rows.empty() && b.rows.size() <= kMaxBatchRows);
    FUZZ_CHECK(b.rows.size() == b.indices.size());
    FUZZ_CHECK(b.idempotency_key.size() == 36);
    const auto body = nlohmann::json::parse(b.body, nullptr, false);
    FUZZ_CHECK(!body.is_discarded() && body.contains("rows") && body["rows"].size() == b.rows.size());
    for (size_t i = 0; i < b.rows.size(); ++i) {
      FUZZ_CHECK(body["rows"][i]["row"] == b.rows[i]);
      FUZZ_CHECK(s.table().records[b.indices[i] + 1].line == b.rows[i]);
      FUZZ_CHECK(body["rows"][i].find("password") == body["rows"][i].end() || s.mapping().column_of("password") >= 0);
    }
    planned.insert(planned.end(), b.indices.begin(), b.indices.end());
  }
  std::vector<uint32_t> selected;
  for (uint32_t i = 0; i < s.summary().rows; ++i) {
    if (s.selected(i)) selected.push_back(i);
  }
  FUZZ_CHECK(planned == selected);  // exactly the selected rows, in file order
}

void check_exports(ImportSession& s, bool submitted) {
  const size_t rows = s.summary().rows;
  const ResultCounts c = s.result_counts();
  if (submitted) FUZZ_CHECK(c.pending == 0);
  FUZZ_CHECK(c.created + c.invited + c.failed + c.unconfirmed + c.cancelled + c.deselected + c.pending == rows);

  // failed-rows.csv: every row that neither succeeded nor was deselected by the user.
  std::vector<uint32_t> expected_rows;
  for (uint32_t i = 0; i < rows; ++i) {
    const Outcome o = s.outcome(i).outcome;
    if (o != Outcome::created && o != Outcome::invited && o != Outcome::deselected) expected_rows.push_back(i);
  }
  // Password columns (mapped, or headed like one) are never exported; test_session checks which those are.
  const std::vector<uint32_t> secret = secret_columns(s.mapping());
  std::vector<uint32_t> columns;
  std::vector<std::string> expected_header;
  const Table& t = s.table();
  for (uint32_t c2 = 0; c2 < t.columns(); ++c2) {
    if (std::find(secret.begin(), secret.end(), c2) != secret.end() || t.cell(0, c2) == "import_error") continue;
    columns.push_back(c2);
    expected_header.emplace_back(t.cell(0, c2));
  }
  expected_header.emplace_back("import_error");

  const std::string failed = s.failed_rows_csv();
  FUZZ_CHECK(failed.rfind("\xEF\xBB\xBF", 0) == 0);
  ImportSession again(Limits{0, 0});
  LoadOptions o;
  o.delimiter = "comma";
  // The export read back as it is written (line 1 the header, every row a row): this checks the
  // export, not the header/footer rule (check_layout does that on the upload).
  o.header_line = 1;
  o.keep_footers = true;
  auto back = again.load(failed, o);
  if (expected_rows.empty()) {
    FUZZ_CHECK(!back.ok() && back.error().code == "no_data_rows");
  } else {
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(back.value().headers == expected_header);
    FUZZ_CHECK(back.value().parse_issues == 0);
    FUZZ_CHECK(back.value().rows == expected_rows.size());
    const Table& t2 = again.table();
    for (size_t r = 0; r < expected_rows.size(); ++r) {
      const Record& rec = t2.records[r + 1];
      FUZZ_CHECK(rec.cell_count == expected_header.size());
      for (size_t k = 0; k < columns.size(); ++k) {
        // Exactly the original cell: the export's formula protection is undone when the file comes back.
        FUZZ_CHECK(t2.cell(rec, static_cast<uint32_t>(k)) == t.cell(expected_rows[r] + 1, columns[k]));
      }
      FUZZ_CHECK(!t2.cell(rec, static_cast<uint32_t>(columns.size())).empty());
    }
  }

  // results.csv: a header and one seven-cell line per row (accept_link last).
  const std::string results = s.results_csv();
  FUZZ_CHECK(results.rfind("\xEF\xBB\xBF", 0) == 0);
  ReadOptions ro;
  const Table rt = read_csv(results.substr(3), ro);
  FUZZ_CHECK(rt.records.size() == rows + 1);
  FUZZ_CHECK(rt.issues.empty());
  for (const Record& rec : rt.records) FUZZ_CHECK(rec.cell_count == 7);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 18)) return 0;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  ImportSession s(Limits{1 << 20, kMaxRows});
  LoadOptions options;
  if (size % 7 == 6) options.encoding = "windows-1252";
  if (size % 11 == 10) options.delimiter = "semicolon";
  auto loaded = s.load(bytes, options);
  if (!loaded.ok()) {
    FUZZ_CHECK(!s.loaded());
    check_load_error(loaded.error(), bytes, options);
    return 0;
  }
  const UploadSummary& sum = loaded.value();
  FUZZ_CHECK(s.loaded());
  FUZZ_CHECK(sum.rows >= 1 && sum.rows <= kMaxRows && sum.rows == s.table().data_rows());
  FUZZ_CHECK(sum.columns == sum.headers.size() && sum.columns == s.table().columns());
  FUZZ_CHECK(sum.bytes == size);
  FUZZ_CHECK(sum.parse_issues == s.table().issues.size());
  check_layout(s, bytes, options);

  const ModeSpec& mode = all_modes()[size % all_modes().size()];
  FUZZ_CHECK(!s.set_mode(mode.id));
  FUZZ_CHECK(!s.import_mapping(s.export_mapping()));
  // Now and then the user splits the first free column's full names into first and last name (refused,
  // with a message, when a name field is mapped already).
  if (size % 5 == 4) {
    for (size_t c = 0; c < s.mapping().columns.size(); ++c) {
      if (!s.mapping().columns[c].field.empty()) continue;
      const SetColumnResult r = s.set_split_column(static_cast<int>(c));
      FUZZ_CHECK(r.ok || !r.message.empty());
      FUZZ_CHECK(r.ok == (s.mapping().split_column == static_cast<int>(c)));
      break;
    }
  }
  // An unmapped required field: the user maps the first free column to it, as the dialog makes them.
  for (auto f : s.mapping().missing_required()) {
    for (size_t c = 0; c < s.mapping().columns.size(); ++c) {
      if (s.mapping().columns[c].field.empty()) {
        FUZZ_CHECK(s.set_column(c, f).ok);
        break;
      }
    }
  }
  s.set_lookups(make_lookups((size / 3) % 3));
  Stats st = s.validate();
  check_preview(s, st);

  // The user deselects every third selectable row.
  for (uint32_t i = 0; i < sum.rows; i += 3) st = s.select(i, false);
  check_preview(s, st);

  auto planned = s.plan_submit(Scope_ids{"acc-1", "env-1"});
  if (!s.mapping().missing_required().empty()) {
    FUZZ_CHECK(!planned.ok() && planned.error().code == "bad_state");
    check_exports(s, false);  // the downloads work before any submit too
    return 0;
  }
  FUZZ_CHECK(planned.ok());
  check_plan(s, planned.value());
  run_submit(s, static_cast<uint32_t>(size));
  check_exports(s, true);
  return 0;
}
