// The session as the wizard and the CLI drive it: limits, chunked files (first_line + SeenValues),
// selection, batch plan, outcomes before submit.
#include <catch2/catch.hpp>
#include <string>

#include "core/messages.h"
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

TEST_CASE("limits: the wizard's figures are enforced before anything else; the CLI has none", "[session]") {
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
  CHECK(invite_failed.find("Passwort") == std::string::npos);
  CHECK(invite_failed.find("bad,A,") != std::string::npos);
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
  // Only the columns with no password in them are exported, the hand-mapped one included.
  CHECK(failed.substr(0, failed.find("\r\n")) ==
        "\xEF\xBB\xBF"
        "email,first_name,last_name,Notes,import_error");
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
