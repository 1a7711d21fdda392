// Office Open XML spreadsheets (ECMA-376): [Content_Types].xml names the workbook part, its
// relationships name the sheets, the shared strings and the styles; each sheet part is streamed.
#include <cstdlib>
#include <cstring>
#include <map>

#include "core/messages.h"
#include "workbook/numfmt.h"
#include "workbook/reader.h"

namespace canopy::workbook {
namespace {

constexpr uint64_t kMaxSmallPart = 16 << 20;  // content types, relationships, workbook, styles

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A relationship target resolved against the folder of the part that names it ("xl/").
std::string resolve(std::string_view base_dir, std::string_view target) {
  std::string path =
      target.empty() || target[0] != '/' ? std::string(base_dir) + std::string(target) : std::string(target.substr(1));
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// ST_Xstring escapes: _xHHHH_ is the UTF-16 code unit HHHH (_x005F_ is a literal underscore).
std::string unescape_xstring(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      char* end = nullptr;
      const std::string hex = s.substr(i + 2, 4);
      const unsigned long v = std::strtoul(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 4) {
        uint32_t cp = static_cast<uint32_t>(v);
        size_t used = 7;
        // A surrogate pair written as two escapes.
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 13 < s.size() && s.compare(i + 7, 2, "_x") == 0 && s[i + 13] == '_') {
          const std::string lo_hex = s.substr(i + 9, 4);
          const unsigned long lo = std::strtoul(lo_hex.c_str(), &end, 16);
          if (end == lo_hex.c_str() + 4 && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + static_cast<uint32_t>(lo - 0xDC00);
            used = 14;
          }
        }
        append_utf8(out, cp);
        i += used;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// "AB12" -> column 27 (0-based), row 11 (0-based); false when it is no cell reference.
bool parse_ref(const char* r, uint32_t* col, uint32_t* row) {
  uint64_t c = 0, n = 0;
  const char* p = r;
  for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'); ++p) {
    c = c * 26 + static_cast<uint64_t>((*p | 0x20) - 'a' + 1);
    if (c > (1u << 24)) return false;
  }
  const char* digits = p;
  for (; *p >= '0' && *p <= '9'; ++p) {
    n = n * 10 + static_cast<uint64_t>(*p - '0');
    if (n > (1u << 24)) return false;
  }
  if (*p || c == 0) return false;
  *col = static_cast<uint32_t>(c - 1);
  if (row && p != digits && n > 0) *row = static_cast<uint32_t>(n - 1);
  return true;
}

class ContentTypes : public XmlHandler {
 public:
  std::map<std::string, std::string> overrides;  // part name without the leading '/' -> content type
  void start(std::string_view name, const XmlAttrs& a) override {
    if (name != "Override") return;
    const char* part = a.get("PartName");
    const char* type = a.get("ContentType");
    if (part && type) overrides[std::string(part[0] == '/' ? part + 1 : part)] = type;
  }
  void end(std::string_view) override {}
  void text(std::string_view) override {}
};

struct Relationship {
  std::string type, target;
};
class Relationships : public XmlHandler {
 public:
  std::map<std::string, Relationship> by_id;
  void start(std::string_view name, const XmlAttrs& a) override {
    if (name != "Relationship") return;
    const char* id = a.get("Id");
    const char* type = a.get("Type");
    const char* target = a.get("Target");
    const char* mode = a.get("TargetMode");
    if (id && type && target && !(mode && std::strcmp(mode, "External") == 0)) by_id[id] = {type, target};
  }
  void end(std::string_view) override {}
  void text(std::string_view) override {}
};

class WorkbookPart : public XmlHandler {
 public:
  struct Sheet {
    std::string name, rel;
    bool hidden = false;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  void start(std::string_view name, const XmlAttrs& a) override {
    if (name == "workbookPr") {
      const char* d = a.get("date1904");
      date1904 = d && (std::strcmp(d, "1") == 0 || std::strcmp(d, "true") == 0);
    } else if (name == "sheet") {
      const char* n = a.get("name");
      const char* id = a.get("id");  // r:id
      const char* state = a.get("state");
      if (n && id) sheets.push_back({n, id, state && std::strcmp(state, "visible") != 0});
    }
  }
  void end(std::string_view) override {}
  void text(std::string_view) override {}
};

// Shared strings: the text of each <si>, its runs joined, phonetic runs (<rPh>) left out.
class SharedStrings : public XmlHandler {
 public:
  explicit SharedStrings(uint64_t max_bytes) : max_bytes_(max_bytes) {}
  std::string all;
  std::vector<uint64_t> ends;  // end offset of each string in all
  void start(std::string_view name, const XmlAttrs&) override {
    if (name == "si") {
      in_si_ = true;
      cur_.clear();
    } else if (name == "rPh") {
      ++in_rph_;
    } else if (name == "t" && in_si_ && !in_rph_) {
      in_t_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      --in_rph_;
    } else if (name == "si") {
      in_si_ = false;
      all += unescape_xstring(std::move(cur_));
      cur_ = std::string();
      ends.push_back(all.size());
      if (all.size() > max_bytes_) {
        stop(make_error("workbook_too_big", {"workbook_strings_too_big", std::to_string(max_bytes_)}));
      }
    }
  }
  void text(std::string_view s) override {
    if (in_t_) cur_ += s;
  }
  std::string_view at(size_t i) const {
    const uint64_t from = i == 0 ? 0 : ends[i - 1];
    return std::string_view(all).substr(static_cast<size_t>(from), static_cast<size_t>(ends[i] - from));
  }

 private:
  uint64_t max_bytes_;
  std::string cur_;
  bool in_si_ = false, in_t_ = false;
  int in_rph_ = 0;
};

// Styles: the number format code of each cell style (cellXfs), by style index.
class Styles : public XmlHandler {
 public:
  std::map<int, std::string> custom;  // numFmtId -> formatCode
  std::vector<int> xf_format;         // cellXfs index -> numFmtId
  void start(std::string_view name, const XmlAttrs& a) override {
    if (name == "numFmt") {
      const char* id = a.get("numFmtId");
      const char* code = a.get("formatCode");
      if (id && code) custom[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = a.get("numFmtId");
      xf_format.push_back(id ? std::atoi(id) : 0);
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }
  void text(std::string_view) override {}

 private:
  bool in_cell_xfs_ = false;
};

class XlsxWorkbook;

// One worksheet part, streamed: each <c> becomes the text the user sees in that cell.
class SheetPart : public XmlHandler {
 public:
  SheetPart(const XlsxWorkbook& book, CellSink& sink, const WorkbookLimits& limits)
      : book_(book), sink_(sink), limits_(limits) {}
  void start(std::string_view name, const XmlAttrs& a) override;
  void end(std::string_view name) override;
  void text(std::string_view s) override {
    if (in_v_) v_ += s;
    else if (in_t_ && !in_rph_) t_ += s;
  }

 private:
  void finish_cell();
  const XlsxWorkbook& book_;
  CellSink& sink_;
  const WorkbookLimits& limits_;
  bool in_data_ = false, in_c_ = false, in_v_ = false, in_is_ = false, in_t_ = false;
  int in_rph_ = 0;
  int64_t row_ = -1;
  uint32_t next_col_ = 0, col_ = 0;
  std::string type_;
  int style_ = 0;
  std::string v_, t_;
};

class XlsxWorkbook final : public Workbook {
 public:
  XlsxWorkbook(ZipArchive zip, const WorkbookLimits& limits) : zip_(std::move(zip)), limits_(limits) {}
  Format format() const override { return Format::xlsx; }
  Error read(size_t sheet, CellSink& sink) override {
    if (sheet >= parts_.size()) return make_error("workbook_no_sheet", {std::to_string(sheet + 1), ""});
    const ZipEntry* e = zip_.find(parts_[sheet]);
    if (!e) return make_error("workbook_damaged", {"workbook_part_missing", parts_[sheet]});
    SheetPart part(*this, sink, limits_);
    return parse_entry(zip_, *e, part, limits_.xml);
  }
  std::string_view format_code(int style) const {
    if (style < 0 || static_cast<size_t>(style) >= styles_.xf_format.size()) return "General";
    const int id = styles_.xf_format[static_cast<size_t>(style)];
    auto it = styles_.custom.find(id);
    return it != styles_.custom.end() ? std::string_view(it->second) : builtin_format(id);
  }

  void add_sheet(SheetInfo info, std::string part) {
    sheets_.push_back(std::move(info));
    parts_.push_back(std::move(part));
  }
  bool empty() const { return sheets_.empty(); }

  ZipArchive zip_;
  WorkbookLimits limits_;
  std::vector<std::string> parts_;  // per sheet
  SharedStrings strings_{0};
  Styles styles_;
  bool date1904_ = false;
};

void SheetPart::start(std::string_view name, const XmlAttrs& a) {
  if (name == "sheetData") {
    in_data_ = true;
  } else if (!in_data_) {
    return;
  } else if (name == "row") {
    const char* r = a.get("r");
    const int64_t n = r ? std::atoll(r) - 1 : row_ + 1;
    if (n < 0 || n >= static_cast<int64_t>(limits_.max_rows) || n < row_) {
      return stop(make_error("workbook_damaged", {"workbook_row_out_of_order", std::to_string(limits_.max_rows)}));
    }
    if (n == row_) return stop(make_error("workbook_damaged", {"workbook_row_twice", std::to_string(n + 1)}));
    row_ = n;
    next_col_ = 0;
  } else if (name == "c") {
    in_c_ = true;
    const char* r = a.get("r");
    uint32_t col = next_col_, row = static_cast<uint32_t>(row_ < 0 ? 0 : row_);
    if (r && !parse_ref(r, &col, &row)) return stop(make_error("workbook_damaged", {"workbook_bad_cell_ref", r}));
    if (row_ < 0) row_ = row;
    if (col >= limits_.max_columns) {
      return stop(make_error("workbook_damaged", {"workbook_cell_past_column", std::to_string(limits_.max_columns)}));
    }
    col_ = col;
    next_col_ = col + 1;
    const char* t = a.get("t");
    type_ = t ? t : "n";
    const char* s = a.get("s");
    style_ = s ? std::atoi(s) : 0;
    v_.clear();
    t_.clear();
  } else if (!in_c_) {
    return;
  } else if (name == "v") {
    in_v_ = true;
  } else if (name == "is") {
    in_is_ = true;
  } else if (name == "rPh") {
    ++in_rph_;
  } else if (name == "t" && in_is_) {
    in_t_ = true;
  }
}

void SheetPart::end(std::string_view name) {
  if (name == "sheetData") {
    in_data_ = false;
    stop();  // nothing after the data is needed (merged cells hold no values)
  } else if (name == "c" && in_c_) {
    in_c_ = false;
    finish_cell();
  } else if (name == "v") {
    in_v_ = false;
  } else if (name == "is") {
    in_is_ = false;
  } else if (name == "rPh") {
    --in_rph_;
  } else if (name == "t") {
    in_t_ = false;
  }
}

void SheetPart::finish_cell() {
  if (type_ == "s") {
    char* end = nullptr;
    const unsigned long i = std::strtoul(v_.c_str(), &end, 10);
    if (v_.empty() || *end || i >= book_.strings_.ends.size()) {
      return stop(make_error("workbook_damaged", {"workbook_no_shared_string", v_}));
    }
    if (Error e = sink_.cell(static_cast<uint32_t>(row_), col_, book_.strings_.at(i))) stop(std::move(e));
    return;
  }
  if (!sink_.wants_text()) {
    // Measuring: a value is a cell with something in it; its text is not needed.
    const bool empty = type_ == "inlineStr" ? t_.empty() : v_.empty();
    if (Error e = sink_.cell(static_cast<uint32_t>(row_), col_, empty ? std::string_view() : "x")) stop(std::move(e));
    return;
  }
  std::string out;
  if (type_ == "inlineStr") {
    out = unescape_xstring(std::move(t_));
  } else if (type_ == "str" || type_ == "e") {
    out = unescape_xstring(std::move(v_));
  } else if (type_ == "b") {
    out = v_.empty() ? "" : (v_ == "0" ? "FALSE" : "TRUE");
  } else if (type_ == "d") {
    out = normalize_iso_datetime(v_);  // ISO 8601 already
  } else if (!v_.empty()) {
    char* end = nullptr;
    const double d = std::strtod(v_.c_str(), &end);
    out = *end ? v_ : format_number(d, book_.format_code(style_), book_.date1904_);
  }
  if (Error e = sink_.cell(static_cast<uint32_t>(row_), col_, out)) stop(std::move(e));
}

}  // namespace

Result<std::unique_ptr<Workbook>> open_xlsx(ByteSource&, ZipArchive zip, const WorkbookLimits& limits) {
  auto book = std::make_unique<XlsxWorkbook>(std::move(zip), limits);
  const ZipArchive& z = book->zip_;
  ContentTypes types;
  if (Error e = parse_entry(z, *z.find("[Content_Types].xml"), types, limits.xml)) return e;
  std::string main;
  for (const auto& [part, type] : types.overrides) {
    if (ends_with(type, ".sheet.main+xml") || ends_with(type, ".template.main+xml") ||
        ends_with(type, ".sheet.macroEnabled.main+xml") || ends_with(type, ".template.macroEnabled.main+xml")) {
      main = part;
    } else if (type.find("sheet.binary.macroEnabled.main") != std::string::npos) {
      return make_error("workbook_xlsb");
    }
  }
  if (main.empty()) {
    if (z.find("xl/workbook.bin")) return make_error("workbook_xlsb");
    if (!z.find("xl/workbook.xml")) return make_error("workbook_not_spreadsheet");
    main = "xl/workbook.xml";
  }
  const ZipEntry* wb = z.find(main);
  if (!wb) return make_error("workbook_damaged", {"workbook_main_part_missing", main});
  if (wb->size > kMaxSmallPart)
    return make_error("workbook_too_big",
                      {"workbook_part_too_big", main, std::to_string(wb->size), std::to_string(kMaxSmallPart)});
  WorkbookPart wp;
  if (Error e = parse_entry(z, *wb, wp, limits.xml)) return e;
  book->date1904_ = wp.date1904;
  const size_t slash = main.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : main.substr(0, slash + 1);
  Relationships rels;
  const std::string rels_name = dir + "_rels/" + main.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
  if (const ZipEntry* r = z.find(rels_name)) {
    if (Error e = parse_entry(z, *r, rels, limits.xml)) return e;
  }
  std::string strings_part, styles_part;
  for (const auto& [id, rel] : rels.by_id) {
    if (ends_with(rel.type, "/sharedStrings")) strings_part = resolve(dir, rel.target);
    if (ends_with(rel.type, "/styles")) styles_part = resolve(dir, rel.target);
  }
  for (const WorkbookPart::Sheet& s : wp.sheets) {
    auto it = rels.by_id.find(s.rel);
    if (it == rels.by_id.end() || !ends_with(it->second.type, "/worksheet")) continue;  // chart sheets hold no cells
    book->add_sheet({s.name, s.hidden}, resolve(dir, it->second.target));
  }
  if (book->empty()) return make_error("workbook_empty");
  book->strings_ = SharedStrings(limits.max_strings_bytes);
  if (const ZipEntry* e = strings_part.empty() ? nullptr : z.find(strings_part)) {
    if (Error err = parse_entry(z, *e, book->strings_, limits.xml)) return err;
  }
  if (const ZipEntry* e = styles_part.empty() ? nullptr : z.find(styles_part)) {
    if (e->size > kMaxSmallPart)
      return make_error("workbook_too_big",
                        {"workbook_part_too_big", styles_part, std::to_string(e->size), std::to_string(kMaxSmallPart)});
    if (Error err = parse_entry(z, *e, book->styles_, limits.xml)) return err;
  }
  return std::unique_ptr<Workbook>(std::move(book));
}

}  // namespace canopy::workbook
