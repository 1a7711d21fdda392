// An Excel (.xlsx) or OpenDocument (.ods) workbook, recognised by content (the ZIP signature, then the
// package's [Content_Types].xml or mimetype entry, never the file name), its sheets listed, and one
// sheet read as the CSV the rest of the pipeline takes (sheet.h). Legacy binary .xls, .xlsb and
// encrypted workbooks are named in the error, so the user knows what to save the file as.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "workbook/sheet.h"
#include "workbook/source.h"
#include "workbook/xml.h"
#include "workbook/zip.h"

namespace canopy::workbook {

enum class Format : uint8_t { xlsx, ods };
const char* format_name(Format f);  // "xlsx" | "ods"

struct SheetInfo {
  std::string name;
  bool hidden = false;  // hidden or very hidden: listed, marked, never chosen by default
};

struct WorkbookLimits {
  ZipLimits zip;
  XmlLimits xml;
  uint32_t max_columns = 16384;               // Excel's XFD
  uint32_t max_rows = 1048576;                // Excel's last row
  uint64_t max_repeated_cells = 50000000;     // ODS: cells a row or column repeat may stand for
  uint64_t max_strings_bytes = 256ull << 20;  // the shared strings kept in memory
};

class Workbook {
 public:
  // Errors: workbook_damaged, workbook_too_big, workbook_encrypted, workbook_xlsb,
  // workbook_not_spreadsheet (a ZIP that is neither), workbook_legacy_xls, workbook_empty (no sheet).
  // `source` must outlive the workbook.
  static Result<std::unique_ptr<Workbook>> open(ByteSource& source, const WorkbookLimits& limits = {});
  virtual ~Workbook() = default;

  virtual Format format() const = 0;
  const std::vector<SheetInfo>& sheets() const { return sheets_; }
  // Every non-empty cell of `sheet`, in order.
  virtual Error read(size_t sheet, CellSink& sink) = 0;

  // One pass: the sheet's size and first rows.
  Result<SheetShape> shape(size_t sheet, size_t preview_rows = 5);
  // A second pass: the sheet as CSV, in pieces (see sheet.h).
  Error write_csv(size_t sheet, const SheetShape& shape, const CsvSink::Out& out, size_t flush_bytes = 1 << 20);
  // --sheet NAME|N: a sheet's exact name first (then case-insensitive ASCII), else its 1-based number.
  // Error workbook_no_sheet names the sheets there are.
  Result<size_t> find_sheet(std::string_view name_or_number) const;

 protected:
  std::vector<SheetInfo> sheets_;
};

// Which sheet to read without asking (the wizard and the CLI share the rule): the one visible sheet with
// cells in it. -1: several sheets have cells (the user chooses; the CLI takes the first visible one and
// says so), or only hidden ones do. -2: no sheet has cells (workbook_empty).
int default_sheet(const std::vector<SheetInfo>& sheets, const std::vector<SheetShape>& shapes);
// The first visible sheet with cells (else the first sheet with cells), -1 when none has any.
int first_sheet_with_cells(const std::vector<SheetInfo>& sheets, const std::vector<SheetShape>& shapes);

// Reads the whole sheet as CSV text (the page's and the tests' way; the CLI streams write_csv).
Result<std::string> sheet_csv(Workbook& book, size_t sheet, SheetShape* shape_out = nullptr);

}  // namespace canopy::workbook
