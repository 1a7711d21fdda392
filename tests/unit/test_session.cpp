// The session as the wizard and the CLI drive it: limits, chunked files (first_line + SeenValues),
// selection, batch plan, outcomes before submit.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "core/messages.h"
#include "mapping/schema.h"
#include "report/exports.h"
#include "session/session.h"
#include "validate/issue_text.h"

using namespace canopy;

namespace {
std::string people(int from, int to, const char* domain = "example.org") {
  std::string s = "email,first_name,last_name\n";
  for (int i = from; i < to; ++i) {
    s += "p" + std::to_string(i) + "@" + domain + ",G" + std::to_string(i) + ",F" + std::to_string(i) + "\n";
  }
  return s;
}
}  // namespace

TEST_CASE("limits: the wizard's figures are enforced before anything else: the CLI has none", "[session]") {
  ImportSession wizard;
  auto r = wizard.load(std::string(kMaxFileBytes + 1, 'a'));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "file_too_large");
  CHECK(r.error().message.find("10,485,761") != std::string::npos);
  auto rows = wizard.load(people(0, 10001));
  CHECK(rows.error().code == "too_many_rows");
  CHECK(rows.error().message.find("10,001 data rows") != std::string::npos);
  ImportSession cli(Limits{0, 0});
  auto ok = cli.load(people(0, 10001));
  REQUIRE(ok.ok());
  CHECK(ok.value().rows == 10001);
}

TEST_CASE("a later chunk keeps the file's line numbers and finds duplicates of earlier chunks", "[session]") {
  SeenValues seen;
  ImportSession first(Limits{0, 0});
  REQUIRE(first.load(people(0, 3)).ok());
  REQUIRE(!first.set_mode("create"));
  first.set_seen_values(&seen);
  CHECK(first.validate().errors == 0);

  // The second chunk repeats the header; its first data row is line 5 of the file, and it repeats
  // p1@example.org (line 3) in another case.
  ImportSession second(Limits{0, 0});
  LoadOptions o;
  o.first_line = 4;
  REQUIRE(second.load("email,first_name,last_name\nx@example.org,X,Y\nP1@EXAMPLE.ORG,A,B\n", o).ok());
  REQUIRE(!second.set_mode("create"));
  second.set_seen_values(&seen);
  const Stats st = second.validate();
  CHECK(st.errors == 1);
  CHECK(second.table().records[1].line == 5);
  const RowCheck& rc = second.validation().rows[1];
  REQUIRE(rc.issue_count == 1);
  const Issue& is = second.validation().issues[rc.first_issue];
  CHECK(is.code == "duplicate_email");
  CHECK(is.line == 6);
  CHECK(issue_message(is).find("line 3") != std::string::npos);
}

TEST_CASE("a workbook sheet numbers its rows as the spreadsheet does, line breaks inside cells not counted",
          "[session]") {
  // As src/workbook/ writes a sheet: row 2's name holds two line breaks (Alt+Enter in Excel), row 3 is empty.
  const std::string csv =
      "email,first_name,last_name\n"
      "ada@example.org,\"Ada\nAugusta\r\nKing\",Lovelace\n"
      "\n"
      "not-an-email,Grace,Hopper\n"
      "ada@example.org,Ada,Again\n";
  for (const bool sheet : {true, false}) {
    CAPTURE(sheet);
    ImportSession s;
    LoadOptions o;
    if (sheet) {
      o.workbook_format = "xlsx";
      o.sheet = "People";
      o.file_bytes = 4096;
    }
    REQUIRE(s.load(csv, o).ok());
    REQUIRE(!s.set_mode("create"));
    s.validate();
    const Table& t = s.table();
    REQUIRE(t.records.size() == 4);
    // A sheet: rows 1, 2, 4, 5. The same text as a CSV file: lines 1, 2, 6, 7 (a text editor's lines).
    CHECK(t.records[1].line == 2u);
    CHECK(t.records[2].line == (sheet ? 4u : 6u));
    CHECK(t.records[3].line == (sheet ? 5u : 7u));
    const RowCheck& bad = s.validation().rows[1];
    REQUIRE(bad.issue_count >= 1);
    CHECK(s.validation().issues[bad.first_issue].line == (sheet ? 4u : 6u));
    const RowCheck& dup = s.validation().rows[2];
    REQUIRE(dup.issue_count == 1);
    const Issue& is = s.validation().issues[dup.first_issue];
    CHECK(is.code == "duplicate_email");
    CHECK(is.line == (sheet ? 5u : 7u));
    CHECK(issue_message(is).find("line 2") != std::string::npos);
  }
}

