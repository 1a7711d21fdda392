// embind surface of the core: one bound class (Session) plus a few free functions. Results are plain
// JS objects built here; fatal errors come back as {error:{code,message}} and the JS wrapper
// (wasm/index.mjs) turns them into Error objects with cause.code. The rows stay in wasm memory: JS asks
// for the slice it shows.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/messages.h"
#include "core/simd.h"
#include "detect/decoder.h"
#include "detect/detection.h"
#include "detect/dialect.h"
#include "detect/encoding.h"
#include "detect/encoding_tables.h"
#include "detect/encodings.h"
#include "detect/icu_data.h"
#include "mapping/schema.h"
#include "parse/reader.h"
#include "report/exports.h"
#include "session/session.h"
#include "validate/issue_text.h"

using emscripten::val;
using namespace canopy;

namespace {

// std::string crosses embind as UTF-8 (EMBIND_STD_STRING_IS_UTF8 is on by default).
val str(std::string_view s) { return val(std::string(s)); }

// A message's arguments (packed in the core, core/messages.h) as a JS array of strings.
val args_val(std::string_view packed) {
  val a = val::array();
  size_t k = 0;
  for (std::string_view s : unpack_args(packed)) a.set(k++, str(s));
  return a;
}

val error_val(const Error& e) {
  val o = val::object();
  val err = val::object();
  err.set("code", str(e.code));
  err.set("message", str(e.message));
  err.set("args", args_val(e.args));
  o.set("error", err);
  return o;
}

// next/response/networkError before planSubmit.
val nothing_planned() { return error_val(make_error("bad_state", {"nothing_planned"})); }

template <class T, class F>
val array_of(const std::vector<T>& v, F f) {
  val a = val::array();
  for (size_t i = 0; i < v.size(); ++i) a.set(i, f(v[i]));
  return a;
}

val strings(const std::vector<std::string_view>& v) {
  return array_of(v, [](std::string_view s) { return str(s); });
}

val stats_val(const Stats& s) {
  val o = val::object();
  o.set("validated", s.validated);
  o.set("total", static_cast<double>(s.total));
  o.set("valid", static_cast<double>(s.valid));
  o.set("warnings", static_cast<double>(s.warnings));
  o.set("errors", static_cast<double>(s.errors));
  o.set("selected", static_cast<double>(s.selected));
  o.set("selectable", static_cast<double>(s.selectable));
  o.set("blockedByLookups", static_cast<double>(s.blocked_by_lookups));
  return o;
}

const char* status_name(RowStatus s) {
  return s == RowStatus::error ? "error" : s == RowStatus::warning ? "warning" : "valid";
}

val issue_val(const Issue& is) {
  val o = val::object();
  o.set("code", str(is.code));
  o.set("severity", str(severity_name(is.severity)));
  o.set("field", str(is.field));
  o.set("column", is.column);
  o.set("line", is.line);
  o.set("args", args_val(is.args));
  // English, made only for the issues asked for (the page formats code + args in its own language).
  o.set("message", str(issue_message(is)));
  return o;
}

std::vector<uint8_t>& icu_buffer() {
  static std::vector<uint8_t> buf;
  return buf;
}

val icu_data_buffer(size_t size) {
  icu_buffer().resize(size);
  return val(emscripten::typed_memory_view(size, icu_buffer().data()));
}

val install_icu() {
  Error e = install_icu_data(icu_buffer().data(), icu_buffer().size());
  if (e) return error_val(e);
  return val::object();
}

// The decoders' table files (enc-jis.bin, ...), which the JS wrapper fetches when a load answers
// tables_needed: written into this buffer, then installed by name.
std::string& table_buffer_storage() {
  static std::string b;
  return b;
}

val table_buffer(size_t size) {
  table_buffer_storage().resize(size);
  return val(emscripten::typed_memory_view(size, reinterpret_cast<uint8_t*>(table_buffer_storage().data())));
}

val install_table(std::string name) {
  const bool ok = install_table_file(name, table_buffer_storage());
  table_buffer_storage().clear();
  table_buffer_storage().shrink_to_fit();
  if (!ok) return error_val(make_error("tables_needed", {name}));
  return val::object();
}

// Core.decode(): bytes in any supported encoding to text, as TextDecoder(label, {ignoreBOM: true}) reads
// them (fatal: the first error fails, with its offset). The bytes are written into this buffer first.
std::string& decode_buffer_storage() {
  static std::string b;
  return b;
}

val decode_buffer(size_t size) {
  decode_buffer_storage().resize(size);
  return val(emscripten::typed_memory_view(size, reinterpret_cast<uint8_t*>(decode_buffer_storage().data())));
}

val decode(std::string label, bool fatal) {
  const EncodingInfo* e = find_encoding(label);
  if (!e) return error_val(make_error("unknown_encoding", {label}));
  auto r = decode_bytes(e->id, decode_buffer_storage(), fatal);
  if (!r.ok()) return error_val(r.error());
  // The UTF-8 as a view (the wrapper decodes it keeping a leading U+FEFF, which embind's string
  // conversion would drop).
  decode_buffer_storage() = std::move(r).value();
  val o = val::object();
  o.set("utf8", val(emscripten::typed_memory_view(decode_buffer_storage().size(),
                                                  reinterpret_cast<uint8_t*>(decode_buffer_storage().data()))));
  return o;
}

val info() {
  val o = val::object();
  o.set("version", str("0.1.0"));
  val modes = val::array();
  size_t k = 0;
  for (const ModeSpec& m : all_modes()) {
    val mv = val::object();
    mv.set("id", str(m.id));
    mv.set("title", str(m.title));
    mv.set("summary", str(m.summary));
    mv.set("scope", str(m.scope == Scope::account ? "account" : "environment"));
    mv.set("surface", str(m.surface));
    mv.set("endpoint", str(m.endpoint));
    mv.set("success", str(m.success_status));
    mv.set("required", strings(m.required));
    mv.set("optional", strings(m.optional));
    modes.set(k++, mv);
  }
  o.set("modes", modes);
  val fields = val::array();
  k = 0;
  for (const FieldSpec& f : all_fields()) {
    val fv = val::object();
    fv.set("name", str(f.name));
    fv.set("label", str(f.label));
    fv.set("doc", str(f.doc));
    fv.set("format", str(f.format));
    fv.set("secret", f.secret);
    static constexpr const char* kLookups[] = {"", "roles", "nodes", "clients", "applications"};
    fv.set("lookup", str(kLookups[static_cast<size_t>(f.lookup)]));
    fv.set("minChars", f.min_chars);
    fv.set("maxChars", f.max_chars);
    fv.set("maxBytes", f.max_bytes);
    fields.set(k++, fv);
  }
  o.set("fields", fields);
  // Every encoding, in the menu's order: its name, every label it answers to, whether it is one byte a
  // character, and the table file it loads (empty: built in).
  val encodings = val::array();
  unsigned ek = 0;
  for (const auto& e : all_encodings()) {
    val ev = val::object();
    ev.set("name", str(e.name));
    val labels = val::array();
    unsigned lk = 0;
    for (auto l : e.all_labels()) labels.set(lk++, str(l));
    ev.set("labels", labels);
    ev.set("singleByte", e.single_byte());
    ev.set("tableFile", str(e.table_file));
    encodings.set(ek++, ev);
  }
  o.set("encodings", encodings);
  val limits = val::object();
  limits.set("maxBytes", static_cast<double>(kMaxFileBytes));
  limits.set("maxRows", static_cast<double>(kMaxDataRows));
  limits.set("batchRows", static_cast<double>(kMaxBatchRows));
  o.set("limits", limits);
  o.set("delimiters", strings({"comma", "semicolon", "tab"}));
  size_t count = 0;
  const MessageEntry* table = message_table(&count);
  val messages = val::object();
  val message_args = val::object();
  for (size_t i = 0; i < count; ++i) {
    messages.set(table[i].code, str(table[i].text));
    if (*table[i].args) message_args.set(table[i].code, str(table[i].args));
  }
  o.set("messages", messages);
  // The kind of each argument (core/messages.h), for the page's formatter: "n" a number, "f" a field...
  o.set("messageArgs", message_args);
  return o;
}

// `ids`: undefined, or {role, node, client, application} of the current scope (sample_csv's SampleIds).
val sample_csv(std::string mode, val ids) {
  const ModeSpec* m = find_mode(mode);
  if (!m) return error_val(nest_error("bad_argument", "no_such_mode", pack_args({mode, mode_ids()})));
  val o = val::object();
  SampleIds given;
  const bool have = !ids.isUndefined() && !ids.isNull();
  if (have) {
    auto get = [&ids](const char* key) {
      val v = ids[key];
      return v.isString() ? v.as<std::string>() : std::string();
    };
    given = SampleIds{get("role"), get("node"), get("client"), get("application")};
  }
  o.set("csv", str(ImportSession::sample_csv(*m, have ? &given : nullptr)));
  return o;
}

double heap_bytes() { return static_cast<double>(emscripten_get_heap_size()); }

// Heap figures for the memory checks and the benchmark: the wasm memory size, what malloc has handed
// out now, and the most its arena ever spanned (peak footprint).
val heap_stats() {
  const struct mallinfo mi = mallinfo();
  val o = val::object();
  o.set("heapBytes", heap_bytes());
  o.set("allocated", static_cast<double>(mi.uordblks));
  o.set("peakFootprint", static_cast<double>(mi.usmblks));
  return o;
}

class Session {
 public:
  Session(double max_bytes, double max_rows)
      : s_(Limits{static_cast<size_t>(max_bytes), static_cast<size_t>(max_rows)}) {}

