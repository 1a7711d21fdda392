// The workbook reader (src/workbook/): vectors written by real writers (exceljs, SheetJS, LibreOffice
// Calc; tests/vectors/workbooks/generate.mjs) read cell by cell as the spreadsheet shows them, number
// formats, and hostile archives, each refused with its own error and bounded work.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "session/session.h"
#include "test_files.h"
#include "workbook/numfmt.h"
#include "workbook/workbook.h"
#include "zip_writer.h"

using namespace canopy;
using namespace canopy::workbook;
using canopy::test::make_xlsx;
using canopy::test::make_zip;
using canopy::test::ZipItem;

namespace {

std::string vector_path(const std::string& name) {
  return std::string(CANOPY_SOURCE_DIR) + "/tests/vectors/workbooks/" + name;
}

struct Opened {
  MemorySource source;
  Result<std::unique_ptr<Workbook>> book;
  explicit Opened(std::string bytes, const WorkbookLimits& limits = {})
      : source(std::move(bytes)), book(Workbook::open(source, limits)) {}
};

std::string code_of(const std::string& bytes, const WorkbookLimits& limits = {}) {
  Opened o(bytes, limits);
  if (!o.book.ok()) return o.book.error().code;
  for (size_t i = 0; i < o.book.value()->sheets().size(); ++i) {
    SheetShape shape;
    auto csv = sheet_csv(*o.book.value(), i, &shape);
    if (!csv.ok()) return csv.error().code;
  }
  return "ok";
}

std::string message_of(const std::string& bytes) {
  Opened o(bytes);
  if (!o.book.ok()) return o.book.error().message;
  auto csv = sheet_csv(*o.book.value(), 0);
  return csv.ok() ? "ok" : csv.error().message;
}

// The one sheet of a small workbook as CSV.
std::string csv_of(const std::string& bytes) {
  Opened o(bytes);
  INFO((o.book.ok() ? "" : o.book.error().message));
  REQUIRE(o.book.ok());
  auto csv = sheet_csv(*o.book.value(), 0);
  INFO((csv.ok() ? "" : csv.error().message));
  REQUIRE(csv.ok());
  return csv.value();
}

std::string cell_xml(const std::string& ref, const std::string& v, int style = 0, const std::string& t = "") {
  return "<c r=\"" + ref + "\"" + (style ? " s=\"" + std::to_string(style) + "\"" : "") +
         (t.empty() ? "" : " t=\"" + t + "\"") + "><v>" + v + "</v></c>";
}

}  // namespace