TEST_CASE("selection, plan and outcomes before anything is sent", "[session]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name\na@example.org,A,A\nnot-an-email,B,B\nc@example.org,C,C\n").ok());
  REQUIRE(!s.set_mode("create"));
  Stats st = s.validate();
  CHECK(st.valid == 2);
  CHECK(st.errors == 1);
  CHECK(st.selected == 2);
  CHECK_FALSE(s.selectable(1));
  st = s.select(1, true);  // an error row cannot be selected
  CHECK(st.selected == 2);
  st = s.select(2, false);
  CHECK(st.selected == 1);
  auto plan = s.plan_submit(Scope_ids{"acc_demo", "env_dev"});
  REQUIRE(plan.ok());
  CHECK(plan.value() == 1);
  const Batch& b = s.submitter()->batches()[0];
  CHECK(b.body == R"({"rows":[{"row":2,"email":"a@example.org","first_name":"A","last_name":"A"}]})");
  CHECK(b.path == "/api/v1/portal/environments/env_dev/identities/bulk-create");
  CHECK(s.outcome(1).outcome == Outcome::failed);
  CHECK(s.outcome(1).code == "invalid_row");
  CHECK(s.outcome(2).outcome == Outcome::deselected);
  CHECK(s.outcome(0).outcome == Outcome::pending);
  // A password never reaches the failed-rows export.
  ImportSession p;
  REQUIRE(p.load("email,first_name,last_name,password\nbad,A,B,Secret-Passw0rd\n").ok());
  REQUIRE(!p.set_mode("create"));
  p.validate();
  const std::string failed = p.failed_rows_csv();
  CHECK(failed.find("Secret-Passw0rd") == std::string::npos);
  CHECK(failed.find("import_error") != std::string::npos);
  // Nor does one in a column no field takes: invite mode has no password, and "Passwort" is ignored
  // at mapping, but its header is a password alias.
  ImportSession q;
  REQUIRE(q.load("email,Passwort,first_name\nbad,Geheim-Passw0rt,A\n").ok());
  REQUIRE(!q.set_mode("invite"));
  REQUIRE(q.mapping().column_of("password") < 0);
  q.validate();
  const std::string invite_failed = q.failed_rows_csv();
  CHECK(invite_failed.find("Geheim-Passw0rt") == std::string::npos);
  // Its header is named once, in the comment line that says what was left out; the header row lacks it.
  CHECK(invite_failed.find("\r\nemail,first_name,import_error\r\nbad,A,") != std::string::npos);
  CHECK(invite_failed.find("Passwort") == invite_failed.rfind("Passwort"));
}

TEST_CASE("a failed-rows.csv coming back says so and names the columns it left out", "[session][failed-rows]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name,Passwort,Initial PW\nbad,A,B,Geheim-Passw0rt,pw-12345678\n").ok());
  REQUIRE(!s.set_mode("create"));
  s.validate();
  const std::string failed = s.failed_rows_csv();
  CHECK(failed.find("Geheim") == std::string::npos);
  CHECK(failed.find("pw-1234") == std::string::npos);
  ImportSession back;
  const auto r = back.load(failed);
  REQUIRE(r.ok());
  const UploadSummary& u = r.value();
  CHECK(u.from_failed_rows);
  CHECK(u.left_out == std::vector<std::string>{"Passwort", "Initial PW"});
  CHECK(u.headers == std::vector<std::string>{"email", "first_name", "last_name", "import_error"});
  CHECK(u.rows == 1);
  CHECK(u.comment_lines == 1);
  REQUIRE(u.notes.size() == 2);
  CHECK(u.notes[0].code == "failed_rows_upload");
  CHECK(u.notes[1].code == "failed_rows_left_out");
  CHECK(issue_message(u.notes[1]) ==
        "Left out of it: \"Passwort\", \"Initial PW\" (columns that held passwords). Add them back with their values "
        "before importing, or these people are created without a password.");

  // Saved again by a spreadsheet (the comment padded with empty cells, semicolons): still read.
  ImportSession excel;
  const auto e = excel.load(std::string(kLeftOutComment) + "password;;;\r\nemail;first_name;import_error\r\nx;A;e\r\n");
  REQUIRE(e.ok());
  CHECK(e.value().left_out == std::vector<std::string>{"password"});

  // A failed-rows.csv that left nothing out still says where it came from; any other file says nothing.
  ImportSession plain;
  const auto p = plain.load("email,first_name,last_name\nbad,A,B\n");
  REQUIRE(p.ok());
  REQUIRE(!plain.set_mode("create"));
  plain.validate();
  ImportSession again;
  const auto a = again.load(plain.failed_rows_csv());
  REQUIRE(a.ok());
  CHECK(a.value().from_failed_rows);
  CHECK(a.value().left_out.empty());
  REQUIRE(a.value().notes.size() == 1);
  CHECK(p.value().notes.empty());
  CHECK(!p.value().from_failed_rows);
}

TEST_CASE("an environment mode needs an environment id to plan", "[session]") {
  ImportSession s;
  REQUIRE(s.load(people(0, 2)).ok());
  REQUIRE(!s.set_mode("invite"));
  s.validate();
  auto plan = s.plan_submit(Scope_ids{"acc_demo", ""});
  REQUIRE_FALSE(plan.ok());
  CHECK(plan.error().code == "bad_argument");
}