  // JS writes the file's bytes straight into wasm memory through this view, then calls load().
  val inputBuffer(double size) {
    // Check that the work ahead fits (decode and parse need about 3x the file) before committing, so
    // an oversized file becomes an error message instead of a trap. The check is arithmetic (what
    // malloc holds now against the most the memory may grow to): a trial allocation of 3x the file
    // would itself double the peak footprint of every import.
    // Sizes whose 3x does not fit in size_t (wasm32) fail without asking.
    const size_t kOverhead = size_t{1} << 20;
    const bool sane = size >= 0 && size < 9e15;  // a JS byte count (false for NaN)
    const bool fits = sane && size <= static_cast<double>((static_cast<size_t>(-1) - kOverhead) / 3);
    const auto n = fits ? static_cast<size_t>(size) : 0;
    const size_t in_use = static_cast<size_t>(mallinfo().uordblks) - input_.capacity();
    const size_t limit = emscripten_get_heap_max();
    if (!fits || in_use > limit || n * 3 + kOverhead > limit - in_use) {
      const std::string figure = sane ? std::to_string(static_cast<unsigned long long>(size)) : "?";
      return error_val(make_error("out_of_memory", {"memory_bytes", figure}));
    }
    input_.clear();
    input_.shrink_to_fit();
    votes_.reset();  // votes belong to the bytes they were given for
    // JS overwrites every byte next, so skip the zero fill (libc++'s resize without initialisation:
    // half a millisecond on a 10 MB file).
    input_.__resize_default_init(n);
    if (input_.size() != n) return error_val(make_error("out_of_memory", {"memory_bytes", std::to_string(n)}));
    return val(emscripten::typed_memory_view(n, reinterpret_cast<uint8_t*>(input_.data())));
  }

