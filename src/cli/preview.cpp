// preview / validate / mapping / sample: everything that runs without a server.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/chunked.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/directory.h"
#include "cli/http.h"
#include "cli/lookups.h"
#include "core/messages.h"
#include "detect/dialect.h"
#include "validate/issue_text.h"

namespace canopy::cli {
namespace {

// Rows with issues listed by default (the help says so); the counts by code always cover the file.
constexpr size_t kDefaultListedRows = 1000;

using ojson = nlohmann::ordered_json;

const char* encoding_method_text(const std::string& m) {
  if (m == "bom") return "byte order mark";
  if (m == "utf8") return "valid UTF-8";
  if (m == "detected") return "detected";
  if (m == "fallback") return "detection unsure, fell back to windows-1252";
  if (m == "override") return "--encoding";
  return m.c_str();
}

const char* delimiter_method_text(const std::string& m) {
  if (m == "override") return "--delimiter";
  if (m == "default") return "default";
  return "detected";
}

const char* lookups_state_name(Lookups::State s) {
  switch (s) {
    case Lookups::State::loaded: return "loaded";
    case Lookups::State::failed: return "failed";
    default: return "not_given";
  }
}

const Suggestion* suggestion_for(const std::vector<Suggestion>& suggestions, size_t column) {
  for (const Suggestion& s : suggestions) {
    if (s.column == column) return &s;
  }
  return nullptr;
}

// Why a column is (not) mapped, in words; a suggestion from its contents follows.
std::string why(const ColumnMapping& c, const Suggestion* suggestion = nullptr) {
  if (suggestion) {
    std::string base = why(c);
    if (!base.empty() && base.back() == '.') base.pop_back();
    return base + "; suggested: " + suggestion_message(*suggestion);
  }
  switch (c.status) {
    case ColumnStatus::matched:
      if (!c.note_code.empty()) {
        // A qualified header's rule (mapper.cpp): "matched first_name as ..., reading past ...".
        std::string rule = c.note;
        if (!rule.empty() && rule[0] >= 'A' && rule[0] <= 'Z') rule[0] = static_cast<char>(rule[0] - 'A' + 'a');
        return rule;
      }
      if (c.alias == c.field) {
        return c.header == c.field ? "matched: the field's name" : "matched: the field's name, written differently";
      }
      return "matched: alias \"" + c.alias + "\" of " + c.field;
    case ColumnStatus::manual: return "set by --mapping";
    case ColumnStatus::split: return "split into first and last name (its full names; unsure ones are warnings)";
    case ColumnStatus::duplicate: return "ignored: " + c.note;
    default: return c.note.empty() ? "ignored: no field has this name or alias" : "ignored: " + c.note;
  }
}

bool mode_uses_lookups(const ModeSpec& mode, const Mapping& mapping) {
  for (const FieldSpec* f : mode_fields(mode)) {
    if (f->lookup != Lookup::none && mapping.column_of(f->name) >= 0) return true;
  }
  return false;
}

std::string missing_required_message(const ModeSpec& mode, const std::vector<std::string_view>& missing,
                                     const Mapping& mapping, const std::vector<Suggestion>& suggestions) {
  std::string hint;
  for (const Suggestion& s : suggestions) {
    hint += " Suggested: column " + std::to_string(s.column + 1) + " (\"" + mapping.columns[s.column].header + "\"). " +
            suggestion_message(s);
  }
  std::string names;
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i) names += i + 1 == missing.size() ? " and " : ", ";
    names += std::string(missing[i]);
  }
  return "No column is mapped to " + names + ", which " + std::string(mode.title) + " (--mode " + std::string(mode.id) +
         ") needs. Name the column " + std::string(missing[0]) +
         " (or a known alias), or pass --mapping FILE.json "
         "mapping a column to it (`canopy-import mapping FILE --mode " +
         std::string(mode.id) + "` prints one to edit)." + hint;
}

enum class Only : uint8_t { all, errors, warnings };

struct View {
  std::string command;
  const ModeSpec* mode = nullptr;
  const SourceInfo* info = nullptr;
  const ChunkedImport* import = nullptr;
  const Lookups* lookups = nullptr;
  const DirectoryStatus* directory = nullptr;  // null without --api
};