// A marker password through every output path of the core: the reader's issues (load()'s summary), the
// validation issues and their English text, the preview cells, the outcomes and both exports. Columns:
// one mapped to password, two headed like passwords but left on Ignore, one headed like a password but
// mapped by hand to external_id, and a plain one whose text must still be quoted.
TEST_CASE("no secret in any message or sample: a marker password through every output path", "[session][secret]") {
  const std::string marker = "Marker-Pw-7731";
  const std::string csv =
      "email,first_name,last_name,password,Password 2,Passwort (neu),Initial PW,Notes\n"
      "a@example.com,Ann,Lee,\"Marker-Pw-7731\"x,\"Marker-Pw-7731\"y,\"Marker-Pw-7731\"z,Marker-Pw-7731,\"plain\"q\n"
      "b@example.com,Bob,Ray,Marker-Pw-7731,Marker-Pw-7731,Marker-Pw-7731,Marker-Pw-7731,n\n"
      "not-an-email,Cy,Doe,Marker-Pw-7731,Marker-Pw-7731,Marker-Pw-7731,Marker-Pw-7731,n\n";
  ImportSession s;
  REQUIRE(s.load(csv).ok());
  // Right after load (no mode yet), by header alone: what summary.issues hands the page.
  REQUIRE(s.table().issues.size() == 4);
  for (const Issue& is : s.table().issues) {
    CAPTURE(is.column);
    if (is.column == 7) {
      CHECK(issue_message(is).find("plain") != std::string::npos);  // not a secret: still quoted
    } else {
      CHECK(issue_message(is) ==
            "Text follows the closing quote of a quoted cell; it was read as a value that is not shown (password "
            "values are masked). Check the cell.");
    }
  }
  REQUIRE(!s.set_mode("create"));
  CHECK(s.mapping().columns[3].field == "password");
  CHECK(s.mapping().columns[4].field.empty());
  // "Initial PW" by hand to external_id: lines 3 and 4 repeat line 2's value, a duplicate_external_id quotes it.
  REQUIRE(s.set_column(6, "external_id").ok);
  s.validate();
  bool duplicate = false;
  for (const Issue& is : s.validation().issues) {
    const std::string text = issue_message(is);
    CAPTURE(is.code, text);
    CHECK(text.find(marker) == std::string::npos);
    CHECK(is.args.find(marker) == std::string::npos);
    if (is.code == "duplicate_external_id") {
      duplicate = true;
      CHECK(
          text ==
          "The external_id \xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80"
          "\xA2 already appears on line 2. Remove one of the two rows or give each its own id.");
    }
  }
  CHECK(duplicate);
  for (const Issue& is : s.table().issues) CHECK(is.args.find(marker) == std::string::npos);
  for (uint32_t i = 0; i < 3; ++i) {
    for (const auto& [field, value] : s.display_cells(i)) {
      CAPTURE(i, field);
      CHECK(value.find(marker) == std::string::npos);
    }
    CHECK(s.outcome(i).message.find(marker) == std::string::npos);
  }
  const std::string failed = s.failed_rows_csv();
  CHECK(failed.find(marker) == std::string::npos);
  // Only the columns with no password in them are exported, the hand-mapped one included (the comment
  // line above the header names the ones left out).
  const size_t header = failed.find("\r\n") + 2;
  CHECK(failed.substr(header, failed.find("\r\n", header) - header) == "email,first_name,last_name,Notes,import_error");
  CHECK(s.results_csv().find(marker) == std::string::npos);
}

TEST_CASE("a column mapped to password after validation masks the issues load() listed", "[session][secret]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name,Notes\na@example.com,A,B,\"Marker-Pw-7731\"x\n").ok());
  REQUIRE(!s.set_mode("create"));
  REQUIRE(s.table().issues.size() == 1);
  CHECK(issue_message(s.table().issues[0]).find("Marker-Pw-7731") != std::string::npos);  // Notes: not secret
  REQUIRE(s.set_column(3, "password").ok);
  CHECK(unpack_args(s.table().issues[0].args) == std::vector<std::string_view>{"masked_value", "password"});
}

TEST_CASE("regression: retrying the lookups reset the user's deselections", "[session]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name,role_id,node_id\n"
                 "a@example.org,A,A,,\n"
                 "b@example.org,B,B,,\n"
                 "c@example.org,C,C,5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01,8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01\n"
                 "not-an-email,D,D,,\n")
              .ok());
  REQUIRE(!s.set_mode("create"));
  Lookups failed;
  failed.state = Lookups::State::failed;
  s.set_lookups(failed);
  Stats st = s.validate();
  CHECK(st.errors == 2);  // line 4 needs the lookups, line 5 is no email
  CHECK(st.selected == 2);
  s.select(1, false);  // the user takes b@ out
  // The banner's Retry: the lookups load, the rows are validated again.
  Lookups loaded;
  loaded.state = Lookups::State::loaded;
  loaded.roles = {"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01"};
  loaded.nodes = {"8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01"};
  s.set_lookups(loaded);
  st = s.validate();
  CHECK(st.errors == 1);
  CHECK(s.selected(0));
  CHECK_FALSE(s.selected(1));  // still out, as the user left it
  CHECK(s.selected(2));        // newly valid: starts selected
  CHECK_FALSE(s.selected(3));
  CHECK(st.selected == 2);
  // A new file starts over.
  REQUIRE(s.load("email,first_name,last_name\na@example.org,A,A\nb@example.org,B,B\n").ok());
  REQUIRE(!s.set_mode("create"));
  CHECK(s.validate().selected == 2);
}

TEST_CASE("regression: import_mapping and set_lookups kept a stale submit plan that set_column drops", "[session]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name,Notes\na@example.org,A,A,x\n").ok());
  REQUIRE(!s.set_mode("create"));
  s.validate();
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", "env_dev"}).ok());
  REQUIRE(s.submitter());
  REQUIRE(!s.import_mapping(R"({"mode":"create","columns":{"Notes":"external_id"}})"));
  CHECK(s.submitter() == nullptr);  // its bodies lack external_id

  s.validate();
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", "env_dev"}).ok());
  REQUIRE(s.submitter());
  s.set_lookups(Lookups{});
  CHECK(s.submitter() == nullptr);

  s.validate();
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", "env_dev"}).ok());
  REQUIRE(s.set_column(3, "").ok);
  CHECK(s.submitter() == nullptr);  // as before
}