  // The input buffer inputBuffer() sized, for C++ callers (the warm-up).
  char* rawInput() { return input_.data(); }

  // headerLine: 0 = found by the rule (parse/layout.h), N = the header is line N (1 = nothing skipped);
  // keepFooters: a report footer under the data stays rows.
  val load(std::string encoding, std::string delimiter, double header_line, bool keep_footers) {
    LoadOptions o;
    o.encoding = std::move(encoding);
    o.delimiter = std::move(delimiter);
    o.header_line = header_line >= 1 && header_line < 4294967296.0 ? static_cast<uint32_t>(header_line) : 0;
    o.keep_footers = keep_footers;
    // Past the wizard's 10 MiB the cell count, not the byte count, bounds the memory the reader needs
    // (8 bytes a cell, 12 a record): a file of bare delimiters needs ~20x its size. Count them first
    // so such a file gets a message instead of a trap. Within the limit this pass is skipped.
    if (input_.size() > kMaxFileBytes) {
      size_t separators = 0;
      const auto* p = reinterpret_cast<const uint8_t*>(input_.data());
      size_t i = 0;
      for (; i + 64 <= input_.size(); i += 64) {
        const simd::Block b(p + i);
        separators +=
            static_cast<size_t>(simd::popcount64(b.eq(',') | b.eq(';') | b.eq('\t') | b.eq('\n') | b.eq('\r')));
      }
      for (; i < input_.size(); ++i) separators += std::strchr(",;\t\n\r", p[i]) != nullptr && p[i] != 0;
      const size_t need = separators * 20 + input_.size();
      const size_t in_use = static_cast<size_t>(mallinfo().uordblks);
      const size_t limit = emscripten_get_heap_max();
      if (in_use > limit || need > limit - in_use) {
        input_.clear();
        input_.shrink_to_fit();
        return error_val(make_error("out_of_memory", {"memory_cells", std::to_string(separators)}));
      }
    }
    if (votes_) o.votes = &*votes_;
    std::string bytes;
    bytes.swap(input_);
    auto r = s_.load(std::move(bytes), o);
    if (!r.ok()) {
      // The core needs the detectors' votes or a table first: the bytes stay for the retry.
      input_ = s_.take_retry_bytes();
      if (input_.empty()) votes_.reset();
      return error_val(r.error());
    }
    votes_.reset();
    return summary();
  }

  // A workbook sheet that the workbook module wrote as CSV into inputBuffer(): UTF-8, comma. The byte
  // limit is the workbook file's (fileBytes), the row limit the sheet's.
  val loadSheet(std::string format, std::string sheet, double file_bytes, double header_line, bool keep_footers) {
    LoadOptions o;
    o.encoding = "UTF-8";
    o.delimiter = "comma";
    o.workbook_format = std::move(format);
    o.sheet = std::move(sheet);
    o.file_bytes = file_bytes >= 0 ? static_cast<uint64_t>(file_bytes) : 0;
    o.header_line = header_line >= 1 && header_line < 4294967296.0 ? static_cast<uint32_t>(header_line) : 0;
    o.keep_footers = keep_footers;
    std::string bytes;
    bytes.swap(input_);
    auto r = s_.load(std::move(bytes), o);
    if (!r.ok()) return error_val(r.error());
    return summary();
  }

  // After `detectors_needed`: the bytes the detectors judge (detect/detection.h), as a view of wasm memory
  // valid until the next call (JS copies it).
  val detectionSample() {
    sample_ = detection_sample(input_);
    return val(emscripten::typed_memory_view(sample_.size(), reinterpret_cast<const uint8_t*>(sample_.data())));
  }

  // The votes of the detectors module on that sample ([{detector, charset, confidence}]), for the next load().
  void setDetectorVotes(val list) {
    DetectorVotes v;
    const auto n = list["length"].as<unsigned>();
    for (unsigned i = 0; i < n && i < 16; ++i) {
      val x = list[i];
      v.push_back(
          DetectorVote{x["detector"].as<std::string>(), x["charset"].as<std::string>(), x["confidence"].as<int>()});
    }
    votes_ = std::move(v);
  }

  val loadText(std::string text, std::string delimiter, double header_line, bool keep_footers) {
    LoadOptions o;
    o.encoding = "UTF-8";
    o.delimiter = std::move(delimiter);
    o.header_line = header_line >= 1 && header_line < 4294967296.0 ? static_cast<uint32_t>(header_line) : 0;
    o.keep_footers = keep_footers;
    auto r = s_.load(std::move(text), o);
    if (!r.ok()) return error_val(r.error());
    return summary();
  }

