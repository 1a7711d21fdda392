// OpenDocument spreadsheets (ODF 1.2+): every sheet is a <table:table> of content.xml. A cell's text
// (<text:p>) is what the spreadsheet shows, so it is taken as it is (00123 stays 00123), except where
// the value says more: dates and times come from office:date-value / office:time-value (ISO 8601), a
// number shown in scientific notation is written in full, booleans are TRUE and FALSE.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include "core/messages.h"
#include "workbook/numfmt.h"
#include "workbook/reader.h"

namespace canopy::workbook {
namespace {

uint64_t repeat(const XmlAttrs& a, const char* name) {
  const char* r = a.get(name);
  if (!r) return 1;
  const long long n = std::atoll(r);
  return n < 1 ? 1 : static_cast<uint64_t>(n);
}

// "PT10H30M05S" (or with days / fractions) -> "10:30:05".
std::string iso_duration_time(const char* d) {
  double days = 0, h = 0, m = 0, s = 0;
  const char* p = d;
  if (*p == '-') ++p;
  if (*p != 'P') return d;
  ++p;
  bool in_time = false;
  while (*p) {
    if (*p == 'T') {
      in_time = true;
      ++p;
      continue;
    }
    char* end = nullptr;
    const double v = std::strtod(p, &end);
    if (end == p || !*end) return d;
    if (*end == 'D' && !in_time) days = v;
    else if (*end == 'H') h = v;
    else if (*end == 'M' && in_time) m = v;
    else if (*end == 'S') s = v;
    else return d;
    p = end + 1;
  }
  long long total = std::llround(days * 86400 + h * 3600 + m * 60 + s);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", total / 3600, (total / 60) % 60, total % 60);
  return buf;
}

bool has_exponent(const std::string& s) {
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if ((s[i] == 'E' || s[i] == 'e') && s[i - 1] >= '0' && s[i - 1] <= '9' && (s[i + 1] == '+' || s[i + 1] == '-'))
      return true;
  }
  return false;
}

// Lists the tables (and which are hidden), or streams the cells of one of them.
class Content : public XmlHandler {
 public:
  struct Table {
    std::string name, style;
  };
  Content(const WorkbookLimits& limits, CellSink* sink, size_t want) : limits_(limits), sink_(sink), want_(want) {}
  std::vector<Table> tables;
  std::set<std::string> hidden_styles;

  void start(std::string_view name, const XmlAttrs& a) override {
    if (skip_) {
      ++skip_;
      return;
    }
    if (name == "style") {
      const char* n = a.get("name");
      const char* family = a.get("family");
      style_ = n && family && std::strcmp(family, "table") == 0 ? n : "";
    } else if (name == "table-properties") {
      const char* display = a.get("display");
      if (!style_.empty() && display && std::strcmp(display, "false") == 0) hidden_styles.insert(style_);
    } else if (name == "table") {
      const char* n = a.get("name");
      const char* st = a.get("style-name");
      tables.push_back({n ? n : "Sheet" + std::to_string(tables.size() + 1), st ? st : ""});
      in_table_ = sink_ && tables.size() - 1 == want_;
      row_ = 0;
    } else if (!in_table_) {
      return;
    } else if (name == "table-row") {
      row_repeat_ = repeat(a, "number-rows-repeated");
      col_ = 0;
      cells_.clear();
    } else if (name == "table-cell" || name == "covered-table-cell") {
      in_cell_ = true;
      col_repeat_ = repeat(a, "number-columns-repeated");
      paragraphs_ = 0;
      in_p_ = 0;
      text_.clear();
      value_.clear();
      const char* type = a.get("value-type");
      type_ = type ? type : "";
      const char* v = nullptr;
      if (type_ == "date") v = a.get("date-value");
      else if (type_ == "time") v = a.get("time-value");
      else if (type_ == "boolean") v = a.get("boolean-value");
      else if (type_ == "float" || type_ == "percentage" || type_ == "currency") v = a.get("value");
      if (v) value_ = v;
    } else if (!in_cell_) {
      return;
    } else if (name == "annotation" || name == "frame" || name == "custom-shape" || name == "g" || name == "rect" ||
               name == "line" || name == "ellipse" || name == "control") {
      skip_ = 1;  // a comment or a drawing anchored in the cell: not the cell's text
    } else if (name == "p" || name == "h") {
      if (paragraphs_++) text_ += '\n';
      ++in_p_;
    } else if (name == "s") {
      const uint64_t n = repeat(a, "c");
      text_.append(static_cast<size_t>(n > 1024 ? 1024 : n), ' ');
    } else if (name == "tab") {
      text_ += '\t';
    } else if (name == "line-break") {
      text_ += '\n';
    }
  }