TEST_CASE("directory check: requests of at most 1,000 compare keys, found rows locked out, selection kept",
          "[session][directory]") {
  std::string csv = "email,first_name,last_name\n";
  csv += "Ada@Example.COM,Ada,L\n";       // line 2: found as an identity
  csv += "juergen@bücher.example,J,B\n";  // line 3: found as an invite, asked in its ASCII form
  csv += "not-an-email,X,Y\n";            // line 4: never asked
  csv += "ada@example.com,Dup,L\n";       // line 5: a duplicate of line 2, asked once
  for (int i = 0; i < 1000; ++i) csv += "p" + std::to_string(i) + "@example.org,P,Q\n";  // lines 6..1005
  ImportSession s;
  REQUIRE(s.load(csv).ok());
  REQUIRE(!s.set_mode("create"));
  Stats st = s.validate();
  CHECK(st.errors == 2);  // not-an-email, the duplicate
  CHECK(s.directory_status().state == DirectoryStatus::State::not_checked);
  st = s.select(5, false);  // the user deselects line 7 while the check runs
  CHECK(st.selected == 1001);

  CHECK_FALSE(s.directory_next(Scope_ids{"acc_demo", ""}).has_value());  // an environment mode needs its id
  auto r1 = s.directory_next(Scope_ids{"acc_demo", "env dev"});
  REQUIRE(r1.has_value());
  CHECK(r1->path == "/api/v1/environments/env%20dev/identities/lookup");
  CHECK(r1->emails == 1000);
  CHECK(r1->body.rfind(R"({"emails":["ada@example.com","juergen@xn--bcher-kva.example","p0@example.org",)", 0) == 0);
  CHECK(r1->body.size() > 1000 * 16);
  CHECK(r1->body.find("p997@example.org\"]}") != std::string::npos);
  CHECK(s.directory_status().state == DirectoryStatus::State::checking);

  // The same request again until it is answered (a Retry after a failure asks the same).
  st = s.directory_response(503, R"({"error":{"code":"service_unavailable","message":"down"}})");
  CHECK(st.errors == 2);
  DirectoryStatus d = s.directory_status();
  CHECK(d.state == DirectoryStatus::State::failed);
  CHECK(d.reason == "the server answered HTTP 503: down");
  CHECK(d.reason_code == "directory_http_said");  // the page words it from code + arguments
  CHECK(d.reason_args ==
        "503\x1f"
        "down\x1f");
  CHECK(d.checked == 0);
  auto again = s.directory_next(Scope_ids{"acc_demo", "env dev"});
  REQUIRE(again.has_value());
  CHECK(again->body == r1->body);
  st = s.directory_response(0, "timed out after 30 s");  // the transport's own words (curl's), as they are
  CHECK(s.directory_status().reason == "the connection failed: timed out after 30 s");
  CHECK(s.directory_status().reason_code == "directory_transport");
  s.directory_response(0, "", 30);
  CHECK(s.directory_status().reason == "the server did not answer within 30 s");
  CHECK(s.directory_status().reason_code == "directory_timeout");
  CHECK(s.directory_status().reason_args == "30\x1f");
  s.directory_response(0, "");
  CHECK(s.directory_status().reason == "the server did not answer");
  CHECK(s.directory_status().reason_args.empty());
  s.directory_response(502, "<html>Bad gateway</html>");
  CHECK(s.directory_status().reason == "the server answered HTTP 502");
  CHECK(s.directory_status().reason_code == "directory_http");
  REQUIRE(s.directory_next(Scope_ids{"acc_demo", "env dev"}).has_value());

  // An answer naming an email that was not asked about blocks nothing.
  st = s.directory_response(200, R"({"items":[
    {"email":"ADA@example.com","identity_id":"idn_1","invite_id":null,"status":"active","created_at":"2026-11-30T08:00:00.000Z"},
    {"email":"juergen@xn--bcher-kva.example","identity_id":null,"invite_id":"inv_2","status":"invited","created_at":"2026-12-01T09:30:00.000Z"},
    {"email":"p999@example.org","identity_id":"idn_3","invite_id":null,"status":"active","created_at":"2026-12-01T00:00:00.000Z"}]})");
  CHECK(st.errors == 4);
  CHECK(st.valid == 1000);
  CHECK(st.selected == 999);  // line 7 stays deselected; lines 2 and 3 are locked out
  CHECK_FALSE(s.selectable(0));
  CHECK_FALSE(s.selectable(1));
  CHECK_FALSE(s.selected(5));
  const RowCheck& ada = s.validation().rows[0];
  REQUIRE(ada.issue_count == 1);
  const Issue& is = s.validation().issues[ada.first_issue];
  CHECK(is.code == "email_exists");
  CHECK(is.line == 2);
  CHECK(is.column == 0);
  CHECK(issue_message(is) ==
        "Ada@Example.COM already has an identity (idn_1, created 2026-11-30); the server would refuse this row. "
        "Leave it out of the file, or remove the existing one first and upload again.");
  const RowCheck& jb = s.validation().rows[1];
  REQUIRE(jb.issue_count == 1);
  CHECK(issue_message(s.validation().issues[jb.first_issue]) ==
        "juergen@bücher.example already has a pending invite (inv_2, sent 2026-12-01); the server would refuse "
        "this row. Leave it out of the file, or remove the existing one first and upload again.");
  // The duplicate (line 5) keeps its one issue and gets the directory's too.
  const RowCheck& dup = s.validation().rows[3];
  REQUIRE(dup.issue_count == 2);
  CHECK(s.validation().issues[dup.first_issue].code == "duplicate_email");
  CHECK(s.validation().issues[dup.first_issue + 1].code == "email_exists");
  d = s.directory_status();
  CHECK(d.state == DirectoryStatus::State::checking);
  CHECK(d.emails == 1002);
  CHECK(d.checked == 1000);
  CHECK(d.found == 3);
  CHECK(d.reason.empty());

  auto r2 = s.directory_next(Scope_ids{"acc_demo", "env dev"});
  REQUIRE(r2.has_value());
  CHECK(r2->body == R"({"emails":["p998@example.org","p999@example.org"]})");
  st = s.directory_response(200, R"({"items":[]})");
  CHECK(st.errors == 4);  // p999 was not asked in the first request: its answer there was dropped
  CHECK(s.directory_status().state == DirectoryStatus::State::checked);
  CHECK_FALSE(s.directory_next(Scope_ids{"acc_demo", "env dev"}).has_value());

  // A new validation (lookups changed, say) keeps what the directory said without asking again.
  st = s.validate();
  CHECK(st.errors == 4);
  CHECK_FALSE(s.directory_next(Scope_ids{"acc_demo", "env dev"}).has_value());
  CHECK(s.directory_status().state == DirectoryStatus::State::checked);
}