TEST_CASE("Workbook vectors by exceljs, SheetJS and LibreOffice read cell by cell as the writer was given") {
  const std::string file =
      GENERATE(as<std::string>{}, "people-exceljs.xlsx", "people-sheetjs.xlsx", "people-sheetjs-inline.xlsx",
               "people-sheetjs.ods", "people-libreoffice.xlsx", "people-libreoffice.ods");
  const auto expected = nlohmann::json::parse(canopy::test::slurp(vector_path("expected.json")));
  INFO(file);
  Opened o(canopy::test::slurp(vector_path(file)));
  INFO((o.book.ok() ? "" : o.book.error().message));
  REQUIRE(o.book.ok());
  Workbook& book = *o.book.value();
  CHECK(book.format() == (file.substr(file.size() - 4) == ".ods" ? Format::ods : Format::xlsx));
  const auto& sheets = expected["files"][file]["sheets"];
  REQUIRE(book.sheets().size() == sheets.size());
  size_t breaks_seen = 0;  // line breaks inside cells: the vectors must hold some for the lines to mean anything
  for (size_t s = 0; s < sheets.size(); ++s) {
    const auto& want = sheets[s];
    INFO("sheet " << want["name"].get<std::string>());
    CHECK(book.sheets()[s].name == want["name"].get<std::string>());
    CHECK(book.sheets()[s].hidden == want["hidden"].get<bool>());
    SheetShape shape;
    auto csv = sheet_csv(book, s, &shape);
    REQUIRE(csv.ok());
    const auto& rows = want["rows"];
    if (rows.empty()) {
      CHECK(csv.value().empty());
      CHECK(shape.rows == 0);
      continue;
    }
    // Through the session exactly as the wizard loads a sheet, every line read (header_line 1).
    ImportSession session;
    LoadOptions lo;
    lo.encoding = "UTF-8";
    lo.delimiter = "comma";
    lo.header_line = 1;
    lo.keep_footers = true;
    lo.workbook_format = format_name(book.format());
    lo.sheet = book.sheets()[s].name;
    lo.file_bytes = o.source.size();
    auto loaded = session.load(csv.value(), lo);
    if (rows.size() == 1) {  // a header alone: no data rows
      CHECK(loaded.error().code == "no_data_rows");
      continue;
    }
    INFO(csv.value());
    REQUIRE(loaded.ok());
    CHECK(loaded.value().format == lo.workbook_format);
    CHECK(loaded.value().sheet == lo.sheet);
    const Table& t = session.table();
    size_t record = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].is_null()) continue;  // an empty row: a blank line, skipped
      REQUIRE(record < t.records.size());
      // A record's line is its row of the sheet, as the user sees it in the spreadsheet: the line breaks
      // inside the cells above do not count (they did, and every message named a later line).
      CHECK(t.records[record].line == r + 1);
      for (const auto& c : rows[r]) {
        const std::string text = c.get<std::string>();
        breaks_seen += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
      }
      REQUIRE(t.records[record].cell_count == rows[r].size());
      for (size_t c = 0; c < rows[r].size(); ++c) {
        INFO("row " << r + 1 << " column " << c + 1);
        CHECK(std::string(t.cell(static_cast<uint32_t>(record), static_cast<uint32_t>(c))) ==
              rows[r][c].get<std::string>());
      }
      ++record;
    }
    CHECK(record == t.records.size());
    CHECK(shape.rows == record);
    CHECK(session.table().issues.empty());
  }
  CHECK(breaks_seen > 0);
}

TEST_CASE("A two-sheet workbook goes through the pipeline like a CSV: header found, rows validated") {
  Opened o(canopy::test::slurp(vector_path("people-exceljs.xlsx")));
  REQUIRE(o.book.ok());
  auto csv = sheet_csv(*o.book.value(), 1);  // Contractors: a merged title above the header
  REQUIRE(csv.ok());
  ImportSession session;
  LoadOptions lo;
  lo.encoding = "UTF-8";
  lo.delimiter = "comma";
  lo.workbook_format = "xlsx";
  lo.sheet = "Contractors";
  lo.file_bytes = o.source.size();
  auto loaded = session.load(csv.value(), lo);
  REQUIRE(loaded.ok());
  CHECK(loaded.value().header_line == 2);
  REQUIRE(loaded.value().preamble.size() == 1);
  CHECK(loaded.value().preamble[0].text == "Contractors 2026");
  CHECK(loaded.value().rows == 2);
  CHECK(loaded.value().bytes == o.source.size());
  REQUIRE_FALSE(session.set_mode("invite"));
  const Stats st = session.validate();
  CHECK(st.valid == 2);
}

TEST_CASE("Sheets are found by name or number for --sheet") {
  Opened o(canopy::test::slurp(vector_path("people-libreoffice.xlsx")));
  REQUIRE(o.book.ok());
  CHECK(o.book.value()->find_sheet("Contractors").value() == 1);
  CHECK(o.book.value()->find_sheet("contractors").value() == 1);
  CHECK(o.book.value()->find_sheet("3").value() == 2);
  auto missing = o.book.value()->find_sheet("Staff");
  REQUIRE_FALSE(missing.ok());
  CHECK(
      missing.error().message ==
      "The workbook has no sheet \"Staff\". Its sheets: \"Employees\", \"Contractors\", \"Secret\", \"Empty\". Give a "
      "sheet's name or its number (1 is the first).");
  CHECK_FALSE(o.book.value()->find_sheet("5").ok());
}

