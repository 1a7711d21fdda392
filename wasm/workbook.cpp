// canopy-workbook.wasm: the workbook reader (src/workbook/: zlib, expat) alone, without ICU or embind,
// built -Oz. wasm/index.mjs fetches it only when a dropped file has the ZIP or OLE2 signature, opens the
// workbook here, and hands the chosen sheet's CSV to the core's session (loadSheet). Plain C exports
// and JSON out keep the module small; one workbook is open at a time.
#include "workbook/workbook.h"

#include <emscripten/emscripten.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "core/messages.h"

using namespace canopy;
using namespace canopy::workbook;

namespace {

std::unique_ptr<MemorySource> g_source;
std::unique_ptr<Workbook> g_book;
std::vector<SheetShape> g_shapes;  // measured by wb_open, so writing a sheet is one more pass, not two
std::string g_out;                 // the last result: JSON, or a sheet's CSV

void json_string(std::string& o, std::string_view s) {
  o += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (u < 0x20) {
      static const char hex[] = "0123456789abcdef";
      o += "\\u00";
      o += hex[u >> 4];
      o += hex[u & 15];
    } else {
      o += c;
    }
  }
  o += '"';
}

const char* error_json(const Error& e) {
  g_out = "{\"error\":{\"code\":";
  json_string(g_out, e.code);
  g_out += ",\"message\":";
  json_string(g_out, e.message);
  g_out += ",\"args\":[";
  bool first = true;
  size_t start = 0;
  for (size_t i = 0; i < e.args.size(); ++i) {
    if (e.args[i] != kArgEnd) continue;
    if (!first) g_out += ',';
    first = false;
    json_string(g_out, std::string_view(e.args).substr(start, i - start));
    start = i + 1;
  }
  g_out += "]}}";
  return g_out.c_str();
}

}  // namespace

extern "C" {

// A buffer of n bytes for the file (JS writes it, wb_open takes it over).
EMSCRIPTEN_KEEPALIVE char* wb_alloc(size_t n) { return static_cast<char*>(std::malloc(n ? n : 1)); }

// Opens the n bytes at `bytes` (freed here), measures every sheet and returns JSON:
// {"format":"xlsx","choice":0,"sheets":[{"name","hidden","rows","columns","firstRows":[[...]]}]} or
// {"error":{...}}.
// max_bytes: the file limit (0: none).
EMSCRIPTEN_KEEPALIVE const char* wb_open(char* bytes, size_t n, double max_bytes, double preview_rows) {
  g_book.reset();
  g_source.reset();
  g_shapes.clear();
  // Over the limit, the bytes are not even read (bytes may be null: JS asks before reading a big File).
  if (max_bytes > 0 && static_cast<double>(n) > max_bytes) {
    std::free(bytes);
    return error_json(make_error("file_too_large", {std::to_string(n)}));
  }
  std::string data(bytes, n);
  std::free(bytes);
  g_source = std::make_unique<MemorySource>(std::move(data));
  auto book = Workbook::open(*g_source);
  if (!book.ok()) return error_json(book.error());
  g_book = std::move(book).value();
  const auto& sheets = g_book->sheets();
  std::vector<SheetShape> shapes;
  for (size_t i = 0; i < sheets.size(); ++i) {
    auto shape = g_book->shape(i, preview_rows > 0 ? static_cast<size_t>(preview_rows) : 5);
    if (!shape.ok()) return error_json(shape.error());
    shapes.push_back(std::move(shape).value());
  }
  g_shapes = shapes;
  const int choice = default_sheet(sheets, shapes);
  if (choice == -2) return error_json(make_error("workbook_empty"));
  // choice: the sheet to read without asking, -1 when the user chooses (default_sheet).
  g_out = "{\"format\":";
  json_string(g_out, format_name(g_book->format()));
  g_out += ",\"choice\":" + std::to_string(choice) + ",\"sheets\":[";
  for (size_t i = 0; i < sheets.size(); ++i) {
    const SheetShape& sh = shapes[i];
    if (i) g_out += ',';
    g_out += "{\"name\":";
    json_string(g_out, sheets[i].name);
    g_out += ",\"hidden\":";
    g_out += sheets[i].hidden ? "true" : "false";
    g_out += ",\"rows\":" + std::to_string(sh.rows) + ",\"columns\":" + std::to_string(sh.columns) + ",\"firstRows\":[";
    for (size_t r = 0; r < sh.first_rows.size(); ++r) {
      if (r) g_out += ',';
      g_out += '[';
      for (size_t c = 0; c < sh.first_rows[r].size(); ++c) {
        if (c) g_out += ',';
        json_string(g_out, sh.first_rows[r][c]);
      }
      g_out += ']';
    }
    g_out += "]}";
  }
  g_out += "]}";
  return g_out.c_str();
}

// The sheet `index` of the open workbook as CSV; its byte length is wb_size(). On an error: null, and
// wb_error() is its JSON.
EMSCRIPTEN_KEEPALIVE const char* wb_sheet_csv(double index) {
  if (!g_book || index < 0 || index >= static_cast<double>(g_book->sheets().size())) {
    error_json(make_error("bad_state", {"no_workbook_sheet"}));
    return nullptr;
  }
  std::string csv;
  Error e = g_book->write_csv(static_cast<size_t>(index), g_shapes[static_cast<size_t>(index)],
                              [&csv](std::string_view piece) {
                                csv += piece;
                                return Error{};
                              });
  if (e) {
    error_json(e);
    return nullptr;
  }
  g_out = std::move(csv);
  return g_out.data();
}

EMSCRIPTEN_KEEPALIVE double wb_size() { return static_cast<double>(g_out.size()); }
EMSCRIPTEN_KEEPALIVE const char* wb_error() { return g_out.c_str(); }

EMSCRIPTEN_KEEPALIVE void wb_close() {
  g_book.reset();
  g_source.reset();
  g_shapes.clear();
  g_out = std::string();
}
}