TEST_CASE("directory check when resuming a cut-off run: what the server created since then is not email_exists",
          "[session][directory]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name\nold@example.org,O,L\nnew@example.org,N,L\nfresh@example.org,F,L\n").ok());
  REQUIRE(!s.set_mode("create"));
  s.set_resume_since("2026-12-01T10:00:00.000Z");
  s.validate();
  REQUIRE(s.directory_next(Scope_ids{"acc_demo", "env_dev"}).has_value());
  // old@ existed before the cut-off run started; new@ was created by it (at or after the time).
  Stats st = s.directory_response(200, R"({"items":[
    {"email":"old@example.org","identity_id":"idn_1","invite_id":null,"status":"active","created_at":"2026-12-01T09:59:59.999Z"},
    {"email":"new@example.org","identity_id":"idn_2","invite_id":null,"status":"active","created_at":"2026-12-01T10:00:00.000Z"}]})");
  CHECK(st.errors == 1);
  CHECK(st.selected == 2);
  CHECK_FALSE(s.selectable(0));
  CHECK(s.selected(1));
  CHECK(s.selected(2));
  // Not resuming any more (a new file, or told so): the same answer blocks both again.
  s.set_resume_since("");
  st = s.validate();
  CHECK(st.errors == 2);
  CHECK_FALSE(s.selectable(1));
}

TEST_CASE("directory check: account scope, answers that break the contract, answers after the plan",
          "[session][directory]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name\na@example.org,A,A\nb@example.org,B,B\n").ok());
  REQUIRE(!s.set_mode("account"));
  s.validate();
  auto r = s.directory_next(Scope_ids{"acc_demo", ""});
  REQUIRE(r.has_value());
  CHECK(r->path == "/api/v1/identities/lookup");
  CHECK(r->body == R"({"emails":["a@example.org","b@example.org"]})");
  s.directory_response(200, R"({"results":[]})");
  CHECK(s.directory_status().reason == R"(the server answered HTTP 200, but not with an "items" list)");
  CHECK(s.directory_status().reason_code == "directory_not_items");
  s.directory_response(200, R"({"items":[{"email":"a@example.org","identity_id":null,"invite_id":null}]})");
  CHECK(s.directory_status().state == DirectoryStatus::State::failed);
  REQUIRE(s.directory_next(Scope_ids{"acc_demo", ""}).has_value());
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", ""}).ok());
  const Stats st =
      s.directory_response(200, R"({"items":[{"email":"a@example.org","identity_id":"idn_9","created_at":"x"}]})");
  CHECK(st.errors == 0);  // planned already: the server decides
  CHECK(s.directory_status().state == DirectoryStatus::State::checked);
}

TEST_CASE("directory check: nothing to ask without an email column or with no valid email", "[session][directory]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name\nnope,A,A\n").ok());
  REQUIRE(!s.set_mode("create"));
  s.validate();
  CHECK_FALSE(s.directory_next(Scope_ids{"acc_demo", "env_dev"}).has_value());
  CHECK(s.directory_status().state == DirectoryStatus::State::checked);
  CHECK(s.directory_status().emails == 0);
  ImportSession none;
  REQUIRE(none.load("mail_personal,first_name,last_name\na@example.org,A,A\n").ok());
  REQUIRE(!none.set_mode("create"));
  none.validate();
  CHECK_FALSE(none.directory_next(Scope_ids{"acc_demo", "env_dev"}).has_value());
  CHECK(none.directory_status().state == DirectoryStatus::State::not_checked);
}

TEST_CASE("accept links: results.csv's last column and the tab-separated lines of Copy all links", "[session]") {
  ImportSession s;
  REQUIRE(s.load("email,send_email\nmail@example.org,true\nlink@example.org,false\n").ok());
  REQUIRE(!s.set_mode("invite"));
  s.validate();
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", "env_dev"}).ok());
  size_t n = 7;
  CHECK(s.accept_links_text(&n).empty());
  CHECK(n == 0);
  Submitter& sub = *s.submitter();
  const Action a = sub.next(0);
  REQUIRE(a.kind == Action::send);
  sub.on_response(a.batch, 200, "",
                  R"({"results":[{"row":2,"status":"invited","id":"inv_1"},)"
                  R"({"row":3,"status":"invited","id":"inv_2","accept_link":"https://x.example/accept/tok2"}]})",
                  0, 0, 0.0);
  CHECK(s.accept_links_text(&n) == "link@example.org\thttps://x.example/accept/tok2\n");
  CHECK(n == 1);
  const std::string csv = s.results_csv();
  CHECK(csv.find("\r\n2,mail@example.org,invited,inv_1,,,\r\n") != std::string::npos);
  CHECK(csv.find("\r\n3,link@example.org,invited,inv_2,,,https://x.example/accept/tok2\r\n") != std::string::npos);
}