TEST_CASE("Number formats render as the spreadsheet shows them") {
  CHECK(format_number(123, "00000") == "00123");
  CHECK(format_number(123, "@") == "123");
  CHECK(format_number(7, "\"EMP-\"0000") == "EMP-0007");
  CHECK(format_number(123456789, "000-00-0000") == "123-45-6789");
  CHECK(format_number(1234.5, "#,##0.00") == "1,234.50");
  CHECK(format_number(-1234.5, "#,##0.00;(#,##0.00)") == "(1,234.50)");
  CHECK(format_number(-3, "0") == "-3");
  CHECK(format_number(0.256, "0.0%") == "25.6%");
  CHECK(format_number(1234567, "0.00E+00") == "1.23E+06");
  CHECK(format_number(5, "[$€-407]0.00") == "€5.00");
  CHECK(format_number(2.5, "#.##") == "2.5");
  CHECK(format_number(1500000, "#,##0,") == "1,500");
  CHECK(format_general(123456789012) == "123456789012");
  CHECK(format_general(4915112345678) == "4915112345678");
  CHECK(format_general(1e20) == "100000000000000000000");
  CHECK(format_general(0.1 + 0.2) == "0.3");
  CHECK(format_general(1.5e-7) == "0.00000015");
  CHECK(format_general(-42) == "-42");
  CHECK(format_number(123456, "General") == "123456");
  CHECK(normalize_iso_datetime("2021-03-01T00:00:00.000Z") == "2021-03-01");
  CHECK(normalize_iso_datetime("1999-12-31T10:30:00.000Z") == "1999-12-31T10:30:00");
  CHECK(normalize_iso_datetime("1999-12-31T10:30:00.250") == "1999-12-31T10:30:00.250");
  CHECK(normalize_iso_datetime("2021-03-01T09:00:00+02:00") == "2021-03-01T09:00:00+02:00");
  CHECK(normalize_iso_datetime("not a date") == "not a date");
}

TEST_CASE("Dates in the 1900 and 1904 systems are written in ISO 8601") {
  CHECK(format_number(44256, "mm-dd-yy") == "2021-03-01");
  CHECK(format_number(44256, "dd/mm/yyyy") == "2021-03-01");
  CHECK(format_number(36525.4375, "yyyy-mm-dd hh:mm") == "1999-12-31T10:30:00");
  CHECK(format_number(0.75, "h:mm") == "18:00:00");
  CHECK(format_number(1.5, "[h]:mm:ss") == "36:00:00");
  CHECK(format_number(1, "yyyy-mm-dd") == "1900-01-01");
  CHECK(format_number(59, "yyyy-mm-dd") == "1900-02-28");
  CHECK(format_number(60, "yyyy-mm-dd") == "1900-02-29");  // Excel's own
  CHECK(format_number(61, "yyyy-mm-dd") == "1900-03-01");
  CHECK(format_number(0, "yyyy-mm-dd", true) == "1904-01-01");
  CHECK(format_number(42794, "yyyy-mm-dd", true) == "2021-03-01");
  CHECK(format_number(45351, builtin_format(14)) == "2024-02-29");
  CHECK(is_date_format(builtin_format(22)));
  CHECK_FALSE(is_date_format("0.00"));
  CHECK_FALSE(is_date_format("\"day\" 0"));
  CHECK(format_number(45351, builtin_format(30)) == "2024-02-29");  // an East Asian locale's date
}

