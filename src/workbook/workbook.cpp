#include "workbook/workbook.h"

#include <algorithm>
#include <cstring>

#include "core/container.h"
#include "core/messages.h"
#include "workbook/reader.h"

namespace canopy::workbook {
namespace {

// The encrypted-OOXML check of core/container.h over a source, a block at a time.
bool ole2_encrypted_source(ByteSource& source) {
  constexpr size_t kBlock = 1 << 20, kOverlap = 32;
  std::string buf;
  const uint64_t size = source.size();
  for (uint64_t off = 0; off < size; off += kBlock) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(size - off, kBlock + kOverlap));
    buf.resize(n);
    if (!source.read(off, n, buf.data())) return false;
    if (ole2_encrypted(buf)) return true;
  }
  return false;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

const char* format_name(Format f) { return f == Format::xlsx ? "xlsx" : "ods"; }

void append_utf8(std::string& out, uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Error parse_entry(const ZipArchive& zip, const ZipEntry& entry, XmlHandler& handler, const XmlLimits& limits) {
  XmlParser parser(handler, entry.name, limits);
  Error e = zip.read(entry, [&parser](const char* d, size_t n) {
    if (parser.done()) return Error{};
    return parser.feed(d, n, false);
  });
  if (e) return e;
  if (!parser.done()) return parser.feed("", 0, true);
  return handler.error();
}

Result<std::unique_ptr<Workbook>> Workbook::open(ByteSource& source, const WorkbookLimits& limits) {
  unsigned char head[8] = {};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(source.size(), 8));
  const bool have = source.read(0, n, reinterpret_cast<char*>(head));
  const Container kind =
      have ? sniff_container(std::string_view(reinterpret_cast<const char*>(head), n)) : Container::text;
  if (kind == Container::ole2) {
    return make_error(ole2_encrypted_source(source) ? "workbook_encrypted" : "workbook_legacy_xls");
  }
  if (kind != Container::zip) return make_error("workbook_not_spreadsheet");
  auto zip = ZipArchive::open(source, limits.zip);
  if (!zip.ok()) return zip.error();
  ZipArchive z = std::move(zip).value();
  if (const ZipEntry* m = z.find("mimetype")) {
    auto type = z.read_all(*m, 256);
    if (!type.ok()) return type.error();
    const std::string& t = type.value();
    if (t == "application/vnd.oasis.opendocument.spreadsheet" ||
        t == "application/vnd.oasis.opendocument.spreadsheet-template") {
      return open_ods(source, std::move(z), limits);
    }
    return make_error("workbook_not_spreadsheet");
  }
  if (z.find("[Content_Types].xml")) return open_xlsx(source, std::move(z), limits);
  return make_error("workbook_not_spreadsheet");
}

Result<SheetShape> Workbook::shape(size_t sheet, size_t preview_rows) {
  ShapeSink sink(preview_rows);
  if (Error e = read(sheet, sink)) return e;
  return sink.shape();
}

Error Workbook::write_csv(size_t sheet, const SheetShape& shape, const CsvSink::Out& out, size_t flush_bytes) {
  CsvSink sink(shape, out, flush_bytes);
  if (Error e = read(sheet, sink)) return e;
  return sink.finish();
}

Result<size_t> Workbook::find_sheet(std::string_view want) const {
  for (size_t i = 0; i < sheets_.size(); ++i) {
    if (sheets_[i].name == want) return i;
  }
  for (size_t i = 0; i < sheets_.size(); ++i) {
    const std::string& n = sheets_[i].name;
    if (n.size() == want.size() &&
        std::equal(n.begin(), n.end(), want.begin(), [](char a, char b) { return lower(a) == lower(b); }))
      return i;
  }
  if (!want.empty() && want.size() < 7 && want.find_first_not_of("0123456789") == std::string_view::npos) {
    const size_t n = static_cast<size_t>(std::stoul(std::string(want)));
    if (n >= 1 && n <= sheets_.size()) return n - 1;
  }
  std::string names;
  for (const SheetInfo& s : sheets_) {
    if (names.size() > 150) {
      names += ", …";
      break;
    }
    names += (names.empty() ? "\"" : ", \"") + s.name + "\"";
  }
  return make_error("workbook_no_sheet", {want, names});
}

int default_sheet(const std::vector<SheetInfo>& sheets, const std::vector<SheetShape>& shapes) {
  int visible = -1, visible_count = 0, any = 0;
  for (size_t i = 0; i < sheets.size() && i < shapes.size(); ++i) {
    if (shapes[i].rows == 0) continue;
    ++any;
    if (!sheets[i].hidden && visible_count++ == 0) visible = static_cast<int>(i);
  }
  if (any == 0) return -2;
  return visible_count == 1 ? visible : -1;
}

int first_sheet_with_cells(const std::vector<SheetInfo>& sheets, const std::vector<SheetShape>& shapes) {
  int hidden = -1;
  for (size_t i = 0; i < sheets.size() && i < shapes.size(); ++i) {
    if (shapes[i].rows == 0) continue;
    if (!sheets[i].hidden) return static_cast<int>(i);
    if (hidden < 0) hidden = static_cast<int>(i);
  }
  return hidden;
}

Result<std::string> sheet_csv(Workbook& book, size_t sheet, SheetShape* shape_out) {
  auto shape = book.shape(sheet);
  if (!shape.ok()) return shape.error();
  std::string csv;
  Error e = book.write_csv(sheet, shape.value(), [&csv](std::string_view piece) {
    csv += piece;
    return Error{};
  });
  if (e) return e;
  if (shape_out) *shape_out = std::move(shape).value();
  return csv;
}

}  // namespace canopy::workbook