TEST_CASE("results by outcome and failures by code (a row blocked at preview under its first error)", "[session]") {
  ImportSession s;
  REQUIRE(s.load("email,first_name,last_name\na@example.org,A,A\nbad,B,B\nc@example.org,C,C\nd@example.org,D,D\n"
                 "bad2,E,E\n")
              .ok());
  REQUIRE(!s.set_mode("create"));
  s.validate();
  s.select(3, false);
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", "env_dev"}).ok());
  Submitter& sub = *s.submitter();
  const Action a = sub.next(0);
  REQUIRE(a.kind == Action::send);
  sub.on_response(a.batch, 200, "",
                  R"({"results":[{"row":2,"status":"created","id":"idn_1"},)"
                  R"({"row":4,"status":"error","error":{"code":"email_conflict","message":"taken"}}]})",
                  0, 0, 0.0);
  CHECK(s.result_indices(std::nullopt) == std::vector<uint32_t>{0, 1, 2, 3, 4});
  CHECK(s.result_indices(Outcome::failed) == std::vector<uint32_t>{1, 2, 4});
  CHECK(s.result_indices(Outcome::created) == std::vector<uint32_t>{0});
  CHECK(s.result_indices(Outcome::deselected) == std::vector<uint32_t>{3});
  CHECK(s.result_indices(Outcome::unconfirmed).empty());
  const std::vector<ImportSession::FailureGroup> want = {{"email_invalid", 2, 1}, {"email_conflict", 1, 2}};
  CHECK(s.failure_summary() == want);
  CHECK(s.result_indices(std::nullopt, "email_invalid") == std::vector<uint32_t>{1, 4});
  CHECK(s.result_indices(Outcome::failed, "email_conflict") == std::vector<uint32_t>{2});
  CHECK(s.result_indices(std::nullopt, "nothing_like_it").empty());
  CHECK(s.failure_code(0).empty());
  CHECK(s.failure_code(3).empty());  // deselected
}

TEST_CASE("repeats_of: a run of rows with the same problem points at its first row, across pages", "[session]") {
  ImportSession s;
  std::string csv = "email,first_name,last_name\n";
  for (int i = 0; i < 8; ++i) csv += "r" + std::to_string(i) + "@example.org,F,L\n";
  REQUIRE(s.load(csv).ok());
  REQUIRE(!s.set_mode("create"));
  s.validate();
  REQUIRE(s.plan_submit(Scope_ids{"acc_demo", "env_dev"}).ok());
  Submitter& sub = *s.submitter();
  const Action a = sub.next(0);
  REQUIRE(a.kind == Action::send);
  // Rows 0, 1: created (no message: never a repeat); 2-4 the same conflict; 5 another message; 6-7 as 5.
  std::string body = R"({"results":[)";
  const char* msgs[] = {"", "", "taken", "taken", "taken", "other", "other", "other"};
  for (int i = 0; i < 8; ++i) {
    if (i) body += ",";
    body += "{\"row\":" + std::to_string(i + 2) +
            (msgs[i][0]
                 ? std::string(R"(,"status":"error","error":{"code":"email_conflict","message":")") + msgs[i] + "\"}}"
                 : R"(,"status":"created","id":"idn_)" + std::to_string(i) + "\"}");
  }
  body += "]}";
  sub.on_response(a.batch, 200, "", body, 0, 0, 0.0);
  const std::vector<uint32_t> all = s.result_indices(std::nullopt);
  CHECK(s.repeats_of(all, 0, 8) == std::vector<int64_t>{-1, -1, -1, 2, 2, -1, 5, 5});
  CHECK(s.repeats_of(all, 3, 2) == std::vector<int64_t>{2, 2});  // a page starting inside a run
  CHECK(s.repeats_of(all, 7, 50) == std::vector<int64_t>{5});
  CHECK(s.repeats_of(all, 8, 50).empty());
  const std::vector<uint32_t> failed = s.result_indices(Outcome::failed);
  CHECK(s.repeats_of(failed, 0, 50) == std::vector<int64_t>{-1, 2, 2, -1, 5, 5});
  CHECK(s.fingerprint().size() == 64);
}

TEST_CASE("sample_csv: the scope's ids replace the demo ids: a kind the scope lacks leaves the cell empty",
          "[session][sample]") {
  const ModeSpec& create = *find_mode("create");
  const std::string demo = ImportSession::sample_csv(create);
  CHECK(demo.find("\nkatherine.johnson@example.com,Katherine,Johnson,Orbital-Mechanics-1962,"
                  "5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01,8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01,,HR-1001\n") !=
        std::string::npos);
  SampleIds prod{"6b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01", "9d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01", "mobile-app", ""};
  const std::string there = ImportSession::sample_csv(create, &prod);
  CHECK(there.find("\nkatherine.johnson@example.com,Katherine,Johnson,Orbital-Mechanics-1962,"
                   "6b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01,9d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01,,HR-1001\n") !=
        std::string::npos);
  CHECK(there.find("\ndorothy.vaughan@example.com,Dorothy,Vaughan,,,,mobile-app,HR-1002\n") != std::string::npos);
  SampleIds no_nodes{"6b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01", "", "", ""};
  const std::string bare = ImportSession::sample_csv(create, &no_nodes);
  CHECK(bare.find("\nkatherine.johnson@example.com,Katherine,Johnson,Orbital-Mechanics-1962,,,,HR-1001\n") !=
        std::string::npos);
  // The three modes' samples share no person.
  std::set<std::string> seen;
  for (const ModeSpec& m : all_modes()) {
    for (const auto& ex : m.examples) CHECK(seen.insert(std::string(example_value(ex, "email"))).second);
  }
}