TEST_CASE("XLSX cells: shared, inline and rich strings, booleans, errors, formulas, escapes, styles") {
  const std::string shared =
      "<si><t>email</t></si><si><r><t>Ada </t></r><r><rPr><b/></rPr><t>L.</t></r>"
      "<rPh><t>ruby</t></rPh></si><si><t>Tab_x0009_here_x005F_x</t></si>";
  const std::string data = "<row r=\"1\">" + cell_xml("A1", "0", 0, "s") + cell_xml("B1", "1", 0, "s") +
                           cell_xml("C1", "2", 0, "s") + "</row><row r=\"3\">" + cell_xml("A3", "123", 1) +
                           "<c r=\"B3\" t=\"inlineStr\"><is><t>inline</t></is></c>" + cell_xml("C3", "1", 0, "b") +
                           cell_xml("D3", "#N/A", 0, "e") + "<c r=\"E3\" t=\"str\"><f>A1</f><v>x,y</v></c>" +
                           cell_xml("F3", "44256", 2) + "</row>";
  const std::string csv = csv_of(make_xlsx(data, shared, "<numFmt numFmtId=\"164\" formatCode=\"00000\"/>",
                                           "<xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/>"));
  CHECK(csv == "email,Ada L.,Tab\there_x,,,\n\n00123,inline,TRUE,#N/A,\"x,y\",2021-03-01\n");
}

TEST_CASE("Cells that the CSV reader would misread are quoted") {
  const std::string data =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>#not a comment</t></is></c>"
      "<c r=\"B1\" t=\"inlineStr\"><is><t>say \"hi\"</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>sep=;</t></is></c>"
      "<c r=\"B2\" t=\"inlineStr\"><is><t>two\nlines</t></is></c></row>";
  CHECK(csv_of(make_xlsx(data)) == "\"#not a comment\",\"say \"\"hi\"\"\"\n\"sep=;\",\"two\nlines\"\n");
}

TEST_CASE("Recognised by content: a workbook named anything, legacy xls, xlsb, encrypted, other ZIPs") {
  CHECK(code_of(make_xlsx("<row r=\"1\">" + cell_xml("A1", "1") + "</row>")) == "ok");
  std::string ole(512, '\0');
  const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  ole.replace(0, 8, reinterpret_cast<const char*>(sig), 8);
  CHECK(code_of(ole) == "workbook_legacy_xls");
  std::string encrypted = ole;
  const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
  encrypted.replace(200, sizeof name - 1, name, sizeof name - 1);
  CHECK(code_of(encrypted) == "workbook_encrypted");
  CHECK(code_of(make_zip({{"word/document.xml", "<w/>"}})) == "workbook_not_spreadsheet");
  CHECK(code_of(make_zip({{"mimetype", "application/vnd.oasis.opendocument.text", false}})) ==
        "workbook_not_spreadsheet");
  CHECK(code_of(make_zip({{"[Content_Types].xml",
                           "<Types><Override PartName=\"/xl/workbook.bin\" "
                           "ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/></Types>"}})) ==
        "workbook_xlsb");
  CHECK(code_of(make_zip({{"[Content_Types].xml", "<Types/>", true, 0, true}})) == "workbook_encrypted");
  CHECK(code_of(make_zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", false},
                          {"META-INF/manifest.xml", "<manifest><file-entry><encryption-data/></file-entry></manifest>"},
                          {"content.xml", "garbage"}})) == "workbook_encrypted");
  CHECK(code_of("email\na@b.org\n") == "workbook_not_spreadsheet");

  // The session names them too when they reach the text path.
  ImportSession s;
  CHECK(s.load(make_xlsx("")).error().code == "workbook_needs_reader");
  CHECK(s.load(ole).error().code == "workbook_legacy_xls");
  CHECK(s.load(encrypted).error().code == "workbook_encrypted");
}

TEST_CASE("Zip bombs are refused by ratio, by entry size and by total size before inflating") {
  const std::string zeros(4 << 20, '0');  // 4 MiB that deflate to a few KB: a ratio of about 1000
  const std::string bomb = make_zip({{"[Content_Types].xml", zeros}});
  CHECK(code_of(bomb) == "workbook_too_big");
  CHECK(message_of(bomb).find("[Content_Types].xml is compressed") != std::string::npos);
  WorkbookLimits small;
  small.zip.max_entry_bytes = 1000;
  CHECK(code_of(make_xlsx(std::string(2000, ' ')), small) == "workbook_too_big");
  WorkbookLimits total;
  total.zip.max_total_bytes = 1500;
  CHECK(code_of(make_xlsx(std::string(1000, ' ')), total) == "workbook_too_big");
  // A size that lies: the entry unpacks to more than the central directory says.
  CHECK(code_of(make_zip({{"[Content_Types].xml", std::string(5000, 'x'), true, 100}})) == "workbook_damaged");
}

