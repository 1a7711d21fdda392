#include "cli/common.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/lookups.h"

namespace canopy::cli {

int fail(int exit_code, const std::string& message) {
  std::fprintf(stderr, "canopy-import: %s\n", message.c_str());
  return exit_code;
}

std::string describe(const Error& e) {
  std::string m = e.message;
  if (e.code == "undecodable" || e.code == "unknown_encoding") {
    m += " Name the encoding with --encoding (for example --encoding windows-1252).";
  } else if (e.code == "bad_delimiter") {
    m += " (--delimiter comma|semicolon|tab)";
  } else if (e.code == "bad_header_line") {
    m += " (--header-line N, or leave it out)";
  }
  return m;
}

std::string encoding_unsure_text(const SourceInfo& i) {
  if (!i.encoding_unsure) return {};
  const std::string other = i.encoding_choices.size() > 1 ? i.encoding_choices[1].encoding : std::string("?");
  std::string m = format_message("encoding_unsure", {i.encoding, other});
  m += " (";
  for (size_t k = 0; k < i.encoding_choices.size(); ++k) {
    if (k) m += ", or ";
    m += "--encoding " + i.encoding_choices[k].encoding;
  }
  return m + ")";
}

Result<std::string> read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{"file_unreadable",
                 std::string("Cannot read the ") + what + " file " + path + ": " + std::strerror(errno) + "."};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const ModeSpec* mode_option(const Args& args, std::string* error) {
  const std::string names = mode_ids();
  if (!args.has("mode")) {
    *error = "Choose the import with --mode (" + names + ").";
    return nullptr;
  }
  const ModeSpec* m = find_mode(args.get("mode"));
  if (!m) *error = "There is no mode \"" + args.get("mode") + "\"; use " + names + ".";
  return m;
}

Result<Lookups> lookups_option(const Args& args, const ModeSpec& mode) {
  if (!args.has("lookups")) return Lookups{};
  const std::string path = args.get("lookups");
  auto text = read_file(path, "lookups");
  if (!text.ok()) return text.error();
  std::vector<std::string> missing;
  auto l = parse_lookups_json(text.value(), &missing);
  if (!l.ok()) return Error{l.error().code, path + ": " + l.error().message};
  for (const std::string& kind : missing) {
    const char* field = kind == "roles"           ? "role_id"
                        : kind == "nodes"         ? "node_id"
                        : kind == "oauth_clients" ? "client_id"
                                                  : "application_id";
    if (mode_has_field(mode, field)) {
      std::fprintf(stderr,
                   "canopy-import: note: %s has no \"%s\" list, so every %s in the file will be reported unknown.\n",
                   path.c_str(), kind.c_str(), field);
    }
  }
  return l;
}

bool file_argument(const Args& args, const char* command, std::string* path, std::string* error) {
  if (args.positional.empty()) {
    *error = std::string("Give the CSV file to ") + command + " (or - for standard input).";
    return false;
  }
  if (args.positional.size() > 1) {
    *error = "One file at a time: \"" + args.positional[1] + "\" is one argument too many.";
    return false;
  }
  *path = args.positional[0];
  return true;
}

namespace {
// "lines 1, 2" for the message (its arguments are kept short), then each line with its text below it.
std::string line_numbers(const std::vector<SkippedLine>& lines) {
  std::string out = lines.size() == 1 ? "line " : "lines ";
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + std::to_string(lines[i].line);
  return out;
}

std::string each_line(const std::vector<SkippedLine>& lines, const std::string& indent) {
  std::string out;
  for (const SkippedLine& l : lines) {
    out += "\n" + indent + "line " + std::to_string(l.line) + ": \"" + l.text + "\"";
    if (l.sep) out += " (Excel's delimiter line: it set the delimiter)";
  }
  return out;
}
}  // namespace

std::string preamble_text(const std::vector<SkippedLine>& lines, uint32_t header_line, const std::string& indent) {
  if (lines.empty()) return {};
  return format_message("preamble_skipped",
                        {std::to_string(lines.size()), line_numbers(lines), std::to_string(header_line)}) +
         " (--header-line N)" + each_line(lines, indent);
}

std::string footer_text(const std::vector<SkippedLine>& lines, const std::string& indent) {
  if (lines.empty()) return {};
  return format_message("footer_skipped", {std::to_string(lines.size()), line_numbers(lines)}) + " (--keep-footers)" +
         each_line(lines, indent);
}

std::string sheet_note(const SourceInfo& info) {
  if (info.format == "csv" || info.sheet_by_option || info.other_sheets.empty()) return {};
  return "the workbook has " + std::to_string(info.sheets_with_cells) + " sheets with cells; read \"" + info.sheet +
         "\". Read another with --sheet NAME or --sheet N: " + info.other_sheets + ".";
}

Error layout_options(const Args& args, SourceOptions* source) {
  if (args.has("header-line")) {
    const std::string v = args.get("header-line");
    char* end = nullptr;
    const unsigned long n = std::strtoul(v.c_str(), &end, 10);
    if (v.empty() || *end || n == 0 || n > 0xFFFFFFFFul) {
      return Error{"bad_argument",
                   "--header-line needs the line number of the header row (1 = the first line), not \"" + v + "\"."};
    }
    source->header_line = static_cast<uint32_t>(n);
  }
  source->keep_footers = args.has("keep-footers");
  source->sheet = args.get("sheet");
  if (args.has("sheet") && source->sheet.empty()) {
    return Error{"bad_argument", "--sheet needs a sheet's name or its number (1 is the first)."};
  }
  return {};
}

Result<InputOptions> input_options(const Args& args, const ModeSpec& mode) {
  InputOptions o;
  o.import.mode = &mode;
  auto lookups = lookups_option(args, mode);
  if (!lookups.ok()) return lookups.error();
  o.import.lookups = std::move(lookups).value();
  if (args.has("mapping")) {
    auto text = read_file(args.get("mapping"), "mapping");
    if (!text.ok()) return text.error();
    o.import.mapping_json = std::move(text).value();
  }
  if (args.has("split-name")) o.import.split_name = args.get("split-name");
  o.source.encoding = args.get("encoding");
  o.source.delimiter = args.get("delimiter");
  if (Error e = layout_options(args, &o.source)) return e;
  o.import.keep_footers = o.source.keep_footers;
  if (args.has("chunk-rows")) {  // for tests: small chunks must give what one piece gives
    o.source.chunk_rows = std::strtoul(args.get("chunk-rows").c_str(), nullptr, 10);
    if (o.source.chunk_rows == 0) return Error{"bad_argument", "--chunk-rows needs a positive number of rows."};
  }
  return o;
}

}  // namespace canopy::cli
