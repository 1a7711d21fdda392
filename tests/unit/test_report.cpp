#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "parse/reader.h"
#include "report/exports.h"

using namespace canopy;

namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::string kBom = "\xEF\xBB\xBF";

// A parsed table built by hand (records[0] is the header), as parse/reader.cpp would produce it.
Table make_table(const Rows& records) {
  Table t;
  uint32_t line = 1;
  for (const auto& rec : records) {
    Record r{static_cast<uint32_t>(t.cells.size()), static_cast<uint32_t>(rec.size()), line++};
    for (const auto& v : rec) {
      t.cells.push_back(Cell{static_cast<uint32_t>(t.text.size()), static_cast<uint32_t>(v.size())});
      t.text += v;
    }
    t.records.push_back(r);
  }
  return t;
}

// Test-local RFC 4180 reader: quoted fields with the delimiter, "" and line breaks; records end in CRLF.
// Returns false on anything RFC 4180 does not allow (bare LF/CR outside quotes, stray quotes).
bool split_csv(std::string_view s, char delim, Rows* out) {
  out->clear();
  std::vector<std::string> rec;
  std::string cell;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '"') {
      ++i;
      for (;;) {
        if (i >= s.size()) return false;
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            cell.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell.push_back(s[i++]);
      }
      if (i < s.size() && s[i] != delim && s[i] != '\r') return false;
    }
    while (i < s.size() && s[i] != delim && s[i] != '\r') {
      if (s[i] == '"' || s[i] == '\n') return false;
      cell.push_back(s[i++]);
    }
    if (i >= s.size()) return false;  // every record ends with CRLF
    if (s[i] == delim) {
      rec.push_back(std::move(cell));
      cell.clear();
      ++i;
      continue;
    }
    if (i + 1 >= s.size() || s[i + 1] != '\n') return false;
    rec.push_back(std::move(cell));
    cell.clear();
    out->push_back(std::move(rec));
    rec.clear();
    i += 2;
  }
  return true;
}

RowOutcome outcome(Outcome o, std::string code = "", std::string message = "", std::string id = "") {
  RowOutcome r;
  r.outcome = o;
  r.code = std::move(code);
  r.message = std::move(message);
  r.id = std::move(id);
  return r;
}

}  // namespace

TEST_CASE("csv_cell prefixes formula starters with a quote mark") {
  auto [value, expected] = GENERATE(table<std::string, std::string>({
      {"=1+1", "'=1+1"},
      {"+49 30 1234", "'+49 30 1234"},
      {"-5", "'-5"},
      {"@SUM(A1:A2)", "'@SUM(A1:A2)"},
      {"\tcmd", "'\tcmd"},
      {"\rcmd", "\"'\rcmd\""},  // CR forces quotes; the ' goes inside them
      {"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
      {"=a,b", "\"'=a,b\""},
      {"a=b", "a=b"},
      {"ada@example.com", "ada@example.com"},
      {" =x", "' =x"},  // also after leading blanks (SPEC.md, issue 17): see the regression test below
      {"'x", "''x"},    // the protection is undone on re-import: a leading ' must be told apart
      {"O'Brien", "O'Brien"},
      {"", ""},
  }));
  CAPTURE(value);
  CHECK(csv_cell(value) == expected);
}

TEST_CASE(
    "regression: the formula guard missed cells that start with spaces, tabs, NBSP or a line break before = + - @") {
  auto [value, expected] = GENERATE(table<std::string, std::string>({
      {"  =cmd|' /C calc'!A0", "'  =cmd|' /C calc'!A0"},
      {" +1", "' +1"},
      {"   -2", "'   -2"},
      {" @SUM(1)", "' @SUM(1)"},
      {"\t =x", "'\t =x"},
      {"\xC2\xA0=1+1", "'\xC2\xA0=1+1"},  // U+00A0 NO-BREAK SPACE
      {" \xC2\xA0 \xC2\xA0@x", "' \xC2\xA0 \xC2\xA0@x"},
      {"\n=1+1", "\"'\n=1+1\""},  // a line break forces quotes; the ' goes inside
      {"\r\n-5", "\"'\r\n-5\""},
      {" \n \xC2\xA0+5", "\"' \n \xC2\xA0+5\""},
      // Blanks before anything else are left alone.
      {"  plain", "  plain"},
      {"\xC2\xA0x", "\xC2\xA0x"},
      {"\nline", "\"\nline\""},
      {"a =b", "a =b"},
      {"   ", "   "},
      {"\xC2\xA1=x", "\xC2\xA1=x"},  // U+00A1 is not a blank
  }));
  CAPTURE(value);
  CHECK(csv_cell(value) == expected);
}

TEST_CASE("a failed-rows file that comes back gets its cells as they were before the export") {
  const std::vector<std::string> values = {"@jdoe", "=1+1",  "-",          "+49 30", "'quoted'", "''",      "'",
                                           "\tx",   "plain", "O'Brien",    "'=x",    "",         "a \"b\"", "\"@q\"",
                                           "  =x",  " +1",   "\xC2\xA0-1", "\n@x",   "\r\n=y",   "' =x",    "  plain"};
  // What a user's file held -> failed-rows.csv -> read again.
  std::string csv = "external_id," + csv_cell("-col") + ",import_error\r\n";
  for (const std::string& v : values) csv += csv_cell(v) + "," + csv_cell(v) + ",x\r\n";
  ReadOptions ro;
  Table t = read_csv(csv, ro);
  REQUIRE(t.records.size() == values.size() + 1);
  REQUIRE(unprotect_failed_rows(t));
  CHECK(t.cell(0, 1) == "-col");
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("value: " << values[i]);
    CHECK(t.cell(static_cast<uint32_t>(i + 1), 0) == values[i]);
    CHECK(t.cell(static_cast<uint32_t>(i + 1), 1) == values[i]);
  }
  // Any other file keeps its cells as written: a ' there is the user's.
  Table other = read_csv("external_id,notes\r\n'@jdoe,'=x\r\n", ro);
  CHECK_FALSE(unprotect_failed_rows(other));
  CHECK(other.cell(1, 0) == "'@jdoe");
}