  val summary() const {
    const UploadSummary& u = s_.summary();
    val o = val::object();
    o.set("rows", static_cast<double>(u.rows));
    o.set("columns", static_cast<double>(u.columns));
    o.set("bytes", static_cast<double>(u.bytes));
    o.set("format", str(u.format));
    if (!u.sheet.empty()) o.set("sheet", str(u.sheet));
    o.set("delimiter", str(u.delimiter == ';' ? "semicolon" : u.delimiter == '\t' ? "tab" : "comma"));
    o.set("delimiterConfidence", u.delimiter_confidence);
    o.set("delimiterMethod", str(u.delimiter_method));
    o.set("encoding", str(u.encoding));
    o.set("encodingConfidence", u.encoding_confidence);
    o.set("encodingMethod", str(u.encoding_method));
    // Unsure: the readings to choose from, best (the one used now) first, with the file's first
    // non-ASCII cells as each decodes them.
    o.set("encodingUnsure", u.encoding_unsure);
    val choices = val::array();
    for (size_t i = 0; i < u.encoding_choices.size(); ++i) {
      const EncodingChoice& c = u.encoding_choices[i];
      val x = val::object();
      x.set("encoding", str(c.encoding));
      x.set("score", c.score);
      x.set("language", str(c.language));
      val ex = val::array();
      for (size_t k = 0; k < c.examples.size(); ++k) ex.set(k, str(c.examples[k]));
      x.set("examples", ex);
      choices.set(i, x);
    }
    o.set("encodingChoices", choices);
    o.set("commentLines", u.comment_lines);
    o.set("blankLines", u.blank_lines);
    o.set("parseIssues", static_cast<double>(u.parse_issues));
    // The first problems the reader found, so the upload step can say which lines are broken.
    val issues = val::array();
    if (s_.loaded()) {
      const auto& list = s_.table().issues;
      for (size_t i = 0; i < list.size() && i < 20; ++i) issues.set(i, issue_val(list[i]));
    }
    o.set("issues", issues);
    val headers = val::array();
    for (size_t i = 0; i < u.headers.size(); ++i) headers.set(i, str(u.headers[i]));
    o.set("headers", headers);
    // A failed-rows.csv of ours coming back: what it says it left out, and the notes to show.
    o.set("fromFailedRows", u.from_failed_rows);
    val left_out = val::array();
    for (size_t i = 0; i < u.left_out.size(); ++i) left_out.set(i, str(u.left_out[i]));
    o.set("leftOut", left_out);
    val notes = val::array();
    for (size_t i = 0; i < u.notes.size(); ++i) notes.set(i, issue_val(u.notes[i]));
    o.set("notes", notes);
    // The header/footer rule (parse/layout.h): which line is the header, which lines were skipped.
    o.set("headerLine", u.header_line);
    auto skipped = [](const std::vector<SkippedLine>& lines) {
      val a = val::array();
      for (size_t i = 0; i < lines.size(); ++i) {
        val l = val::object();
        l.set("line", lines[i].line);
        l.set("text", str(lines[i].text));
        l.set("sep", lines[i].sep);
        a.set(i, l);
      }
      return a;
    };
    o.set("preamble", skipped(u.preamble));
    o.set("footer", skipped(u.footer));
    return o;
  }

  std::string fingerprint() const { return s_.fingerprint(); }
  void setResumeSince(std::string since) { s_.set_resume_since(std::move(since)); }

  // First `count` data rows, every column, raw (the upload summary's small table).
  val preview(unsigned count) const {
    val rows = val::array();
    if (!s_.loaded()) return rows;
    const Table& t = s_.table();
    const size_t n = std::min<size_t>(count, t.data_rows());
    // Before any mapping, a column headed like a password is masked by its header.
    std::vector<bool> secret(t.columns());
    for (uint32_t c = 0; c < t.columns(); ++c) secret[c] = secret_header(t.cell(0, c));
    for (size_t r = 0; r < n; ++r) {
      val row = val::array();
      for (uint32_t c = 0; c < t.columns(); ++c) {
        const std::string_view v = t.cell(static_cast<uint32_t>(r + 1), c);
        row.set(c, str(secret[c] && !v.empty() ? std::string_view(kMask) : v));
      }
      rows.set(r, row);
    }
    return rows;
  }

  val setMode(std::string mode) {
    Error e = s_.set_mode(mode);
    if (e) return error_val(e);
    return mapping();
  }

  val mapping() const {
    val o = val::object();
    const Mapping& m = s_.mapping();
    val cols = val::array();
    const Table* t = s_.loaded() ? &s_.table() : nullptr;
    for (size_t i = 0; i < m.columns.size(); ++i) {
      const ColumnMapping& c = m.columns[i];
      val cv = val::object();
      cv.set("index", static_cast<double>(i));
      cv.set("header", str(c.header));
      cv.set("field", str(c.field));
      cv.set("alias", str(c.alias));
      cv.set("status", str(column_status_name(c.status)));
      cv.set("note", str(c.note));
      cv.set("noteCode", str(c.note_code));
      cv.set("noteArgs", args_val(c.note_args));
      // Masked wherever its cells are shown, left out of both exports (mapper.h secret_column).
      const bool secret = secret_column(c);
      cv.set("secret", secret);
      val samples = val::array();
      if (t) {
        size_t k = 0;
        for (size_t r = 1; r < t->records.size() && k < 3; ++r) {
          std::string_view v = t->cell(static_cast<uint32_t>(r), static_cast<uint32_t>(i));
          if (v.empty()) continue;
          samples.set(k++, str(secret ? std::string_view(kMask) : v));
        }
      }
      cv.set("samples", samples);
      // A suggestion from the column's contents (validate/suggest.h): shown, confirmed by the user, never applied.
      val suggestion = val::null();
      for (const Suggestion& sg : s_.suggestions()) {
        if (sg.column != i) continue;
        suggestion = val::object();
        suggestion.set("field", str(sg.field));
        suggestion.set("code", str(sg.code));
        suggestion.set("args", args_val(suggestion_args(sg)));
        suggestion.set("message", str(suggestion_message(sg)));
      }
      cv.set("suggestion", suggestion);
      cols.set(i, cv);
    }
    o.set("columns", cols);
    o.set("missing", strings(m.missing_required()));
    val fields = val::array();
    if (m.mode) {
      size_t k = 0;
      for (const FieldSpec* f : mode_fields(*m.mode)) fields.set(k++, str(f->name));
    }
    o.set("fields", fields);
    o.set("mode", str(m.mode ? m.mode->id : ""));
    o.set("splitColumn", m.split_column);
    // The mode's fields some column gives (mapped, or a part of the split full names), in mode order.
    val given = val::array();
    if (m.mode) {
      size_t k = 0;
      for (const FieldSpec* f : mode_fields(*m.mode)) {
        if (m.source_of(f->name).column >= 0) given.set(k++, str(f->name));
      }
    }
    o.set("given", given);
    return o;
  }