TEST_CASE("display_name: the lookups' name of a role, node, client or application id, nothing else", "[session]") {
  ImportSession s;
  REQUIRE(s.load("email,role_id,node_id\na@example.org,5B0F7A53-3c1e-4d2a-9b47-2f6a1c9e8d01,x\n").ok());
  REQUIRE(!s.set_mode("invite"));
  Lookups l;
  l.state = Lookups::State::loaded;
  l.names = {{"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01", "Admin"}, {"dashboard-web", "Dashboard (web)"}};
  s.set_lookups(l);
  CHECK(s.display_name("role_id", " 5B0F7A53-3c1e-4d2a-9b47-2f6a1c9e8d01") == "Admin");
  CHECK(s.display_name("client_id", "dashboard-web") == "Dashboard (web)");
  CHECK(s.display_name("node_id", "x").empty());
  CHECK(s.display_name("email", "dashboard-web").empty());  // not a lookup field
}

TEST_CASE("failed-rows.csv comes back whole when an error message quotes a cell of many lines", "[session][report]") {
  // A quoted email cell of 60 lines (within the scanner's 100-line bound) is not a valid address; its
  // message quotes it. Were the quote written with its line breaks, the export's record would span
  // 120 lines and read back as an unterminated quote (fuzz_pipeline found this).
  std::string cell = "\"x";
  for (int i = 0; i < 60; ++i) cell += "\nline " + std::to_string(i);
  cell += "\"";
  ImportSession s;
  REQUIRE(s.load("email,first_name\n" + cell + ",A\nb@example.com,B\n").ok());
  REQUIRE(!s.set_mode("invite"));
  s.validate();
  REQUIRE(s.validation().rows[0].status == RowStatus::error);
  const std::string failed = s.failed_rows_csv();
  ImportSession again;
  auto back = again.load(failed);
  REQUIRE(back.ok());
  CHECK(back.value().parse_issues == 0);
  CHECK(back.value().rows == 2);  // not sent yet: both rows are in it
  const Table& t = again.table();
  CHECK(t.cell(1, 0) == cell.substr(1, cell.size() - 2));  // the cell itself, every line of it
  const std::string error = std::string(t.cell(1, 2));
  CHECK(error.find('\n') == std::string::npos);
  CHECK(error.find("x\xE2\x86\xB5line 0\xE2\x86\xB5line 1") != std::string::npos);  // "x↵line 0↵line 1"
  CHECK(error.find("\xE2\x80\xA6") != std::string::npos);                           // cut at 200 bytes, with "…"
}

TEST_CASE("a message argument is one line: controls shown, the argument separator never split", "[core]") {
  CHECK(unpack_args(pack_args({"a\r\nb\rc\nd", "e\tf", std::string("g\x1fh\x00i", 5), "\x7f"})) ==
        std::vector<std::string_view>{"a\xE2\x86\xB5"
                                      "b\xE2\x86\xB5"
                                      "c\xE2\x86\xB5"
                                      "d",
                                      "e\xE2\x87\xA5"
                                      "f",
                                      "g\xEF\xBF\xBDh\xEF\xBF\xBDi", "\xEF\xBF\xBD"});
  const std::string long_name(150, 'a');
  // Byte 200 is the second byte of "é": the cut falls before the "é", never inside it.
  const std::string at_boundary = std::string(199, 'b') + "\xC3\xA9" + "tail";
  CHECK(unpack_args(pack_args({at_boundary}))[0] == std::string(199, 'b') + "\xE2\x80\xA6");
  CHECK(unpack_args(pack_args({long_name}))[0] == long_name);  // short and plain: as it is
}

namespace {
// A file whose email column has a header no alias knows: `bad` of its `rows` values are not emails.
std::string contacts(const std::string& header, int rows, int bad, const std::string& extra_header = "Notes") {
  std::string s = "Given name,Surname," + header + "," + extra_header + "\n";
  for (int i = 0; i < rows; ++i) {
    const std::string v = i < bad ? "n/a " + std::to_string(i) : "p" + std::to_string(i) + "@example.org";
    s += "G" + std::to_string(i) + ",F" + std::to_string(i) + "," + v + ",note " + std::to_string(i) + "\n";
  }
  return s;
}
}  // namespace

TEST_CASE("an unmapped email is suggested from a column's contents, never applied", "[session][suggest]") {
  ImportSession s;
  REQUIRE(s.load(contacts("Kontakt", 20, 2)).ok());  // 18 of 20: 90 %
  REQUIRE(!s.set_mode("create"));
  REQUIRE(s.suggestions().size() == 1);
  const Suggestion& sg = s.suggestions()[0];
  CHECK(sg.column == 2);
  CHECK(sg.field == "email");
  CHECK(sg.valid == 18);
  CHECK(sg.sampled == 20);
  CHECK(suggestion_message(sg) ==
        "Looks like Email: 18 of the 20 values checked are valid email addresses. Map this column to Email if it holds "
        "the people's emails.");
  // Not applied: the column stays on Ignore and email is still missing.
  CHECK(s.mapping().columns[2].field.empty());
  CHECK(s.mapping().columns[2].status == ColumnStatus::ignored);
  CHECK(s.mapping().missing_required() == std::vector<std::string_view>{"email"});
  CHECK(!s.plan_submit(Scope_ids{"acc", "env"}).ok());
  // Confirmed by the user: mapped, and nothing is suggested any more.
  REQUIRE(s.set_column(2, "email").ok);
  CHECK(s.mapping().columns[2].status == ColumnStatus::manual);
  CHECK(s.suggestions().empty());
  // Back on Ignore: suggested again.
  REQUIRE(s.set_column(2, "").ok);
  CHECK(s.suggestions().size() == 1);
}

TEST_CASE("below 90 % valid, a column is not suggested", "[session][suggest]") {
  ImportSession s;
  REQUIRE(s.load(contacts("Kontakt", 20, 3)).ok());  // 17 of 20: 85 %
  REQUIRE(!s.set_mode("invite"));
  CHECK(s.suggestions().empty());
}

