// Header row and footers (parse/layout.h) as the session applies them: preamble lines above the header
// and report footers under the data are skipped and reported, never silently, and can be undone.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "parse/layout.h"
#include "session/session.h"

using namespace canopy;

namespace {
std::string vector_file(const std::string& name) {
  std::ifstream in(std::string(CANOPY_SOURCE_DIR) + "/tests/vectors/cli/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

UploadSummary load_ok(ImportSession& s, const std::string& text, LoadOptions o = {}) {
  auto r = s.load(text, o);
  INFO(text);
  REQUIRE(r.ok());
  return r.value();
}

std::vector<uint32_t> lines_of(const std::vector<SkippedLine>& v) {
  std::vector<uint32_t> out;
  for (const auto& l : v) out.push_back(l.line);
  return out;
}
}  // namespace

TEST_CASE("Entra ID's bulk-create template: the version:v1.0 line is skipped and reported", "[layout]") {
  ImportSession s;
  const auto sum = load_ok(s, vector_file("entra-bulk-create.csv"));
  CHECK(sum.header_line == 2);
  REQUIRE(sum.preamble.size() == 1);
  CHECK(sum.preamble[0].line == 1);
  CHECK(sum.preamble[0].text == "version:v1.0");
  CHECK_FALSE(sum.preamble[0].sep);
  CHECK(sum.delimiter == ',');
  CHECK(sum.columns == 7);
  CHECK(sum.headers[0] == "Name [displayName] Required");
  CHECK(sum.rows == 1);
  CHECK(s.table().records[1].line == 3);
  CHECK(sum.parse_issues == 0);
  CHECK(sum.footer.empty());

  // Undo: line 1 as the header reads every line; nothing is skipped.
  LoadOptions o;
  o.header_line = 1;
  const auto all = load_ok(s, vector_file("entra-bulk-create.csv"), o);
  CHECK(all.header_line == 1);
  CHECK(all.preamble.empty());
  CHECK(all.headers == std::vector<std::string>{"version:v1.0"});
  CHECK(all.rows == 2);
}

TEST_CASE("Excel's sep= line (sep=semicolon) sets the delimiter and is not data", "[layout]") {
  ImportSession s;
  const auto sum = load_ok(s, vector_file("excel-sep-semicolon.csv"));
  CHECK(sum.delimiter == ';');
  CHECK(sum.delimiter_method == "sep_line");
  CHECK(sum.delimiter_confidence == 100);
  REQUIRE(sum.preamble.size() == 1);
  CHECK(sum.preamble[0].sep);
  CHECK(sum.preamble[0].text == "sep=;");
  CHECK(sum.header_line == 2);
  CHECK(sum.headers == std::vector<std::string>{"email", "first_name", "last_name", "external_id"});
  CHECK(sum.rows == 3);
  CHECK(sum.parse_issues == 0);
  // An override of the delimiter still wins; the line is still not data.
  LoadOptions o;
  o.delimiter = "comma";
  const auto forced = load_ok(s, vector_file("excel-sep-semicolon.csv"), o);
  CHECK(forced.delimiter == ',');
  CHECK(forced.preamble.size() == 1);
  CHECK(sep_line_delimiter("sep=\t\n") == '\t');
  CHECK(sep_line_delimiter("SEP=,") == ',');
  CHECK(sep_line_delimiter("sep=;x\n") == 0);
  CHECK(sep_line_delimiter("sep=|\n") == 0);
  CHECK(sep_line_delimiter("email;sep=;\n") == 0);
}

TEST_CASE("a Salesforce report: title lines above, Grand Totals and notices below", "[layout]") {
  ImportSession s;
  const auto sum = load_ok(s, vector_file("salesforce-report.csv"));
  CHECK(sum.header_line == 4);
  REQUIRE(lines_of(sum.preamble) == std::vector<uint32_t>{1, 2});
  CHECK(sum.preamble[0].text == "New Hires with Email");
  CHECK(sum.headers.size() == 5);
  CHECK(sum.rows == 3);
  CHECK(sum.parse_issues == 0);
  REQUIRE(lines_of(sum.footer) == std::vector<uint32_t>{9, 11, 12, 13, 14, 15});
  CHECK(sum.footer[0].text == "Grand Totals (3 records)");
  CHECK(sum.footer[2].text == "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.");
  CHECK(sum.footer[5].text == "Acme, Inc.");
  // Undo the footer: its lines are rows again (with their problems shown).
  LoadOptions o;
  o.keep_footers = true;
  const auto kept = load_ok(s, vector_file("salesforce-report.csv"), o);
  CHECK(kept.footer.empty());
  CHECK(kept.rows == 9);
  CHECK(kept.parse_issues == 6);  // too_few_cells on each
  CHECK(kept.preamble.size() == 2);
}

TEST_CASE("Workday and BambooHR reports: a title, a padded title and a Total line", "[layout]") {
  ImportSession s;
  const auto wd = load_ok(s, vector_file("workday-report.csv"));
  CHECK(wd.header_line == 3);
  REQUIRE(lines_of(wd.preamble) == std::vector<uint32_t>{1, 2});
  CHECK(wd.preamble[1].text == "Report generated 2026-11-30");
  CHECK(wd.rows == 3);
  REQUIRE(lines_of(wd.footer) == std::vector<uint32_t>{8});
  CHECK(wd.footer[0].text == "Total: 3");
  CHECK(wd.parse_issues == 0);
  const auto bh = load_ok(s, vector_file("bamboohr-report.csv"));
  CHECK(bh.header_line == 2);
  CHECK(bh.rows == 2);
  REQUIRE(lines_of(bh.footer) == std::vector<uint32_t>{5, 6});
  CHECK(bh.footer[1].text == "\xC2\xA9 2026 BambooHR. Confidential.");
}

TEST_CASE("an explicit header line skips every record above it, and a missing one is an error", "[layout]") {
  ImportSession s;
  LoadOptions o;
  o.header_line = 3;
  const auto sum = load_ok(s, "a,b\nc,d\nemail,name\nx@example.org,X\n", o);
  CHECK(sum.header_line == 3);
  CHECK(lines_of(sum.preamble) == std::vector<uint32_t>{1, 2});
  CHECK(sum.rows == 1);
  o.header_line = 9;
  auto bad = s.load("email,name\nx@example.org,X\n", o);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "bad_header_line");
  CHECK(bad.error().message.find("line 9") != std::string::npos);
  // A blank line asked for: the next record is the header.
  o.header_line = 2;
  const auto next = load_ok(s, "title\n\nemail,name\nx@example.org,X\n", o);
  CHECK(next.header_line == 3);
}

TEST_CASE("nothing is skipped where the first line is the header", "[layout]") {
  ImportSession s;
  SECTION("a short first data row stays a row") {
    const auto sum = load_ok(s, "email,first_name,last_name,role\na@example.org,Ann\nb@example.org,Bob,Lee,x\n");
    CHECK(sum.header_line == 1);
    CHECK(sum.preamble.empty());
    CHECK(sum.rows == 2);
  }
  SECTION("a header shorter than the data is still the header") {
    const auto sum = load_ok(s, "email,first,last\na@example.org,Ann,Lee,\nb@example.org,Bob,Ray,\n");
    CHECK(sum.header_line == 1);
    CHECK(sum.rows == 2);
  }
  SECTION("a short first line over rows that are no header: no header is invented") {
    const auto sum = load_ok(s, "Ann\na@example.org,Ann,Lee\nb@example.org,Bob,Ray\n");
    CHECK(sum.header_line == 1);
    CHECK(sum.preamble.empty());
    CHECK(sum.rows == 2);
  }
  SECTION("a two-cell first line in a three-column file is not a title") {
    const auto sum = load_ok(s, "first,last\nAnn,Lee,Smith\nBob,Ray,Jones\n");
    CHECK(sum.header_line == 1);
    CHECK(sum.rows == 2);
  }
  SECTION("a one-column file: no preamble, no footer") {
    const auto sum = load_ok(s, "email\na@example.org\nb@example.org\nTotal\n");
    CHECK(sum.header_line == 1);
    CHECK(sum.preamble.empty());
    CHECK(sum.footer.empty());
    CHECK(sum.rows == 3);
  }
}

TEST_CASE("footers: only lines that fit no column, never a person's row", "[layout]") {
  ImportSession s;
  SECTION("a last row that looks like a total but fits the columns stays a row") {
    const auto sum = load_ok(s, "email,first_name,last_name\na@example.org,Ann,Lee\nt@example.org,Total,Grand\n");
    CHECK(sum.footer.empty());
    CHECK(sum.rows == 2);
    const auto full = load_ok(s, "first,last,dept\nAnn,Lee,R&D\nTotal,Lee,Sales\n");
    CHECK(full.footer.empty());
    CHECK(full.rows == 2);
  }
  SECTION("a short last row with an email stays a row (its problem shown)") {
    const auto sum = load_ok(s, "email,first_name,last_name\na@example.org,Ann,Lee\nb@example.org\n");
    CHECK(sum.footer.empty());
    CHECK(sum.rows == 2);
    CHECK(sum.parse_issues == 1);
  }
  SECTION("a grand total with a figure in a column") {
    const auto sum = load_ok(s, "email,name,dept,amount\na@example.org,Ann,R&D,10\n\"Grand Totals (1 record)\",,,10\n");
    REQUIRE(lines_of(sum.footer) == std::vector<uint32_t>{3});
    CHECK(sum.footer[0].text == "Grand Totals (1 record),,,10");
    CHECK(sum.rows == 1);
  }
  SECTION("a padded total in the shipped locales' words") {
    const auto de = load_ok(s, "email;vorname;nachname;abteilung\na@example.org;Anna;Lee;F&E\nSumme: 1;;;\n");
    REQUIRE(lines_of(de.footer) == std::vector<uint32_t>{3});
    CHECK(de.footer[0].text == "Summe: 1");
    const auto ja = load_ok(s,
                            "\xE3\x83\xA1\xE3\x83\xBC\xE3\x83\xAB,\xE5\xA7\x93,\xE5\x90\x8D,\xE9\x83\xA8\xE7\xBD\xB2\n"
                            "a@example.org,Lee,Anna,R&D\n\xE5\x90\x88\xE8\xA8\x88,1,,\n");
    REQUIRE(lines_of(ja.footer) == std::vector<uint32_t>{3});
    CHECK(ja.rows == 1);
  }
  SECTION("every row looking like a footer: they are the data") {
    const auto sum = load_ok(s, "first,last\nAnn\nBob\n");
    CHECK(sum.footer.empty());
    CHECK(sum.rows == 2);
  }
  SECTION("a secret-looking skipped line is masked") {
    const auto sum = load_ok(s, "email,name,dept\na@example.org,Ann,R&D\nInitial password: Summer2026!\n");
    REQUIRE(sum.footer.size() == 1);
    CHECK(sum.footer[0].text == std::string(kMask));
    const auto pre = load_ok(s, "Password: Summer2026!\nemail,name,dept\na@example.org,Ann,R&D\n");
    REQUIRE(pre.preamble.size() == 1);
    CHECK(pre.preamble[0].text == std::string(kMask));
  }
}

TEST_CASE("the row limit counts data rows, not footer lines", "[layout]") {
  std::string text = "email,first_name,last_name\n";
  for (int i = 0; i < 10000; ++i) text += "p" + std::to_string(i) + "@example.org,A,B\n";
  text += "\nTotal: 10000\nConfidential\n";
  ImportSession s;
  const auto sum = load_ok(s, text);
  CHECK(sum.rows == 10000);
  CHECK(sum.footer.size() == 2);
  // Over the limit: the figure is the data rows of the whole file.
  std::string more = "email,first_name,last_name\n";
  for (int i = 0; i < 10100; ++i) more += "p" + std::to_string(i) + "@example.org,A,B\n";
  more += "Total: 10100\nConfidential\n";
  auto r = s.load(more);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "too_many_rows");
  CHECK(r.error().message.find("10,100 data rows") != std::string::npos);
  LoadOptions keep;
  keep.keep_footers = true;
  auto r2 = s.load(more, keep);
  CHECK(r2.error().message.find("10,102 data rows") != std::string::npos);
}

TEST_CASE("preamble lines move the delimiter detection off no line", "[layout]") {
  ImportSession s;
  const auto sum =
      load_ok(s, "Employee Report\nemail;first_name;last_name\na@example.org;Ann;Lee\nb@example.org;Bob;Ray\n");
  CHECK(sum.delimiter == ';');
  CHECK(sum.header_line == 2);
  CHECK(sum.rows == 2);
  CHECK(sum.parse_issues == 0);
}