  void end(std::string_view name) override {
    if (skip_) {
      --skip_;
      return;
    }
    if (name == "p" || name == "h") {
      if (in_p_) --in_p_;
    } else if (name == "table") {
      if (in_table_) stop();  // the sheet wanted is read
      in_table_ = false;
    } else if (!in_table_) {
      return;
    } else if ((name == "table-cell" || name == "covered-table-cell") && in_cell_) {
      in_cell_ = false;
      std::string out = cell_text();
      if (!out.empty()) {
        for (uint64_t i = 0; i < col_repeat_ && col_ + i < limits_.max_columns; ++i) {
          cells_.emplace_back(static_cast<uint32_t>(col_ + i), out);
        }
      }
      col_ += col_repeat_;
      if (col_ > (1ull << 32)) col_ = 1ull << 32;
    } else if (name == "table-row") {
      if (!cells_.empty()) {
        if (row_ + row_repeat_ > limits_.max_rows || row_repeat_ * cells_.size() > limits_.max_repeated_cells) {
          return stop(make_error("workbook_too_big", {"workbook_row_repeat", std::to_string(row_repeat_)}));
        }
        for (uint64_t r = 0; r < row_repeat_; ++r) {
          for (const auto& [col, text] : cells_) {
            if (Error e = sink_->cell(static_cast<uint32_t>(row_ + r), col, text)) return stop(std::move(e));
          }
        }
      }
      row_ += row_repeat_;
      if (row_ > limits_.max_rows) row_ = limits_.max_rows;  // trailing empty rows repeated to the sheet's end
    }
  }

  void text(std::string_view s) override {
    if (!skip_ && in_cell_ && in_p_) text_ += s;
  }

 private:
  std::string cell_text() {
    if (type_ == "date" && !value_.empty()) return normalize_iso_datetime(value_);
    if (type_ == "time" && !value_.empty()) return iso_duration_time(value_.c_str());
    if (type_ == "boolean" && !value_.empty()) return value_ == "true" || value_ == "1" ? "TRUE" : "FALSE";
    // The text is what the spreadsheet showed when it saved the file, so it is taken, unless it is the
    // bare value (a writer that formats nothing, such as SheetJS: 0.30000000000000004) or in scientific
    // notation: then the value is written as General shows it.
    if (!value_.empty() && (text_.empty() || text_ == value_ || has_exponent(text_))) {
      char* end = nullptr;
      const double d = std::strtod(value_.c_str(), &end);
      if (!*end) return format_general(type_ == "percentage" ? d * 100 : d) + (type_ == "percentage" ? "%" : "");
    }
    return text_;
  }

  const WorkbookLimits& limits_;
  CellSink* sink_;
  size_t want_;
  std::string style_;
  bool in_table_ = false, in_cell_ = false;
  int skip_ = 0;
  uint64_t row_ = 0, row_repeat_ = 1, col_ = 0, col_repeat_ = 1;
  std::vector<std::pair<uint32_t, std::string>> cells_;
  int paragraphs_ = 0, in_p_ = 0;
  std::string type_, value_, text_;
};

class OdsWorkbook final : public Workbook {
 public:
  OdsWorkbook(ZipArchive zip, const WorkbookLimits& limits) : zip_(std::move(zip)), limits_(limits) {}
  Format format() const override { return Format::ods; }
  Error read(size_t sheet, CellSink& sink) override {
    if (sheet >= sheets_.size()) return make_error("workbook_no_sheet", {std::to_string(sheet + 1), ""});
    Content content(limits_, &sink, sheet);
    return parse_entry(zip_, *zip_.find("content.xml"), content, limits_.xml);
  }
  Error list() {
    const ZipEntry* c = zip_.find("content.xml");
    if (!c) return make_error("workbook_damaged", {"workbook_part_missing", "content.xml"});
    Content content(limits_, nullptr, 0);
    if (Error e = parse_entry(zip_, *c, content, limits_.xml)) return e;
    for (const Content::Table& t : content.tables)
      sheets_.push_back({t.name, content.hidden_styles.count(t.style) > 0});
    return {};
  }

 private:
  ZipArchive zip_;
  WorkbookLimits limits_;
};

}  // namespace

Result<std::unique_ptr<Workbook>> open_ods(ByteSource&, ZipArchive zip, const WorkbookLimits& limits) {
  // An ODF file encrypted with a password keeps its ZIP readable and says so in its manifest.
  if (const ZipEntry* m = zip.find("META-INF/manifest.xml")) {
    auto manifest = zip.read_all(*m, 16 << 20);
    if (!manifest.ok()) return manifest.error();
    if (manifest.value().find("encryption-data") != std::string::npos) return make_error("workbook_encrypted");
  }
  auto book = std::make_unique<OdsWorkbook>(std::move(zip), limits);
  if (Error e = book->list()) return e;
  if (book->sheets().empty()) return make_error("workbook_empty");
  return std::unique_ptr<Workbook>(std::move(book));
}

}  // namespace canopy::workbook