  val setColumn(unsigned column, std::string field) { return column_result(s_.set_column(column, field)); }

  val setSplitColumn(int column) { return column_result(s_.set_split_column(column)); }

  // {mapping, message, code, args} (code and args: the message as data, empty when there is nothing to
  // say), or {error} with bad_argument around why it was refused.
  val column_result(const SetColumnResult& r) {
    if (!r.ok) return error_val(nest_error("bad_argument", r.code, r.args, &schema_label));
    val o = val::object();
    o.set("mapping", mapping());
    o.set("message", str(r.message));
    o.set("code", str(r.code));
    o.set("args", args_val(r.args));
    return o;
  }

  val splitPreview(int column, unsigned count) const {
    val out = val::array();
    size_t k = 0;
    for (const NamePreview& p : s_.split_preview(column, count)) {
      val v = val::object();
      v.set("line", p.line);
      v.set("name", str(p.name));
      v.set("firstName", str(p.first));
      v.set("lastName", str(p.last));
      v.set("unsure", str(p.unsure));
      v.set("reason", str(p.unsure.empty() ? std::string() : format_message(p.unsure)));
      out.set(k++, v);
    }
    return out;
  }

  std::string exportMapping() const { return s_.export_mapping(); }

  val importMapping(std::string json) {
    Error e = s_.import_mapping(json);
    if (e) return error_val(e);
    return mapping();
  }