TEST_CASE("csv_cell quotes per RFC 4180 only when needed") {
  auto [value, delim, expected] = GENERATE(table<std::string, char, std::string>({
      {"plain", ',', "plain"},
      {"Smith, John", ',', "\"Smith, John\""},
      {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
      {"two\nlines", ',', "\"two\nlines\""},
      {"cr\rhere", ',', "\"cr\rhere\""},
      {"Smith, John", ';', "Smith, John"},
      {"a;b", ';', "\"a;b\""},
      {"a\tb", '\t', "\"a\tb\""},
      {"Zo\xC3\xAB \xE2\x82\xAC", ',', "Zo\xC3\xAB \xE2\x82\xAC"},
  }));
  CAPTURE(value, delim);
  CHECK(csv_cell(value, delim) == expected);
}

TEST_CASE("failed_rows_csv keeps the failed rows in their original columns, without the password") {
  const std::string secret = "S3cret-Passw0rd!";
  Table t = make_table({
      {"E-Mail", "First Name", "Password", "Notes"},
      {"ok@example.com", "Ok", secret, "n0"},                       // 0 created
      {"dup@example.com", "Smith, \"J\"", secret, "line1\nline2"},  // 1 failed
      {"maybe@example.com", "May", secret, ""},                     // 2 unconfirmed
      {"later@example.com", "Lat", secret, "n3"},                   // 3 cancelled
      {"skip@example.com", "Skip", secret, "n4"},                   // 4 deselected by the user
      {"bad-email", "Bad", secret, "n5"},                           // 5 blocked at preview
      {"inv@example.com", "Inv", secret, "n6"},                     // 6 invited
      {"short@example.com", "Short"},                               // 7 failed, short record
      {"=cmd|' /C calc'!A0", "-x", secret, "@SUM(1)"},              // 8 failed, formula cells
      {"wait@example.com", "Wait", secret, "n9", "extra"},          // 9 pending, extra cell
  });
  std::vector<RowOutcome> o = {
      outcome(Outcome::created, "", "", "id-0"),
      outcome(Outcome::failed, "email_conflict", "Email already exists."),
      outcome(Outcome::unconfirmed, "unconfirmed", "The server did not confirm this row."),
      outcome(Outcome::cancelled, "cancelled", "Skipped: the import was cancelled before this batch was sent."),
      outcome(Outcome::deselected, "deselected", "Skipped: deselected at preview."),
      // Blocked at preview: the session reports such a row as failed with invalid_row.
      outcome(Outcome::failed, "invalid_row", "Not sent: email_invalid."),
      outcome(Outcome::invited, "", "", "inv-6"),
      outcome(Outcome::failed, "invalid_field", "last_name is required."),
      outcome(Outcome::failed, "invalid_field", "bad"),
      outcome(Outcome::pending),
  };
  std::vector<ExportRow> rows;
  for (uint32_t i = 0; i < o.size(); ++i) rows.push_back(ExportRow{i, i + 2, std::string(t.cell(i + 1, 0)), &o[i]});

  const std::string full = failed_rows_csv(t, rows, {2});
  REQUIRE(full.substr(0, 3) == kBom);
  CHECK(full.find(secret) == std::string::npos);
  // The first line is a comment naming the column left out; the rest has no trace of it.
  const std::string comment = std::string(kLeftOutComment) + "Password\r\n";
  REQUIRE(full.substr(3, comment.size()) == comment);
  const std::string csv = full.substr(3 + comment.size());
  CHECK(csv.find("Password") == std::string::npos);

  Rows back;
  REQUIRE(split_csv(csv, ',', &back));
  REQUIRE(back.size() == 8);  // header + rows 1, 2, 3, 5, 7, 8, 9
  CHECK(back[0] == std::vector<std::string>{"E-Mail", "First Name", "Notes", "import_error"});
  for (const auto& r : back) CHECK(r.size() == 4);
  CHECK(back[1] == std::vector<std::string>{"dup@example.com", "Smith, \"J\"", "line1\nline2",
                                            "email_conflict: Email already exists."});
  CHECK(back[2][0] == "maybe@example.com");
  CHECK(back[2][3] == "unconfirmed: The server did not confirm this row.");
  CHECK(back[3][0] == "later@example.com");
  CHECK(back[3][3].rfind("cancelled: Skipped", 0) == 0);
  CHECK(back[4] == std::vector<std::string>{"bad-email", "Bad", "n5", "invalid_row: Not sent: email_invalid."});
  CHECK(back[5] == std::vector<std::string>{"short@example.com", "Short", "", "invalid_field: last_name is required."});
  CHECK(back[6] == std::vector<std::string>{"'=cmd|' /C calc'!A0", "'-x", "'@SUM(1)", "invalid_field: bad"});
  CHECK(back[7] == std::vector<std::string>{"wait@example.com", "Wait", "n9", "pending"});
  for (const char* gone : {"ok@example.com", "skip@example.com", "inv@example.com", "extra"}) {
    CHECK(csv.find(gone) == std::string::npos);
  }
}

TEST_CASE("failed_rows_csv re-parses with the same header, so a re-upload maps the same way") {
  auto delim = GENERATE(',', ';', '\t');
  CAPTURE(delim);
  Table t = make_table({
      {"email", "first_name", "last_name", "password", "role; id"},
      {"a@example.com", "A;b", "C,d", "pw-one-123", "r\t1"},
      {"b@example.com", "\"B\"", "", "pw-two-123", ""},
  });
  RowOutcome f = outcome(Outcome::failed, "unknown_role", "Role r1 does not exist; check it, please.");
  std::vector<ExportRow> rows = {{0, 2, "a@example.com", &f}, {1, 3, "b@example.com", &f}};
  const std::string full = failed_rows_csv(t, rows, {3}, delim);
  CHECK(full.find("pw-") == std::string::npos);
  const std::string comment = std::string(kLeftOutComment) + "password\r\n";
  REQUIRE(full.substr(3, comment.size()) == comment);
  const std::string csv = full.substr(3 + comment.size());
  Rows back;
  REQUIRE(split_csv(csv, delim, &back));
  REQUIRE(back.size() == 3);
  CHECK(back[0] == std::vector<std::string>{"email", "first_name", "last_name", "role; id", "import_error"});
  CHECK(back[1] == std::vector<std::string>{"a@example.com", "A;b", "C,d", "r\t1",
                                            "unknown_role: Role r1 does not exist; check it, please."});
  CHECK(back[2][1] == "\"B\"");
  CHECK(back[2][2] == "");
}

TEST_CASE("failed_rows_csv on a re-uploaded failed-rows file replaces its import_error column") {
  Table t = make_table({
      {"email", "import_error", "first_name"},
      {"a@example.com", "email_conflict: old", "A"},
  });
  RowOutcome f = outcome(Outcome::failed, "invalid_field", "new");
  const std::string csv = failed_rows_csv(t, {{0, 2, "a@example.com", &f}}, {});
  CHECK(csv == kBom + "email,first_name,import_error\r\na@example.com,A,invalid_field: new\r\n");
}

TEST_CASE("failed_rows_csv with nothing failed is just the header") {
  Table t = make_table({{"email", "password"}, {"a@example.com", "pw"}});
  RowOutcome ok = outcome(Outcome::created, "", "", "id");
  CHECK(failed_rows_csv(t, {{0, 2, "a@example.com", &ok}}, {1}) ==
        kBom + std::string(kLeftOutComment) + "password\r\nemail,import_error\r\n");
  CHECK(failed_rows_csv(t, {}, {}) == kBom + "email,password,import_error\r\n");
}

TEST_CASE("results_csv lists every row with outcome, id, code and message") {
  std::vector<RowOutcome> o = {
      outcome(Outcome::created, "", "", "id-1"),
      outcome(Outcome::failed, "email_conflict", "Email \"x\" already exists, sorry."),
      outcome(Outcome::deselected, "deselected", "Skipped: deselected at preview."),
      outcome(Outcome::failed, "invalid_row", "email_invalid: not an email"),
      outcome(Outcome::unconfirmed, "unconfirmed", "Retry."),
      outcome(Outcome::invited, "", "", "inv-2"),
  };
  std::vector<ExportRow> rows = {
      {0, 2, "a@example.com", &o[0]}, {1, 3, "b@example.com", &o[1]},  {2, 4, "c@example.com", &o[2]},
      {3, 5, "=bad", &o[3]},          {4, 6, "-d@example.com", &o[4]}, {5, 7, "e@example.com", &o[5]},
  };
  o[5].accept_link = "https://example.com/accept?token=secret-token";
  const std::string csv = results_csv(rows);
  CHECK(csv.rfind(kBom + "row,email,outcome,id,code,message,accept_link\r\n", 0) == 0);
  Rows back;
  REQUIRE(split_csv(std::string_view(csv).substr(3), ',', &back));
  REQUIRE(back.size() == 7);
  CHECK(back[1] == std::vector<std::string>{"2", "a@example.com", "created", "id-1", "", "", ""});
  CHECK(back[2] == std::vector<std::string>{"3", "b@example.com", "failed", "", "email_conflict",
                                            "Email \"x\" already exists, sorry.", ""});
  CHECK(back[3] == std::vector<std::string>{"4", "c@example.com", "deselected", "", "deselected",
                                            "Skipped: deselected at preview.", ""});
  CHECK(back[4] ==
        std::vector<std::string>{"5", "'=bad", "failed", "", "invalid_row", "email_invalid: not an email", ""});
  CHECK(back[5] == std::vector<std::string>{"6", "'-d@example.com", "unconfirmed", "", "unconfirmed", "Retry.", ""});
  // An invite made without email: its accept link, for the admin to hand out.
  CHECK(back[6] == std::vector<std::string>{"7", "e@example.com", "invited", "inv-2", "", "",
                                            "https://example.com/accept?token=secret-token"});
}

TEST_CASE("replayed rows: their own outcome in results.csv, not in failed-rows.csv (they exist on the server)",
          "[replay]") {
  Table t =
      make_table({{"email", "Notes"}, {"new@example.com", "n0"}, {"old@example.com", "n1"}, {"x@example.com", "n2"}});
  std::vector<RowOutcome> o = {
      outcome(Outcome::created, "", "", "idn-0"),
      outcome(Outcome::replayed, "replayed",
              "Already created by an earlier attempt: the server replayed its answer, so this import did not create "
              "it again.",
              "idn-1"),
      outcome(Outcome::failed, "email_conflict", "Email already exists."),
  };
  std::vector<ExportRow> rows;
  for (uint32_t i = 0; i < o.size(); ++i) rows.push_back(ExportRow{i, i + 2, std::string(t.cell(i + 1, 0)), &o[i]});
  Rows back;
  const std::string all = results_csv(rows);
  REQUIRE(split_csv(std::string_view(all).substr(3), ',', &back));
  REQUIRE(back.size() == 4);
  CHECK(back[2] == std::vector<std::string>{"3", "old@example.com", "replayed", "idn-1", "replayed",
                                            "Already created by an earlier attempt: the server replayed its answer, "
                                            "so this import did not create it again.",
                                            ""});
  const std::string failed = failed_rows_csv(t, rows, {});
  REQUIRE(split_csv(std::string_view(failed).substr(3), ',', &back));
  REQUIRE(back.size() == 2);
  CHECK(back[1][0] == "x@example.com");
}