TEST_CASE("only a field told by its form is suggested: never names, never ids", "[session][suggest]") {
  // Names in columns no alias knows, role and node ids of the right form: nothing is suggested for them.
  ImportSession s;
  REQUIRE(
      s.load("Mail,Vorname X,Nachname X,R,N\n"
             "a@example.org,Ada,Lovelace,5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01,8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01\n")
          .ok());
  REQUIRE(!s.set_mode("create"));
  CHECK(s.mapping().missing_required() == std::vector<std::string_view>{"first_name", "last_name"});
  CHECK(s.suggestions().empty());
}

TEST_CASE("a column whose header means another address is never suggested: a login name may be", "[session][suggest]") {
  for (const char* header : {"Home Email", "Manager Email", "Recovery Email", "Password"}) {
    CAPTURE(header);
    ImportSession s;
    REQUIRE(s.load(contacts(header, 5, 0)).ok());
    REQUIRE(!s.set_mode("invite"));
    CHECK(s.suggestions().empty());
  }
  ImportSession login;
  REQUIRE(login.load(contacts("Username", 5, 0)).ok());
  REQUIRE(!login.set_mode("invite"));
  REQUIRE(login.suggestions().size() == 1);
  CHECK(login.suggestions()[0].column == 2);
}

TEST_CASE("of two candidate columns the one with more valid values is suggested, the leftmost on a tie",
          "[session][suggest]") {
  ImportSession s;
  std::string csv = "A,B,C\n";
  for (int i = 0; i < 10; ++i) {
    csv += "x" + std::to_string(i) + "@example.org," + (i == 0 ? std::string("none") : "y@example.org") + ",z" +
           std::to_string(i) + "@example.org\n";
  }
  REQUIRE(s.load(csv).ok());
  REQUIRE(!s.set_mode("invite"));
  REQUIRE(s.suggestions().size() == 1);
  CHECK(s.suggestions()[0].column == 0);  // A and C: 10 of 10 each, A is leftmost; B: 9 of 10
}

TEST_CASE("a suggestion looks at the first 200 rows only", "[session][suggest]") {
  std::string csv = "Kontakt\n";
  for (int i = 0; i < 200; ++i) csv += "name " + std::to_string(i) + "\n";
  for (int i = 0; i < 2000; ++i) csv += "p" + std::to_string(i) + "@example.org\n";
  ImportSession s;
  REQUIRE(s.load(csv).ok());
  REQUIRE(!s.set_mode("invite"));
  CHECK(s.suggestions().empty());
  // Empty cells are not counted against it.
  ImportSession sparse;
  REQUIRE(sparse.load("Kontakt,X\n,1\na@example.org,2\n,3\n").ok());
  REQUIRE(!sparse.set_mode("invite"));
  REQUIRE(sparse.suggestions().size() == 1);
  CHECK(sparse.suggestions()[0].sampled == 1);
}

TEST_CASE("a split full-name column: first and last name in preview and bodies, unsure names as warnings",
          "[session][split]") {
  ImportSession s;
  REQUIRE(s.load("email,Full name\n"
                 "ada@example.org,Ada Lovelace\n"
                 "grace@example.org,\"Hopper, Grace\"\n"
                 "cher@example.org,Cher\n"
                 "taro@example.org,山田 太郎\n")
              .ok());
  REQUIRE(!s.set_mode("invite"));
  const auto preview = s.split_preview(1, 10);
  REQUIRE(preview.size() == 4);
  CHECK(preview[1].line == 3);
  CHECK(preview[1].first == "Grace");
  CHECK(preview[1].last == "Hopper");
  CHECK(preview[2].unsure == "name_split_one_word");
  CHECK(preview[3].unsure == "name_split_cjk");
  REQUIRE(s.set_split_column(1).ok);
  const Stats st = s.validate();
  CHECK(st.valid == 2);
  CHECK(st.warnings == 2);  // invite mode: names may be missing, and the unsure ones say why
  CHECK(s.value(0, "first_name") == "Ada");
  CHECK(s.value(0, "last_name") == "Lovelace");
  CHECK(s.value(2, "first_name").empty());
  bool unsure = false;
  for (const Issue& is : s.validation().issues) {
    if (is.code != "name_split_unsure" || is.row != 2) continue;
    unsure = true;
    CHECK(is.column == 1);
    CHECK(
        issue_message(is) ==
        "\"Cher\" was not split into first and last name: it is one word. Both are left empty; give them in their own "
        "columns, or fix this row.");
  }
  CHECK(unsure);
  auto plan = s.plan_submit(Scope_ids{"acc", "env"});
  REQUIRE(plan.ok());
  const std::string& body = s.submitter()->batches()[0].body;
  CHECK(body.find(R"("email":"ada@example.org","first_name":"Ada","last_name":"Lovelace")") != std::string::npos);
  CHECK(body.find(R"("email":"grace@example.org","first_name":"Grace","last_name":"Hopper")") != std::string::npos);
  CHECK(body.find(R"({"row":4,"email":"cher@example.org"})") != std::string::npos);  // nothing guessed
  // In create mode the names are required: an unsure row is an error, never sent with a guess.
  REQUIRE(!s.set_mode("create"));
  REQUIRE(s.set_split_column(1).ok);
  const Stats create = s.validate();
  CHECK(create.valid == 2);
  CHECK(create.errors == 2);
  // failed-rows.csv keeps the original full-name column, so the file re-imports the same way.
  CHECK(s.failed_rows_csv().find("Full name") != std::string::npos);
}