TEST_CASE("Too many entries are refused before the central directory is read") {
  std::vector<ZipItem> items;
  for (int i = 0; i < 12; ++i) items.push_back({"f" + std::to_string(i), "x"});
  WorkbookLimits limits;
  limits.zip.max_entries = 10;
  CHECK(code_of(make_zip(items), limits) == "workbook_too_big");
}

TEST_CASE("Entry names that climb out of the archive are refused") {
  const std::string name =
      GENERATE(as<std::string>{}, "../evil.xml", "xl/../../evil.xml", "/etc/passwd", "C:/evil.xml", "xl\\evil.xml");
  INFO(name);
  CHECK(code_of(make_zip({{"[Content_Types].xml", "<Types/>"}, {name, "x"}})) == "workbook_damaged");
  CHECK_FALSE(std::string(bad_entry_name(name)).empty());
  CHECK(std::string(bad_entry_name("xl/worksheets/sheet1.xml")).empty());
}

TEST_CASE("XML entities and DOCTYPEs are refused: billion laughs, external entities") {
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
      "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 "
      "\"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><worksheet><sheetData><row><c "
      "t=\"inlineStr\"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>";
  const std::string external =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><worksheet><sheetData><row><c "
      "t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>";
  for (const std::string& xml : {laughs, external}) {
    const std::string msg = message_of(make_xlsx("", "", "", "<xf numFmtId=\"0\"/>", xml));
    CHECK(msg.find("DOCTYPE") != std::string::npos);
    CHECK(code_of(make_xlsx("", "", "", "<xf numFmtId=\"0\"/>", xml)) == "workbook_damaged");
  }
}

TEST_CASE("A workbook error is a code around a nested detail with its arguments, in English for the CLI") {
  const std::string good = canopy::test::slurp(vector_path("people-exceljs.xlsx"));
  Opened cut(good.substr(0, good.size() / 2));
  REQUIRE_FALSE(cut.book.ok());
  CHECK(cut.book.error().code == "workbook_damaged");
  CHECK(cut.book.error().args == "workbook_zip_no_end\x1f");
  CHECK(cut.book.error().message ==
        "The workbook cannot be read: the end of the ZIP archive is missing (the file is truncated). Open it in Excel "
        "or LibreOffice and save it again, or save the sheet as CSV UTF-8, and upload that.");

  // Sizes and limits with thousands separators; a part's name as it is.
  WorkbookLimits small;
  small.zip.max_entry_bytes = 1000;
  Opened big(make_zip({{"[Content_Types].xml", std::string(5000, 'x')}}), small);
  REQUIRE_FALSE(big.book.ok());
  CHECK(big.book.error().args ==
        "workbook_entry_too_big\x1f[Content_Types].xml\x1f"
        "5000\x1f"
        "1000\x1f");
  CHECK(big.book.error().message ==
        "The workbook unpacks to more than this importer reads ([Content_Types].xml unpacks to 5,000 bytes, the most "
        "is 1,000); no spreadsheet of 10,000 rows does, so it may be a zip bomb. Save the sheet as CSV UTF-8 and "
        "upload that, or import it with the canopy-import CLI.");

  CHECK(message_of(
            make_xlsx("<row r=\"2\">" + cell_xml("A2", "1") + "</row><row r=\"2\">" + cell_xml("A2", "2") + "</row>"))
            .rfind("The workbook cannot be read: row 2 appears twice. Open it", 0) == 0);
  CHECK(message_of(make_xlsx("<row r=\"1\">" + cell_xml("A1", "7", 0, "s") + "</row>"))
            .rfind("The workbook cannot be read: a cell names shared string 7, which is not there. Open it", 0) == 0);
  CHECK(message_of(make_xlsx("<row r=\"1\">" + cell_xml("1A", "7") + "</row>"))
            .rfind("The workbook cannot be read: the cell reference \"1A\" is malformed. Open it", 0) == 0);

  // expat's own words stay a value inside the detail.
  Opened bad_xml(make_xlsx("", "", "", "<xf numFmtId=\"0\"/>", "<worksheet><sheetData></worksheet>"));
  REQUIRE(bad_xml.book.ok());
  auto csv = sheet_csv(*bad_xml.book.value(), 0);
  REQUIRE_FALSE(csv.ok());
  CHECK(csv.error().args ==
        "workbook_xml_error\x1fxl/worksheets/sheet1.xml\x1fmismatched tag\x1f"
        "1\x1f");
  CHECK(csv.error().message.rfind(
            "The workbook cannot be read: xl/worksheets/sheet1.xml: mismatched tag at line 1. Open it", 0) == 0);

  CHECK(std::string(bad_entry_name("../evil.xml")) == "workbook_entry_name_climbs");
  Opened climbs(make_zip({{"[Content_Types].xml", "<Types/>"}, {"../evil.xml", "x"}}));
  REQUIRE_FALSE(climbs.book.ok());
  CHECK(climbs.book.error().message.rfind(
            "The workbook cannot be read: an entry name climbs out of the archive (..). Open it", 0) == 0);
}