// How many issues of each code the whole file has (listed or not), most frequent first at the end.
using IssueCounts = std::map<std::string, size_t>;

std::vector<std::pair<std::string, size_t>> by_frequency(const IssueCounts& counts) {
  std::vector<std::pair<std::string, size_t>> v(counts.begin(), counts.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

class Renderer {
 public:
  virtual ~Renderer() = default;
  virtual void begin(const View& v) = 0;
  virtual void missing_required(const std::string& message) = 0;
  virtual void row(uint32_t line, RowStatus status, const Issue* issues, size_t n, const Mapping& m) = 0;
  virtual void end(const View& v, const std::vector<Issue>& file_issues, size_t omitted, const IssueCounts& counts) = 0;
  virtual void fatal(const Error& e) = 0;  // after begin()
};

std::string column_label(const Mapping& m, int column) {
  if (column < 0) return {};
  if (static_cast<size_t>(column) < m.columns.size()) return m.columns[static_cast<size_t>(column)].header;
  return "column " + std::to_string(column + 1);
}

class TextRenderer : public Renderer {
 public:
  void begin(const View& v) override {
    const SourceInfo& i = *v.info;
    const Mapping& m = v.import->mapping();
    std::printf("File:       %s", i.path == "-" ? "(standard input)" : i.path.c_str());
    if (i.file_bytes) std::printf(" (%s bytes)", with_commas(i.file_bytes).c_str());
    if (i.format != "csv") {
      // A workbook's sheet: no encoding or delimiter (its cells are read as they are).
      std::printf("\nSheet:      \"%s\" (%s workbook, %zu sheet%s with cells)\n", i.sheet.c_str(), i.format.c_str(),
                  i.sheets_with_cells, i.sheets_with_cells == 1 ? "" : "s");
    } else {
      std::printf("\nEncoding:   %s (%d%%, %s)\n", i.encoding.c_str(), i.encoding_confidence,
                  encoding_method_text(i.encoding_method));
      if (i.encoding_unsure) {
        // The same cells under each reading, as the wizard's "Which of these looks right?" shows them.
        std::printf("            Warning: %s\n", encoding_unsure_text(i).c_str());
        size_t w = 0;
        for (const auto& c : i.encoding_choices) w = std::max(w, c.encoding.size());
        for (const auto& c : i.encoding_choices) {
          std::string cells;
          for (const auto& x : c.examples) cells += (cells.empty() ? "" : " | ") + x;
          std::printf("              %-*s  %s\n", static_cast<int>(w), c.encoding.c_str(), cells.c_str());
        }
      }
      std::printf("Delimiter:  %s (%d%%, %s)\n", delimiter_name(i.delimiter), i.delimiter_confidence,
                  delimiter_method_text(i.delimiter_method));
    }
    std::printf("Columns:    %zu\n", v.import->headers().size());
    if (i.header_line != 1 || !v.import->totals().preamble.empty()) {
      std::printf("Header:     line %u\n", i.header_line);
    }
    if (const std::string p = preamble_text(v.import->totals().preamble, i.header_line, "              "); !p.empty()) {
      std::printf("Skipped:    %s\n", p.c_str());
    }
    std::printf("Mode:       %s (%s)\n", std::string(v.mode->id).c_str(), std::string(v.mode->title).c_str());
    std::printf("\nMapping:\n");
    size_t wh = 6, wf = 5;
    for (const auto& c : m.columns) {
      wh = std::max(wh, c.header.size());
      wf = std::max(wf, c.field.size());
    }
    wh = std::min<size_t>(wh, 32);
    for (size_t k = 0; k < m.columns.size(); ++k) {
      const auto& c = m.columns[k];
      std::printf("  %3zu  %-*s  %-*s  %s\n", k + 1, static_cast<int>(wh), c.header.c_str(), static_cast<int>(wf),
                  c.field.empty() ? "-" : c.field.c_str(), why(c, suggestion_for(v.import->suggestions(), k)).c_str());
    }
    const auto missing = m.missing_required();
    if (missing.empty()) std::printf("Required fields: all mapped.\n");
    if (v.lookups->state == Lookups::State::not_given && mode_uses_lookups(*v.mode, m)) {
      std::printf(
          "Lookups:    not given: role, node, OAuth client and application ids are checked for format only "
          "(reported as not verified); pass --lookups FILE.json to check that they exist.\n");
    } else if (v.lookups->state == Lookups::State::loaded) {
      std::printf("Lookups:    %zu roles, %zu nodes, %zu OAuth clients, %zu applications\n", v.lookups->roles.size(),
                  v.lookups->nodes.size(), v.lookups->clients.size(), v.lookups->applications.size());
    }
    std::fflush(stdout);
  }

  void missing_required(const std::string& message) override {
    std::printf("Required fields: MISSING. %s\n", message.c_str());
  }

  void row(uint32_t line, RowStatus, const Issue* issues, size_t n, const Mapping& m) override {
    if (!issues_header_) {
      std::printf("\nIssues:\n");
      issues_header_ = true;
    }
    for (size_t k = 0; k < n; ++k) {
      const Issue& is = issues[k];
      std::string where = "line " + std::to_string(line);
      const std::string header = column_label(m, is.column);
      if (!header.empty()) where += ", " + header;
      if (!is.field.empty() && is.field != header) where += " (" + is.field + ")";
      std::printf("  %s: %s: %s [%s]\n", where.c_str(), severity_name(is.severity), issue_message(is).c_str(),
                  is.code.c_str());
    }
  }

  void end(const View& v, const std::vector<Issue>& file_issues, size_t omitted, const IssueCounts& counts) override {
    for (const Issue& is : file_issues) {
      std::printf("  file: %s: %s [%s]\n", severity_name(is.severity), issue_message(is).c_str(), is.code.c_str());
    }
    if (omitted)
      std::printf("  ... and %s more rows with issues (--limit 0 shows all)\n", with_commas(omitted).c_str());
    if (!counts.empty()) {
      std::printf("\nIssue counts:");
      const char* sep = " ";
      for (const auto& [code, n] : by_frequency(counts)) {
        std::printf("%s%s %s", sep, with_commas(n).c_str(), code.c_str());
        sep = ", ";
      }
      std::printf("\n");
    }
    const Totals& t = v.import->totals();
    std::printf("\nRows:       %s data rows", with_commas(t.rows).c_str());
    if (t.comment_lines) std::printf(", %s comment lines stripped", with_commas(t.comment_lines).c_str());
    if (t.blank_lines) std::printf(", %s blank lines skipped", with_commas(t.blank_lines).c_str());
    if (const std::string f = footer_text(t.footer, "              "); !f.empty())
      std::printf("\nFooter:     %s", f.c_str());
    std::printf("\nStats:      %s valid, %s with warnings, %s with errors\n", with_commas(t.valid).c_str(),
                with_commas(t.warnings).c_str(), with_commas(t.errors).c_str());
    std::printf("Directory:  %s\n", directory_line(v.directory).c_str());
    std::fflush(stdout);
  }

  void fatal(const Error& e) override {
    std::printf("\nStopped: %s\n", describe(e).c_str());
    std::fflush(stdout);
  }

 private:
  bool issues_header_ = false;
};

// Skipped lines as JSON: [{"line": 1, "text": "sep=;", "sep": true}, ...].
ojson skipped_json(const std::vector<SkippedLine>& lines) {
  ojson out = ojson::array();
  for (const SkippedLine& l : lines) {
    ojson j;
    j["line"] = l.line;
    j["text"] = l.text;
    j["sep"] = l.sep;
    out.push_back(std::move(j));
  }
  return out;
}

ojson issue_json(const Issue& is, const Mapping& m) {
  ojson j;
  j["code"] = is.code;
  j["severity"] = severity_name(is.severity);
  j["field"] = is.field.empty() ? ojson(nullptr) : ojson(is.field);
  j["column"] = is.column >= 0 ? ojson(is.column + 1) : ojson(nullptr);
  j["header"] = is.column >= 0 ? ojson(column_label(m, is.column)) : ojson(nullptr);
  j["message"] = issue_message(is);
  return j;
}

const char* status_name(RowStatus s) {
  switch (s) {
    case RowStatus::error: return "error";
    case RowStatus::warning: return "warning";
    default: return "valid";
  }
}

// Streams one JSON document: the head when the first chunk is in, one row object per line as chunks
// come, the totals at the end. Keys never change order (docs/cli.md has the schema).
class JsonRenderer : public Renderer {
 public:
  void begin(const View& v) override {
    const SourceInfo& i = *v.info;
    const Mapping& m = v.import->mapping();
    ojson file;
    file["path"] = i.path;
    file["bytes"] = i.file_bytes ? ojson(i.file_bytes) : ojson(nullptr);
    file["encoding"] = i.encoding;
    file["encoding_confidence"] = i.encoding_confidence;
    file["encoding_method"] = i.encoding_method;
    file["encoding_unsure"] = i.encoding_unsure;
    ojson choices = ojson::array();
    for (const auto& c : i.encoding_choices) {
      ojson x;
      x["encoding"] = c.encoding;
      x["score"] = c.score;
      x["language"] = c.language;
      x["examples"] = c.examples;
      choices.push_back(std::move(x));
    }
    file["encoding_choices"] = std::move(choices);
    file["bom"] = i.had_bom;
    file["delimiter"] = delimiter_name(i.delimiter);
    file["delimiter_confidence"] = i.delimiter_confidence;
    file["delimiter_method"] = i.delimiter_method;
    file["columns"] = v.import->headers().size();
    file["headers"] = v.import->headers();
    file["header_line"] = i.header_line;
    file["preamble"] = skipped_json(v.import->totals().preamble);
    file["format"] = i.format;  // "csv" | "xlsx" | "ods"
    file["sheet"] = i.format == "csv" ? ojson(nullptr) : ojson(i.sheet);
    ojson mode;
    mode["id"] = std::string(v.mode->id);
    mode["title"] = std::string(v.mode->title);
    ojson req = ojson::array(), opt = ojson::array();
    for (auto f : v.mode->required) req.push_back(std::string(f));
    for (auto f : v.mode->optional) opt.push_back(std::string(f));
    mode["required"] = req;
    mode["optional"] = opt;
    ojson cols = ojson::array();
    for (size_t k = 0; k < m.columns.size(); ++k) {
      const auto& c = m.columns[k];
      ojson col;
      col["column"] = k + 1;
      col["header"] = c.header;
      col["field"] = c.field.empty() ? ojson(nullptr) : ojson(c.field);
      col["status"] = column_status_name(c.status);
      col["alias"] = c.alias.empty() ? ojson(nullptr) : ojson(c.alias);
      col["note"] = c.note.empty() ? ojson(nullptr) : ojson(c.note);
      const Suggestion* sg = suggestion_for(v.import->suggestions(), k);
      col["why"] = why(c, sg);
      col["suggested"] = sg ? ojson(std::string(sg->field)) : ojson(nullptr);
      cols.push_back(std::move(col));
    }
    ojson missing = ojson::array();
    for (auto f : m.missing_required()) missing.push_back(std::string(f));
    ojson mapping;
    mapping["columns"] = std::move(cols);
    mapping["missing_required"] = std::move(missing);
    // The saved mapping is spliced in as text: parsing it back into an ordered_json (whose objects look
    // keys up one by one) made JSON output quadratic in the number of columns.
    std::string mapping_text = mapping.dump();
    mapping_text.pop_back();
    mapping_text += ",\"saved\":" + mapping_to_json(m, true) + "}";

    std::printf(
        "{\"format\":\"canopy-import.preview/1\",\"command\":%s,\n\"file\":%s,\n\"mode\":%s,\n\"mapping\":%s,\n"
        "\"lookups\":%s,\n\"rows\":[",
        ojson(v.command).dump().c_str(), file.dump().c_str(), mode.dump().c_str(), mapping_text.c_str(),
        ojson(lookups_state_name(v.lookups->state)).dump().c_str());
  }

  void missing_required(const std::string& message) override { error_ = Error{"required_field_unmapped", message}; }

  void row(uint32_t line, RowStatus status, const Issue* issues, size_t n, const Mapping& m) override {
    ojson r;
    r["row"] = line;
    r["status"] = status_name(status);
    ojson list = ojson::array();
    for (size_t k = 0; k < n; ++k) list.push_back(issue_json(issues[k], m));
    r["issues"] = std::move(list);
    std::printf("%s\n%s", first_row_ ? "" : ",", r.dump().c_str());
    first_row_ = false;
  }

  void end(const View& v, const std::vector<Issue>& file_issues, size_t omitted, const IssueCounts& counts) override {
    const Totals& t = v.import->totals();
    ojson issue_counts = ojson::object();
    for (const auto& [code, n] : by_frequency(counts)) issue_counts[code] = n;
    ojson fi = ojson::array();
    for (const Issue& is : file_issues) fi.push_back(issue_json(is, v.import->mapping()));
    ojson summary;
    summary["rows"] = t.rows;
    summary["comment_lines"] = t.comment_lines;
    summary["blank_lines"] = t.blank_lines;
    summary["parse_issues"] = t.parse_issues;
    summary["footer"] = skipped_json(t.footer);
    ojson stats = nullptr;  // rows are not checked while a required field is unmapped
    if (error_.code != "required_field_unmapped") stats = ojson::object();
    if (stats.is_object()) stats["rows"] = t.rows;
    if (stats.is_object()) {
      stats["valid"] = t.valid;
      stats["warnings"] = t.warnings;
      stats["errors"] = t.errors;
    }
    ojson err = nullptr;
    if (error_) {
      err = ojson::object();
      err["code"] = error_.code;
      err["message"] = error_.message;
    }
    ojson dir;
    const DirectoryStatus none;
    const DirectoryStatus& d = v.directory ? *v.directory : none;
    dir["state"] = directory_state_name(d.state);
    dir["emails"] = d.emails;
    dir["checked"] = d.checked;
    dir["found"] = d.found;
    dir["reason"] = d.reason.empty() ? ojson(nullptr) : ojson(d.reason);
    std::printf(
        "],\n\"rows_omitted\":%zu,\n\"issue_counts\":%s,\n\"file_issues\":%s,\n\"summary\":%s,\n\"stats\":%s,\n"
        "\"directory\":%s,\n\"error\":%s}\n",
        omitted, issue_counts.dump().c_str(), fi.dump().c_str(), summary.dump().c_str(), stats.dump().c_str(),
        dir.dump().c_str(), err.dump().c_str());
    std::fflush(stdout);
  }

  void fatal(const Error& e) override { error_ = Error{e.code, describe(e)}; }

 private:
  bool first_row_ = true;
  Error error_;
};

}  // namespace

int run_preview(int argc, char** argv, bool validate) {
  const char* command = validate ? "validate" : "preview";
  Args args;
  std::string err;
  const std::vector<OptionSpec> specs = {
      {"help", false},       {"mode", true},          {"lookups", true}, {"mapping", true},   {"encoding", true},
      {"delimiter", true},   {"format", true},        {"only", true},    {"limit", true},     {"chunk-rows", true},
      {"api", true},         {"environment", true},   {"account", true}, {"token-env", true}, {"split-name", true},
      {"header-line", true}, {"keep-footers", false}, {"sheet", true},
  };
  if (!parse_args(argc, argv, 2, specs, &args, &err))
    return fail(kExitUsage, err + " See canopy-import " + command + " --help.");
  if (args.has("help")) return print_help(command);
  std::string path;
  if (!file_argument(args, command, &path, &err)) return fail(kExitUsage, err);
  const ModeSpec* mode = mode_option(args, &err);
  if (!mode) return fail(kExitUsage, err);
  const std::string format = args.get("format", "text");
  if (format != "text" && format != "json")
    return fail(kExitUsage, "--format is text or json, not \"" + format + "\".");
  Only only = Only::all;
  if (args.has("only")) {
    const std::string o = args.get("only");
    if (o == "errors") only = Only::errors;
    else if (o == "warnings") only = Only::warnings;
    else if (o != "all") return fail(kExitUsage, "--only is errors, warnings or all, not \"" + o + "\".");
  }
  size_t limit = kDefaultListedRows;
  if (args.has("limit")) {
    const std::string l = args.get("limit");
    char* end = nullptr;
    limit = std::strtoul(l.c_str(), &end, 10);
    if (l.empty() || *end) return fail(kExitUsage, "--limit needs a number of rows (0 = all), not \"" + l + "\".");
  }
  auto inputs = input_options(args, *mode);
  if (!inputs.ok()) return fail(kExitUsage, inputs.error().message);
  ImportOptions& io = inputs.value().import;
  const SourceOptions& so = inputs.value().source;

  // --api: the directory check, as the wizard's Preview makes it (read-only; nothing is created).
  std::unique_ptr<Http> http;
  std::unique_ptr<DirectoryChecker> directory;
  if (args.has("api")) {
    const std::string api = normalize_api_base(args.get("api"));
    if (api.empty())
      return fail(kExitUsage, "--api needs an http:// or https:// URL, not \"" + args.get("api") + "\".");
    const std::string environment = args.get("environment");
    if (mode->scope == Scope::environment && environment.empty()) {
      return fail(kExitUsage, std::string(mode->title) +
                                  " checks emails in an environment: add --environment ID (for example "
                                  "--environment env_dev), or leave out --api.");
    }
    const std::string token_env = args.get("token-env", "CANOPY_TOKEN");
    const char* token = std::getenv(token_env.c_str());
    if (!token || !*token) {
      return fail(kExitUsage, "Set the environment variable " + token_env +
                                  " to the API token for --api (it is read from the variable named by --token-env, "
                                  "default CANOPY_TOKEN, never from the command line).");
    }
    http = std::make_unique<Http>(api, token);
    directory = std::make_unique<DirectoryChecker>(*http, Scope_ids{args.get("account"), environment});
    io.on_validated = [&directory](ImportSession& session) { return directory->check(session); };
  } else if (args.has("environment") || args.has("account") || args.has("token-env")) {
    return fail(kExitUsage, "--environment, --account and --token-env go with --api URL (the directory check).");
  }

  auto opened = ChunkReader::open(path, so);
  if (!opened.ok()) return fail(kExitUsage, path + ": " + describe(opened.error()));
  if (const std::string n = sheet_note(opened.value()->info()); !n.empty())
    std::fprintf(stderr, "canopy-import: note: %s\n", n.c_str());
  ChunkReader& reader = *opened.value();
  ChunkedImport imp(reader, io);
  auto first = imp.next();
  if (!first.ok()) return fail(kExitUsage, path + ": " + describe(first.error()));
  ImportSession* s = first.value();
  for (const auto& note : imp.mapping_notes()) std::fprintf(stderr, "canopy-import: note: %s\n", note.c_str());

  std::unique_ptr<Renderer> out;
  if (format == "json") out = std::make_unique<JsonRenderer>();
  else out = std::make_unique<TextRenderer>();
  View view{command, mode, &reader.info(), &imp, &io.lookups, directory ? &directory->totals() : nullptr};
  out->begin(view);

  const auto missing = imp.mapping().missing_required();
  std::vector<Issue> file_issues;
  size_t shown = 0, omitted = 0;
  if (!missing.empty()) {
    const std::string message = missing_required_message(*mode, missing, imp.mapping(), imp.suggestions());
    out->missing_required(message);
    out->end(view, file_issues, 0, {});
    return fail(kExitUsage, message);
  }
  bool file_errors = false;
  IssueCounts counts;
  // What the core says about the file as a whole (a failed-rows.csv coming back, the columns it left
  // out): from the first chunk, which holds the lines above the header.
  for (const Issue& is : s->summary().notes) file_issues.push_back(is);
  while (s) {
    const Validation& v = s->validation();
    for (const Issue& is : v.issues) ++counts[is.code];
    for (size_t i = 0; i < v.rows.size(); ++i) {
      const RowCheck& rc = v.rows[i];
      if (!rc.issue_count) continue;
      if (only == Only::errors && rc.status != RowStatus::error) continue;
      if (only == Only::warnings && rc.status != RowStatus::warning) continue;
      if (limit && shown >= limit) {
        ++omitted;
        continue;
      }
      ++shown;
      out->row(s->table().records[i + 1].line, rc.status, &v.issues[rc.first_issue], rc.issue_count, imp.mapping());
    }
    for (const Issue& is : v.issues) {
      if (is.row == kNoRow) {
        file_issues.push_back(is);
        file_errors |= is.severity == Severity::error;
      }
    }
    auto more = imp.next();
    if (!more.ok()) {
      out->fatal(more.error());
      out->end(view, file_issues, omitted, counts);
      return fail(kExitUsage, path + ": " + describe(more.error()));
    }
    s = more.value();
  }
  out->end(view, file_issues, omitted, counts);
  if (validate && (imp.totals().errors > 0 || file_errors)) return kExitRows;
  return kExitOk;
}

int run_mapping(int argc, char** argv) {
  Args args;
  std::string err;
  const std::vector<OptionSpec> specs = {{"help", false},       {"mode", true},      {"mapping", true},
                                         {"encoding", true},    {"delimiter", true}, {"split-name", true},
                                         {"header-line", true}, {"sheet", true}};
  if (!parse_args(argc, argv, 2, specs, &args, &err))
    return fail(kExitUsage, err + " See canopy-import mapping --help.");
  if (args.has("help")) return print_help("mapping");
  std::string path;
  if (!file_argument(args, "map", &path, &err)) return fail(kExitUsage, err);
  const ModeSpec* mode = mode_option(args, &err);
  if (!mode) return fail(kExitUsage, err);
  ImportOptions io;
  io.mode = mode;
  if (args.has("mapping")) {
    auto text = read_file(args.get("mapping"), "mapping");
    if (!text.ok()) return fail(kExitUsage, text.error().message);
    io.mapping_json = std::move(text).value();
  }
  if (args.has("split-name")) io.split_name = args.get("split-name");
  SourceOptions so;
  so.encoding = args.get("encoding");
  so.delimiter = args.get("delimiter");
  if (Error e = layout_options(args, &so)) return fail(kExitUsage, e.message);
  so.chunk_rows = kSuggestSampleRows;  // the header, and the rows a suggestion looks at (as the wizard)
  auto opened = ChunkReader::open(path, so);
  if (!opened.ok()) return fail(kExitUsage, path + ": " + describe(opened.error()));
  if (const std::string n = sheet_note(opened.value()->info()); !n.empty())
    std::fprintf(stderr, "canopy-import: note: %s\n", n.c_str());
  ChunkedImport imp(*opened.value(), io);
  auto first = imp.next();
  if (!first.ok()) return fail(kExitUsage, path + ": " + describe(first.error()));
  for (const auto& note : imp.mapping_notes()) std::fprintf(stderr, "canopy-import: note: %s\n", note.c_str());
  std::printf("%s\n", mapping_to_json(imp.mapping()).c_str());
  const auto missing = imp.mapping().missing_required();
  if (!missing.empty())
    return fail(kExitUsage, missing_required_message(*mode, missing, imp.mapping(), imp.suggestions()));
  return kExitOk;
}

int run_sample(int argc, char** argv) {
  Args args;
  std::string err;
  const std::vector<OptionSpec> specs = {{"help", false}, {"mode", true}, {"lookups", true}};
  if (!parse_args(argc, argv, 2, specs, &args, &err))
    return fail(kExitUsage, err + " See canopy-import sample --help.");
  if (args.has("help")) return print_help("sample");
  if (!args.positional.empty()) return fail(kExitUsage, "sample takes no file: it prints the sample CSV of --mode.");
  const ModeSpec* mode = mode_option(args, &err);
  if (!mode) return fail(kExitUsage, err);
  // --lookups: the scope's own ids instead of the demo data's, so the sample validates there.
  SampleIds ids;
  if (args.has("lookups")) {
    auto text = read_file(args.get("lookups"), "lookups");
    if (!text.ok()) return fail(kExitUsage, text.error().message);
    auto parsed = sample_ids_json(text.value());
    if (!parsed.ok()) return fail(kExitUsage, parsed.error().message);
    ids = std::move(parsed).value();
  }
  const std::string csv = ImportSession::sample_csv(*mode, args.has("lookups") ? &ids : nullptr);
  std::fwrite(csv.data(), 1, csv.size(), stdout);
  return kExitOk;
}

}  // namespace canopy::cli