  void setLookups(val o) {
    Lookups l;
    const std::string state = o["state"].isUndefined() ? "loaded" : o["state"].as<std::string>();
    l.state = state == "failed"      ? Lookups::State::failed
              : state == "not_given" ? Lookups::State::not_given
                                     : Lookups::State::loaded;
    auto fill = [&](const char* key, std::unordered_set<std::string>& out, bool lower) {
      val a = o[key];
      if (a.isUndefined() || a.isNull()) return;
      const unsigned n = a["length"].as<unsigned>();
      for (unsigned i = 0; i < n; ++i) {
        std::string s = a[i].as<std::string>();
        if (lower) {
          for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        out.insert(std::move(s));
      }
    };
    fill("roles", l.roles, true);
    fill("nodes", l.nodes, true);
    fill("applications", l.applications, true);
    fill("clients", l.clients, false);
    // names: [[id, name], ...], for showing "Admin · 5b0f7a53…" beside an id.
    val names = o["names"];
    if (!names.isUndefined() && !names.isNull()) {
      const unsigned n = names["length"].as<unsigned>();
      for (unsigned i = 0; i < n; ++i) {
        val pair = names[i];
        if (!pair[0].isString() || !pair[1].isString()) continue;
        std::string id = pair[0].as<std::string>();
        for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        l.names.emplace(std::move(id), pair[1].as<std::string>());
      }
    }
    s_.set_lookups(std::move(l));
  }

  val validate() { return stats_val(s_.validate()); }
  val stats() const { return stats_val(s_.stats()); }

  val rows(unsigned offset, unsigned limit, std::string filter) {
    const RowFilter f = filter == "errors"     ? RowFilter::errors
                        : filter == "warnings" ? RowFilter::warnings
                                               : RowFilter::all;
    const std::vector<uint32_t>& idx = s_.filtered(f);
    val o = val::object();
    o.set("total", static_cast<double>(idx.size()));
    val rows = val::array();
    const Validation& v = s_.validation();
    for (size_t k = offset, j = 0; k < idx.size() && j < limit; ++k, ++j) {
      const uint32_t i = idx[k];
      const RowCheck& rc = v.rows[i];
      val r = val::object();
      r.set("index", i);
      r.set("line", s_.table().records[i + 1].line);
      r.set("status", str(status_name(rc.status)));
      r.set("selected", s_.selected(i));
      r.set("selectable", s_.selectable(i));
      val cells = val::array();
      size_t c = 0;
      for (auto& [field, value] : s_.display_cells(i)) {
        val cv = val::object();
        cv.set("field", str(field));
        const std::string name = s_.display_name(field, value);
        if (!name.empty()) cv.set("name", str(name));
        cv.set("value", str(value));
        cells.set(c++, cv);
      }
      r.set("cells", cells);
      val issues = val::array();
      for (uint32_t q = 0; q < rc.issue_count; ++q) issues.set(q, issue_val(v.issues[rc.first_issue + q]));
      r.set("issues", issues);
      rows.set(j, r);
    }
    o.set("rows", rows);
    return o;
  }

  // The directory check: what to POST next ({kind:'send', path, body, emails} or {kind:'done'}), the
  // answer ({stats, directory}), and where it stands.
  val directoryNext(std::string account_id, std::string environment_id) {
    const auto r = s_.directory_next(Scope_ids{account_id, environment_id});
    val o = val::object();
    if (!r) {
      o.set("kind", str("done"));
      return o;
    }
    o.set("kind", str("send"));
    o.set("method", str("POST"));
    o.set("path", str(r->path));
    o.set("body", str(r->body));
    o.set("emails", static_cast<double>(r->emails));
    return o;
  }

  val directoryResponse(int status, std::string body, unsigned timeout_s) {
    const Stats st = s_.directory_response(status, body, timeout_s);
    val o = val::object();
    o.set("stats", stats_val(st));
    o.set("directory", directoryStatus());
    return o;
  }

  val directoryStatus() const {
    const DirectoryStatus d = s_.directory_status();
    val o = val::object();
    o.set("state", str(directory_state_name(d.state)));
    o.set("emails", static_cast<double>(d.emails));
    o.set("checked", static_cast<double>(d.checked));
    o.set("found", static_cast<double>(d.found));
    o.set("reason", str(d.reason));
    o.set("reasonCode", str(d.reason_code));
    o.set("reasonArgs", strings(unpack_args(d.reason_args)));
    return o;
  }

  val select(unsigned index, bool on) { return stats_val(s_.select(index, on)); }
  val selectAll(bool on) { return stats_val(s_.select_all(on)); }

  val planSubmit(std::string account_id, std::string environment_id) {
    auto r = s_.plan_submit(Scope_ids{account_id, environment_id});
    if (!r.ok()) return error_val(r.error());
    val o = val::object();
    o.set("batches", static_cast<double>(r.value()));
    o.set("rows", static_cast<double>(s_.submitter()->progress().rows_total));
    return o;
  }

  val next(double now_ms) {
    Submitter* sub = s_.submitter();
    if (!sub) return nothing_planned();
    const Action a = sub->next(static_cast<uint64_t>(now_ms));
    val o = val::object();
    if (a.kind == Action::done) {
      o.set("kind", str("done"));
      return o;
    }
    o.set("batch", static_cast<double>(a.batch));
    if (a.kind == Action::wait) {
      o.set("kind", str("wait"));
      o.set("delayMs", static_cast<double>(a.delay_ms));
      o.set("reason", str(a.reason));
      o.set("reasonCode", str(a.reason_code));
      o.set("reasonArgs", args_val(a.reason_args));
      return o;
    }
    const Batch& b = sub->batches()[a.batch];
    o.set("kind", str("send"));
    o.set("method", str("POST"));
    o.set("path", str(b.path));
    o.set("body", str(b.body));
    o.set("idempotencyKey", str(b.idempotency_key));
    o.set("rows", static_cast<double>(b.indices.size()));
    return o;
  }

  val response(unsigned batch, int status, std::string retry_after, std::string body, double now_ms, double epoch_ms,
               double random01, bool replayed) {
    Submitter* sub = s_.submitter();
    if (!sub) return nothing_planned();
    sub->on_response(batch, status, retry_after, body, static_cast<uint64_t>(now_ms), static_cast<uint64_t>(epoch_ms),
                     random01, replayed);
    return progress();
  }

  val networkError(unsigned batch, bool timeout, double now_ms, double random01) {
    Submitter* sub = s_.submitter();
    if (!sub) return nothing_planned();
    sub->on_network_error(batch, timeout, static_cast<uint64_t>(now_ms), random01);
    return progress();
  }

  val progress() const {
    val o = val::object();
    const Submitter* sub = const_cast<ImportSession&>(s_).submitter();
    Progress p = sub ? sub->progress() : Progress{};
    o.set("rowsTotal", static_cast<double>(p.rows_total));
    o.set("rowsDone", static_cast<double>(p.rows_done));
    o.set("batchesTotal", static_cast<double>(p.batches_total));
    o.set("batchesDone", static_cast<double>(p.batches_done));
    o.set("succeeded", static_cast<double>(p.succeeded));
    o.set("replayed", static_cast<double>(p.replayed));
    o.set("failed", static_cast<double>(p.failed));
    o.set("unconfirmed", static_cast<double>(p.unconfirmed));
    o.set("cancelled", static_cast<double>(p.cancelled));
    o.set("attempt", static_cast<double>(p.attempt));
    o.set("isCancelled", sub ? sub->cancelled() : false);
    return o;
  }

  void cancel() {
    if (Submitter* sub = s_.submitter()) sub->cancel();
  }
  void retryUnconfirmed() {
    if (Submitter* sub = s_.submitter()) sub->retry_unconfirmed();
  }

  // `filter`: "all" or an outcome name; `total` counts the filtered rows, `all` every row. `failures`:
  // [{code, count, first: its first row}], most frequent first (filter "problem:<code>" shows its rows);
  // rows repeating the problem of the rows before them carry `sameAsLine`; `firstFailure`: the position of the first
  // failed or unconfirmed row in the unfiltered list (-1 when none).
  val results(unsigned offset, unsigned limit, std::string filter) const {
    val o = val::object();
    std::optional<Outcome> only;
    for (Outcome k : {Outcome::created, Outcome::invited, Outcome::replayed, Outcome::failed, Outcome::unconfirmed,
                      Outcome::cancelled, Outcome::deselected, Outcome::pending}) {
      if (filter == outcome_name(k)) only = k;
    }
    // "problem:<code>": the failed and unconfirmed rows the failure summary counts under that code.
    std::string problem;
    if (filter.rfind("problem:", 0) == 0) problem = filter.substr(8);
    const std::vector<uint32_t> order = s_.result_indices(only, problem);
    const size_t total = order.size();
    o.set("total", static_cast<double>(total));
    o.set("all", static_cast<double>(s_.validation().rows.size()));
    val failures = val::array();
    size_t fk = 0;
    for (const auto& g : s_.failure_summary()) {
      val f = val::object();
      f.set("code", str(g.code));
      f.set("count", static_cast<double>(g.count));
      // The problem's message, said once: its first row's outcome (the page formats it).
      f.set("first", result_row(g.first));
      failures.set(fk++, f);
    }
    o.set("failures", failures);
    double first_failure = -1;
    for (uint32_t i = 0; i < s_.validation().rows.size(); ++i) {
      const Outcome k = s_.outcome_kind(i);
      if (k == Outcome::failed || k == Outcome::unconfirmed) {
        first_failure = i;
        break;
      }
    }
    o.set("firstFailure", first_failure);
    const ResultCounts c = s_.result_counts();
    val counts = val::object();
    counts.set("created", static_cast<double>(c.created));
    counts.set("invited", static_cast<double>(c.invited));
    counts.set("replayed", static_cast<double>(c.replayed));
    counts.set("failed", static_cast<double>(c.failed));
    counts.set("unconfirmed", static_cast<double>(c.unconfirmed));
    counts.set("cancelled", static_cast<double>(c.cancelled));
    counts.set("deselected", static_cast<double>(c.deselected));
    counts.set("pending", static_cast<double>(c.pending));
    o.set("counts", counts);
    val rows = val::array();
    // Rows that repeat the problem of the rows right before them say so instead of the same text again.
    const std::vector<int64_t> repeats = limit ? s_.repeats_of(order, offset, limit) : std::vector<int64_t>{};
    for (size_t p = offset, j = 0; p < total && j < limit; ++p, ++j) {
      val r = result_row(order[p]);
      if (j < repeats.size() && repeats[j] >= 0) {
        const auto first = static_cast<uint32_t>(repeats[j]);
        r.set("sameAsLine", s_.table().records[first + 1].line);
      }
      rows.set(j, r);
    }
    o.set("rows", rows);
    return o;
  }

  val result_row(uint32_t idx) const {
    const RowOutcome out = s_.outcome(idx);
    val r = val::object();
    r.set("index", idx);
    r.set("line", s_.table().records[idx + 1].line);
    r.set("email", str(s_.value(idx, "email")));
    r.set("outcome", str(outcome_name(out.outcome)));
    r.set("id", str(out.id));
    r.set("code", str(out.code));
    r.set("message", str(out.message));
    // Our own codes' arguments (unconfirmed, http_error, bad_response, ...), for the page to word them;
    // a server's code comes with the server's message only.
    if (!out.args.empty()) r.set("args", args_val(out.args));
    if (out.code == "invalid_row") {
      // The row's errors as data too, so the page can say what invalid_row lists in its own language.
      const Validation& v = s_.validation();
      val issues = val::array();
      size_t k = 0;
      if (idx < v.rows.size()) {
        const RowCheck& rc = v.rows[idx];
        for (uint32_t q = 0; q < rc.issue_count; ++q) {
          const Issue& is = v.issues[rc.first_issue + q];
          if (is.severity == Severity::error) issues.set(k++, issue_val(is));
        }
      }
      r.set("issues", issues);
    }
    r.set("acceptLink", str(out.accept_link));
    // The row's role, node, OAuth client and application, with their names from the lookups
    // ("Admin · 5b0f7a53…"), as in the preview.
    val refs = val::array();
    size_t k = 0;
    for (auto& [field, value] : s_.display_cells(idx)) {
      const FieldSpec* f = find_field(field);
      if (!f || value.empty() ||
          (f->kind != FieldKind::role_id && f->kind != FieldKind::node_id && f->kind != FieldKind::client_id &&
           f->kind != FieldKind::application_id)) {
        continue;
      }
      val cv = val::object();
      cv.set("field", str(field));
      const std::string name = s_.display_name(field, value);
      if (!name.empty()) cv.set("name", str(name));
      cv.set("value", str(value));
      refs.set(k++, cv);
    }
    r.set("refs", refs);
    return r;
  }

  // The exports start with a UTF-8 BOM, which a string conversion would drop: hand out the bytes.
  val exportFailedRows() { return export_view(s_.failed_rows_csv()); }
  val exportResults() { return export_view(s_.results_csv()); }
  val acceptLinks() const {
    size_t n = 0;
    std::string text = s_.accept_links_text(&n);
    val o = val::object();
    o.set("count", static_cast<double>(n));
    o.set("text", str(text));
    return o;
  }

 private:
  // Keeps the export alive in wasm memory until the next one; JS copies it out of the view.
  val export_view(std::string csv) {
    export_ = std::move(csv);
    return val(emscripten::typed_memory_view(export_.size(), reinterpret_cast<const uint8_t*>(export_.data())));
  }

  ImportSession s_;
  std::string input_;
  std::string sample_;                  // detectionSample()'s bytes, alive while JS copies them
  std::optional<DetectorVotes> votes_;  // setDetectorVotes(), for the next load()
  std::string export_;
};

// The worker's warm-up (run when the wizard opens): one throwaway import of a full-size file built from
// the schema's example rows (emails and external ids made unique, a quoted notes column with "", commas,
// line breaks and accented words), through the same bound methods the page calls. It makes the engine
// compile the hot code with its optimising tier (V8 starts wasm in a baseline tier and cannot switch a
// running call over, so a first import would run start to end in baseline code) and grows and touches
// the memory a full-size import needs (malloc keeps it for the next import), so the first real import is
// as fast as the second. Returns how long it took, in ms.
val warm_up() {
  const double t0 = emscripten_get_now();
  const ModeSpec* mode = &all_modes().front();
  for (const ModeSpec& m : all_modes()) {
    if (m.required.size() + m.optional.size() > mode->required.size() + mode->optional.size()) mode = &m;
  }
  const auto fields = mode_fields(*mode);
  std::string csv;
  csv.reserve(kMaxFileBytes);
  for (const FieldSpec* f : fields) csv.append(f->name).push_back(',');
  csv += "notes\r\n";
  static constexpr std::string_view kNotes =
      "\"Zürich, São Paulo; \"\"remote\"\" lead\nbadge, laptop, VPN, payroll, onboarding, contractor, team\"";
  size_t row = 0;
  while (csv.size() + 1024 < kMaxFileBytes - 4096 && row < kMaxDataRows) {
    const auto& ex = mode->examples[row % mode->examples.size()];
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string_view v = example_value(ex, fields[i]->name);
      if (fields[i]->kind == FieldKind::email && !v.empty()) csv.append("w").append(std::to_string(row)).append(".");
      csv += csv_cell(v);
      if (fields[i]->kind == FieldKind::external_id && !v.empty()) csv.append("-").append(std::to_string(row));
      csv.push_back(',');
    }
    for (size_t k = 0; k < 9; ++k) csv += kNotes;  // about 1 KB a row, as in a wide export
    csv += "\r\n";
    ++row;
  }
  {
    Session s(kMaxFileBytes, kMaxDataRows);
    val view = s.inputBuffer(static_cast<double>(csv.size()));
    // Not val::hasOwnProperty: its method caller is a thread_local, which the linker refuses without
    // atomics (this build has bulk memory and no threads, so nothing strips it).
    if (!view["error"].isUndefined()) return view;
    std::memcpy(s.rawInput(), csv.data(), csv.size());
    std::string().swap(csv);
    val summary = s.load("", "", 0, false);
    if (!summary["error"].isUndefined()) return summary;
    s.setMode(std::string(mode->id));
    val lookups = val::object();
    lookups.set("state", str("loaded"));
    s.setLookups(lookups);
    s.validate();
    s.rows(0, 100, "all");
    s.preview(5);
  }
  val o = val::object();
  o.set("ms", emscripten_get_now() - t0);
  return o;
}

// A fatal error the JS side detects (a File that cannot be read), worded by the one catalogue.
val core_error(std::string code) { return error_val(make_error(code)); }

// A workbook sheet's first rows for the sheet picker (the workbook reader knows no headers): under a cell
// headed like a password (mapping/secret.h), the column's cells are masked, as everywhere cells are shown.
val mask_sheet_rows(val rows) {
  const auto n = rows["length"].as<unsigned>();
  std::vector<bool> secret;
  val out = val::array();
  for (unsigned r = 0; r < n; ++r) {
    val row = rows[r];
    const auto m = row["length"].as<unsigned>();
    if (secret.size() < m) secret.resize(m, false);
    val masked = val::array();
    for (unsigned c = 0; c < m; ++c) {
      const std::string cell = row[c].as<std::string>();
      masked.set(c, secret[c] && !cell.empty() ? str(std::string(kMask)) : str(cell));
      if (!secret[c] && secret_header(cell)) secret[c] = true;
    }
    out.set(r, masked);
  }
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(canopy) {
  emscripten::function("coreError", &core_error);
  emscripten::function("maskSheetRows", &mask_sheet_rows);
  emscripten::function("warmUp", &warm_up);
  emscripten::function("icuDataBuffer", &icu_data_buffer);
  emscripten::function("installIcuData", &install_icu);
  emscripten::function("tableBuffer", &table_buffer);
  emscripten::function("installTable", &install_table);
  emscripten::function("decodeBuffer", &decode_buffer);
  emscripten::function("decode", &decode);
  emscripten::function("info", &info);
  emscripten::function("sampleCsv", &sample_csv);
  emscripten::function("heapBytes", &heap_bytes);
  emscripten::function("heapStats", &heap_stats);
  emscripten::class_<Session>("Session")
      .constructor<double, double>()
      .function("inputBuffer", &Session::inputBuffer)
      .function("load", &Session::load)
      .function("loadText", &Session::loadText)
      .function("loadSheet", &Session::loadSheet)
      .function("detectionSample", &Session::detectionSample)
      .function("setDetectorVotes", &Session::setDetectorVotes)
      .function("summary", &Session::summary)
      .function("preview", &Session::preview)
      .function("setMode", &Session::setMode)
      .function("mapping", &Session::mapping)
      .function("setColumn", &Session::setColumn)
      .function("setSplitColumn", &Session::setSplitColumn)
      .function("splitPreview", &Session::splitPreview)
      .function("exportMapping", &Session::exportMapping)
      .function("importMapping", &Session::importMapping)
      .function("setLookups", &Session::setLookups)
      .function("validate", &Session::validate)
      .function("stats", &Session::stats)
      .function("rows", &Session::rows)
      .function("directoryNext", &Session::directoryNext)
      .function("directoryResponse", &Session::directoryResponse)
      .function("directoryStatus", &Session::directoryStatus)
      .function("select", &Session::select)
      .function("selectAll", &Session::selectAll)
      .function("planSubmit", &Session::planSubmit)
      .function("next", &Session::next)
      .function("response", &Session::response)
      .function("networkError", &Session::networkError)
      .function("progress", &Session::progress)
      .function("cancel", &Session::cancel)
      .function("retryUnconfirmed", &Session::retryUnconfirmed)
      .function("results", &Session::results)
      .function("fingerprint", &Session::fingerprint)
      .function("setResumeSince", &Session::setResumeSince)
      .function("exportFailedRows", &Session::exportFailedRows)
      .function("exportResults", &Session::exportResults)
      .function("acceptLinks", &Session::acceptLinks);
}