TEST_CASE("Deeply nested XML is refused") {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "<a>";
  for (int i = 0; i < 1000; ++i) deep += "</a>";
  const std::string xml = "<worksheet><sheetData>" + deep + "</sheetData></worksheet>";
  CHECK(message_of(make_xlsx("", "", "", "<xf numFmtId=\"0\"/>", xml)).find("nest deeper than 256") !=
        std::string::npos);
}

TEST_CASE("Truncated and damaged archives get an error, at every length") {
  const std::string good = canopy::test::slurp(vector_path("people-exceljs.xlsx"));
  for (size_t cut : {size_t{0}, size_t{10}, size_t{100}, good.size() / 2, good.size() - 30, good.size() - 1}) {
    INFO(cut);
    const std::string code = code_of(good.substr(0, cut));
    CHECK((code == "workbook_damaged" || code == "workbook_not_spreadsheet"));
  }
  // Every byte of the central directory overwritten in turn: never a crash, an error or a workbook.
  std::string flip = good;
  for (size_t i = good.size() - 400; i < good.size(); i += 7) {
    flip[i] = static_cast<char>(flip[i] ^ 0x5A);
    (void)code_of(flip);
    flip[i] = good[i];
  }
  CHECK(code_of(make_zip({{"[Content_Types].xml", "<Types/>", true, 0, false, true}})) == "workbook_damaged");
}

TEST_CASE("The row limit applies to the sheet and the byte limit to the workbook file") {
  std::string data;
  for (int r = 1; r <= 10002; ++r) {
    data += "<row r=\"" + std::to_string(r) + "\">" + cell_xml("A" + std::to_string(r), std::to_string(r)) + "</row>";
  }
  const std::string xlsx = make_xlsx("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>" +
                                     data.substr(data.find("<row r=\"2\"")));
  const std::string csv = csv_of(xlsx);
  ImportSession s;
  LoadOptions lo;
  lo.encoding = "UTF-8";
  lo.delimiter = "comma";
  lo.workbook_format = "xlsx";
  lo.sheet = "People";
  lo.file_bytes = xlsx.size();
  auto r = s.load(csv, lo);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "too_many_rows");
  CHECK(r.error().message.find("has 10,001 data rows") != std::string::npos);
  lo.file_bytes = kMaxFileBytes + 1;
  CHECK(s.load("email\na@b.org\n", lo).error().code == "file_too_large");
  lo.file_bytes = 100;
  CHECK(s.load("", lo).error().message ==
        "Sheet \"People\" is empty. Choose another sheet, or add a header row and data rows to it.");
}
