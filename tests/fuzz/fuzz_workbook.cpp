// The workbook reader (src/workbook/) on hostile input: never a crash, an unbounded allocation or a
// hang, and when a sheet is read, its CSV is what the sheet table promises.
//
// The first byte chooses what the rest is:
//  'X'  a worksheet's XML (then, after a NUL, the shared strings' XML), packed into a well-formed
//       .xlsx here, so mutations reach the XML and the cell rendering instead of failing the ZIP's CRC;
//  'O'  an ODS content.xml, packed into a well-formed .ods;
//  'N'  a number (8 bytes) and a number format code for format_number;
//  anything else: the bytes are the file (the seeds are real workbooks: the ZIP reader's limits).
// Checks on every sheet read: the CSV is UTF-8 and reads back (parse/reader.h, comma) as exactly
// shape.rows records of shape.columns cells, the same both times it is written.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "../unit/zip_writer.h"
#include "core/messages.h"
#include "fuzz_check.h"
#include "parse/reader.h"
#include "workbook/numfmt.h"
#include "workbook/workbook.h"

using namespace canopy;
using namespace canopy::workbook;

namespace {

// An error the page can word: its code and, for the ones that take a detail, the detail are catalogue
// codes (no English sentence travels inside them).
void check_error(const Error& e) {
  FUZZ_CHECK(find_message(e.code) != nullptr);
  FUZZ_CHECK(!e.message.empty());
  if (e.code == "workbook_damaged" || e.code == "workbook_too_big" || e.code == "out_of_memory") {
    const auto args = unpack_args(e.args);
    FUZZ_CHECK(!args.empty() && find_message(args[0]) != nullptr);
  }
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

WorkbookLimits fuzz_limits() {
  WorkbookLimits l;
  l.zip.max_entries = 64;
  l.zip.max_entry_bytes = 1 << 20;
  l.zip.max_total_bytes = 4 << 20;
  l.max_rows = 2000;
  l.max_columns = 200;
  l.max_repeated_cells = 20000;
  l.max_strings_bytes = 1 << 20;
  l.xml.max_text = 64 << 10;
  return l;
}

void read_all(const std::string& bytes) {
  MemorySource source{std::string_view(bytes)};
  auto book = Workbook::open(source, fuzz_limits());
  if (!book.ok()) {
    check_error(book.error());
    return;
  }
  Workbook& b = *book.value();
  FUZZ_CHECK(!b.sheets().empty());
  for (size_t i = 0; i < b.sheets().size() && i < 8; ++i) {
    SheetShape shape;
    auto csv = sheet_csv(b, i, &shape);
    if (!csv.ok()) {
      check_error(csv.error());
      continue;
    }
    const std::string& text = csv.value();
    FUZZ_CHECK(valid_utf8(text));
    FUZZ_CHECK(shape.first_rows.size() <= 5);
    FUZZ_CHECK((shape.rows == 0) == text.empty());
    // The same sheet written again is the same text.
    auto again = sheet_csv(b, i);
    FUZZ_CHECK(again.ok() && again.value() == text);
    if (text.empty()) continue;
    FUZZ_CHECK(text.back() == '\n');
    ReadOptions ro;
    ro.delimiter = ',';
    Table t = read_csv(text, ro);
    FUZZ_CHECK(t.issues.empty());
    FUZZ_CHECK(t.comment_lines == 0);
    FUZZ_CHECK(t.records.size() == shape.rows);
    for (const Record& r : t.records) FUZZ_CHECK(r.cell_count == shape.columns);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  const std::string in(reinterpret_cast<const char*>(data), size);
  const char mode = size ? in[0] : 0;
  if (mode == 'N') {
    double v = 0;
    if (size >= 9) std::memcpy(&v, data + 1, 8);
    const std::string code = size > 9 ? in.substr(9, 200) : "";
    FUZZ_CHECK(valid_utf8(format_number(v, code, false)) || !valid_utf8(code));
    (void)format_number(v, code, true);
    (void)format_general(v);
    (void)normalize_iso_datetime(code);
    return 0;
  }
  if (mode == 'X') {
    const size_t nul = in.find('\0', 1);
    const std::string sheet = in.substr(1, nul == std::string::npos ? std::string::npos : nul - 1);
    const std::string shared = nul == std::string::npos ? "" : in.substr(nul + 1);
    read_all(canopy::test::make_xlsx("", shared, "<numFmt numFmtId=\"164\" formatCode=\"00000\"/>",
                                     "<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/>", sheet));
    return 0;
  }
  if (mode == 'O') {
    read_all(canopy::test::make_zip(
        {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", false}, {"content.xml", in.substr(1)}}));
    return 0;
  }
  read_all(in);
  return 0;
}
