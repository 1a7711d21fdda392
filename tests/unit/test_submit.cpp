#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <type_traits>

#include "core/messages.h"
#include "submit/plan.h"
#include "submit/retry_after.h"
#include "submit/submitter.h"

using namespace canopy;

namespace {

const ModeSpec& mode(std::string_view id) {
  const ModeSpec* m = find_mode(id);
  REQUIRE(m != nullptr);
  return *m;
}

const Scope_ids kScope{"acc-1", "env-1"};

RowPayload payload(uint32_t index, std::vector<std::pair<std::string_view, std::string>> values) {
  return RowPayload{index, index + 2, std::move(values)};
}

std::vector<RowPayload> email_rows(size_t n) {
  std::vector<RowPayload> rows;
  for (size_t i = 0; i < n; ++i) {
    rows.push_back(payload(static_cast<uint32_t>(i), {{"email", "user" + std::to_string(i) + "@example.com"}}));
  }
  return rows;
}

std::vector<Batch> invite_batches(size_t rows, size_t batch_size = kMaxBatchRows) {
  return plan_batches(mode("invite"), kScope, email_rows(rows), batch_size);
}

// {"results":[...]} answering every row of `b` with `status` ("invited", "created" or "error").
std::string results_body(const Batch& b, const std::vector<std::string>& statuses) {
  nlohmann::json results = nlohmann::json::array();
  for (size_t i = 0; i < b.rows.size(); ++i) {
    const std::string& st = statuses[i % statuses.size()];
    nlohmann::json r = {{"row", b.rows[i]}, {"status", st}};
    if (st == "error") {
      r["error"] = {{"code", "email_conflict"}, {"message", "already exists " + std::to_string(b.rows[i])}};
    } else {
      r["id"] = "id-" + std::to_string(b.rows[i]);
    }
    results.push_back(r);
  }
  return nlohmann::json{{"results", results}}.dump();
}

bool is_uuid_v8(const std::string& k) {
  if (k.size() != 36) return false;
  for (size_t i = 0; i < k.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (k[i] == '-')) return false;
    if (!dash && !((k[i] >= '0' && k[i] <= '9') || (k[i] >= 'a' && k[i] <= 'f'))) return false;
  }
  return k[14] == '8' && std::string("89ab").find(k[19]) != std::string::npos;
}

// Formats an IMF-fixdate from epoch seconds (test-local, independent of the parser).
std::string imf_date(int64_t t) {
  int64_t z = t / 86400 + 719468;
  int64_t secs = t % 86400;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  static const char* wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
  static const char* mn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", wd[(t / 86400) % 7], d, mn[m - 1],
                static_cast<long long>(y), static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60));
  return buf;
}

constexpr uint64_t kEpoch1994 = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT

// Sends the next batch and returns its index; fails the test if next() does not say send.
size_t expect_send(Submitter& s, uint64_t now) {
  Action a = s.next(now);
  INFO("action kind " << int(a.kind) << " reason " << a.reason);
  REQUIRE(a.kind == Action::send);
  return a.batch;
}

}  // namespace

// ---------------------------------------------------------------------------------------------- SHA-256

TEST_CASE("sha256 matches the FIPS 180 vectors") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(
      sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopq"
                 "rstnopqrstu") == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 handles the padding boundaries") {
  // Lengths around 55/56/64 bytes change how many blocks the padding needs (values from Python hashlib).
  auto [n, hex] = GENERATE(table<size_t, std::string>({
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
      {128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464"},
  }));
  CAPTURE(n);
  CHECK(sha256_hex(std::string(n, 'x')) == hex);
}

// ------------------------------------------------------------------------------------------------- plan

TEST_CASE("plan_batches splits rows in file order into batches of at most 200") {
  auto [n, expected_batches] = GENERATE(table<size_t, size_t>({{0, 0}, {1, 1}, {200, 1}, {201, 2}, {401, 3}}));
  CAPTURE(n);
  auto batches = invite_batches(n);
  REQUIRE(batches.size() == expected_batches);
  uint32_t next_index = 0;
  for (const Batch& b : batches) {
    CHECK(b.indices.size() <= kMaxBatchRows);
    CHECK(b.indices.size() == b.rows.size());
    for (size_t i = 0; i < b.indices.size(); ++i) {
      CHECK(b.indices[i] == next_index);
      CHECK(b.rows[i] == next_index + 2);
      ++next_index;
    }
    auto j = nlohmann::json::parse(b.body);
    REQUIRE(j["rows"].size() == b.rows.size());
    CHECK(j["rows"][0]["row"] == b.rows[0]);
    CHECK(j["rows"].back()["email"] == "user" + std::to_string(b.indices.back()) + "@example.com");
  }
  CHECK(next_index == n);
  if (n == 401) {
    CHECK(batches[0].rows.size() == 200);
    CHECK(batches[1].rows.size() == 200);
    CHECK(batches[2].rows.size() == 1);
  }
}

TEST_CASE("plan_batches honours a smaller batch size and clamps a larger one") {
  CHECK(invite_batches(10, 3).size() == 4);
  CHECK(invite_batches(10, 3).back().rows.size() == 1);
  CHECK(invite_batches(401, 1000).size() == 3);
  CHECK(invite_batches(401, 0).size() == 3);
}

TEST_CASE("plan body is byte-exact: row first, mode order, RFC 8259 escaping, UTF-8 kept") {
  std::vector<RowPayload> rows = {
      // Deliberately out of mode order, with a field the mode does not have and an empty optional.
      payload(0, {{"external_id", "HR-\xE2\x82\xAC"},
                  {"last_name", "O\"Brien\\"},
                  {"send_email", "false"},
                  {"password", ""},
                  {"email", "zoe@example.com"},
                  {"first_name", "Zo\xC3\xAB\n\t\x01\x1F/\x7F"}}),
      payload(1, {{"email", ""}, {"first_name", "A"}, {"last_name", "\xF0\x9F\x98\x80"}}),
  };
  auto batches = plan_batches(mode("create"), kScope, rows);
  REQUIRE(batches.size() == 1);
  CHECK(batches[0].body ==
        "{\"rows\":[{\"row\":2,\"email\":\"zoe@example.com\",\"first_name\":\"Zo\xC3\xAB\\n\\t\\u0001\\u001f/\x7F\","
        "\"last_name\":\"O\\\"Brien\\\\\",\"external_id\":\"HR-\xE2\x82\xAC\"},"
        "{\"row\":3,\"email\":\"\",\"first_name\":\"A\",\"last_name\":\"\xF0\x9F\x98\x80\"}]}");
  // Cross-check with an independent JSON parser.
  auto j = nlohmann::json::parse(batches[0].body);
  CHECK(j["rows"][0]["first_name"] == "Zo\xC3\xAB\n\t\x01\x1F/\x7F");
  CHECK(j["rows"][0]["last_name"] == "O\"Brien\\");
  CHECK_FALSE(j["rows"][0].contains("password"));
  CHECK_FALSE(j["rows"][0].contains("send_email"));
}

TEST_CASE("plan body replaces invalid UTF-8 so it is always valid JSON") {
  auto batches = plan_batches(mode("invite"), kScope,
                              {payload(0, {{"email",
                                            "a\xFF"
                                            "b\xC0\xAF"
                                            "c\xED\xA0\x80"}})});
  REQUIRE(batches.size() == 1);
  CHECK(batches[0].body.find("a\xEF\xBF\xBD"
                             "b\xEF\xBF\xBD\xEF\xBF\xBD"
                             "c") != std::string::npos);
  auto j = nlohmann::json::parse(batches[0].body, nullptr, false);
  CHECK_FALSE(j.is_discarded());
}

TEST_CASE("send_email goes out as a JSON boolean") {
  auto [value, expected] = GENERATE(table<std::string, std::string>({
      {"true", ",\"send_email\":true}"},
      {"false", ",\"send_email\":false}"},
      {"No", ",\"send_email\":false}"},
      {"1", ",\"send_email\":true}"},
      {"OFF", ",\"send_email\":false}"},
      {"", "\"email\":\"a@b.co\"}"},            // empty optional: left out, server default (true)
      {"maybe", ",\"send_email\":\"maybe\"}"},  // not a boolean word: sent as text for the server to refuse
  }));
  CAPTURE(value);
  auto batches = plan_batches(mode("invite"), kScope, {payload(0, {{"email", "a@b.co"}, {"send_email", value}})});
  REQUIRE(batches.size() == 1);
  const std::string& body = batches[0].body;
  CHECK(body.substr(body.size() - expected.size() - 2) == expected + "]}");
}

TEST_CASE("plan fills the endpoint path from the scope ids") {
  CHECK(invite_batches(1)[0].path == "/api/v1/environments/env-1/identity-invites/bulk-create");
  CHECK(plan_batches(mode("create"), kScope, email_rows(1))[0].path ==
        "/api/v1/portal/environments/env-1/identities/bulk-create");
  CHECK(plan_batches(mode("account"), Scope_ids{"acc-1", ""}, email_rows(1))[0].path ==
        "/api/v1/identities/bulk-create");
  // An id can never add a path segment or a query.
  CHECK(plan_batches(mode("invite"), Scope_ids{"a", "../x?y=1"}, email_rows(1))[0].path ==
        "/api/v1/environments/..%2Fx%3Fy%3D1/identity-invites/bulk-create");
}

TEST_CASE("idempotency key is a stable version 8 UUID of mode, scope and body") {
  const std::string body = "{\"rows\":[{\"row\":2,\"email\":\"a@b.c\"}]}";
  const std::string key = idempotency_key("create", kScope, body);
  CHECK(is_uuid_v8(key));
  // Pinned (computed independently with Python hashlib): a key that changed between releases would let
  // a reload after an upgrade create rows twice.
  CHECK(key == "c1ac0e3e-9dc8-89bd-86e8-3f056ca13e44");
  CHECK(idempotency_key("create", kScope, body) == key);

  std::set<std::string> keys = {
      key,
      idempotency_key("invite", kScope, body),
      idempotency_key("create", Scope_ids{"acc-2", "env-1"}, body),
      idempotency_key("create", Scope_ids{"acc-1", "env-2"}, body),
      idempotency_key("create", kScope, body + " "),
      // Concatenation shifts: same bytes overall, different split.
      idempotency_key("create", Scope_ids{"acc-1e", "nv-1"}, body),
      idempotency_key("create", Scope_ids{"acc-", "1env-1"}, body),
      idempotency_key("create", Scope_ids{"", "acc-1env-1"}, body),
      idempotency_key("createacc-1", Scope_ids{"", "env-1"}, body),
      idempotency_key("create", Scope_ids{"acc-1", "env-1{\"rows\":[{\"row\":2,"}, "\"email\":\"a@b.c\"}]}"),
  };
  CHECK(keys.size() == 10);
  for (const auto& k : keys) CHECK(is_uuid_v8(k));
}

TEST_CASE("each batch carries the key of its own body") {
  auto batches = invite_batches(401);
  std::set<std::string> keys;
  for (const Batch& b : batches) {
    CHECK(b.idempotency_key == idempotency_key("invite", kScope, b.body));
    keys.insert(b.idempotency_key);
  }
  CHECK(keys.size() == 3);
  // Replanning the same selection gives the same keys (a reload or second tab cannot create twice).
  auto again = invite_batches(401);
  for (size_t i = 0; i < batches.size(); ++i) CHECK(again[i].idempotency_key == batches[i].idempotency_key);
  // One changed value changes that batch's key only.
  auto rows = email_rows(401);
  rows[250].values[0].second = "changed@example.com";
  auto changed = plan_batches(mode("invite"), kScope, rows);
  CHECK(changed[0].idempotency_key == batches[0].idempotency_key);
  CHECK(changed[1].idempotency_key != batches[1].idempotency_key);
  CHECK(changed[2].idempotency_key == batches[2].idempotency_key);
}

// ------------------------------------------------------------------------------------------ Retry-After

TEST_CASE("parse_retry_after_ms reads delta seconds and the three HTTP date formats") {
  const uint64_t now = kEpoch1994 - 30000;  // 30 s before the date used below
  auto [value, expected] = GENERATE(table<std::string, uint64_t>({
      {"", 0},
      {"0", 0},
      {"120", 120000},
      {" 5\t", 5000},
      {"-1", 0},
      {"1.5", 0},
      {"5s", 0},
      {"soon", 0},
      {"Sun, 06 Nov 1994 08:49:37 GMT", 30000},
      {"Sunday, 06-Nov-94 08:49:37 GMT", 30000},
      {"Sun Nov  6 08:49:37 1994", 30000},
      {"Sun Nov 16 08:49:37 1994", 30000 + 10 * 86400000ull},
      {"Sun, 06 Nov 1994 08:49:07 GMT", 0},                // now: no wait
      {"Sun, 06 Nov 1994 08:48:37 GMT", 0},                // in the past
      {"Sun, 06 Nov 1994 08:49:37 UTC", 0},                // not GMT
      {"Sun, 31 Feb 1994 08:49:37 GMT", 0},                // no such day
      {"Wed, 31 Nov 1994 08:49:37 GMT", 0},                // no such day (not read as 1 December)
      {"Tue, 29 Feb 2000 00:00:00 GMT", 167670653000ull},  // 2000 is a leap year
      {"Sun, 06 Nov 1994 24:49:37 GMT", 0},
      {"Sun, 6 Nov 1994 08:49:37 GMT", 0},  // IMF needs two digits
      {"Sun, 06 Nov 1994 08:49:37 GMT junk", 0},
  }));
  CAPTURE(value);
  CHECK(parse_retry_after_ms(value, now) == expected);
}

TEST_CASE("parse_retry_after_ms resolves RFC 850 two-digit years and never overflows") {
  // now = 2025-01-01T00:00:00Z
  const uint64_t now = 1735689600000ull;
  CHECK(parse_retry_after_ms("Wednesday, 01-Jan-25 00:00:10 GMT", now) == 10000);
  CHECK(parse_retry_after_ms("Tuesday, 01-Jan-30 00:00:00 GMT", now) > 0);  // 2030: within 50 years ahead
  CHECK(parse_retry_after_ms("Friday, 01-Jan-99 00:00:00 GMT", now) == 0);  // 1999, not 2099
  CHECK(parse_retry_after_ms("99999999999999999999999999", now) >= 99999999999999999ull);
  CHECK(parse_retry_after_ms(imf_date(1735689600 + 42), now) == 42000);
}

// ------------------------------------------------------------------------------------------- submitter

TEST_CASE("200 with mixed results records each row") {
  auto batches = plan_batches(mode("invite"), kScope, email_rows(3));
  Submitter s(batches);
  CHECK(s.progress().rows_total == 3);
  CHECK(s.progress().batches_total == 1);
  size_t b = expect_send(s, 0);
  CHECK(s.progress().attempt == 1);
  const std::string body =
      R"({"results":[{"row":2,"status":"invited","id":"inv-1"},)"
      R"({"row":3,"status":"invited","id":"inv-2","accept_link":"https://x/accept?t=1"},)"
      R"({"row":4,"status":"error","error":{"code":"email_conflict","message":"Already in the environment."}}]})";
  s.on_response(b, 200, "", body, 10, kEpoch1994, 0.5);
  CHECK(s.next(10).kind == Action::done);
  REQUIRE(s.row_outcome(0) != nullptr);
  CHECK(s.row_outcome(0)->outcome == Outcome::invited);
  CHECK(s.row_outcome(0)->id == "inv-1");
  CHECK(s.row_outcome(1)->accept_link == "https://x/accept?t=1");
  CHECK(s.row_outcome(2)->outcome == Outcome::failed);
  CHECK(s.row_outcome(2)->code == "email_conflict");
  CHECK(s.row_outcome(2)->message == "Already in the environment.");
  CHECK(s.row_outcome(3) == nullptr);
  CHECK(s.outcomes().size() == 3);
  Progress p = s.progress();
  CHECK(p.rows_done == 3);
  CHECK(p.succeeded == 2);
  CHECK(p.failed == 1);
  CHECK(p.batches_done == 1);
  CHECK(p.attempt == 0);
}

TEST_CASE("200 results are matched by row number even when reordered") {
  auto batches = plan_batches(mode("create"), kScope, email_rows(2));
  Submitter s(batches);
  size_t b = expect_send(s, 0);
  s.on_response(b, 200, "",
                R"({"results":[{"row":3,"status":"created","id":"B"},{"row":2,"status":"created","id":"A"}]})", 0, 0,
                0);
  CHECK(s.row_outcome(0)->id == "A");
  CHECK(s.row_outcome(1)->id == "B");
  CHECK(s.row_outcome(0)->outcome == Outcome::created);
}

TEST_CASE("a malformed 200 body leaves the batch unconfirmed as bad_response") {
  auto body = GENERATE(
      as<std::string>{}, "", "not json", "[]", "{}", R"({"results":{}})", R"({"results":[]})",
      R"({"results":[{"row":2,"status":"created"}]})",  // one missing
      R"({"results":[{"row":2,"status":"created"},{"row":3,"status":"created"},{"row":4,"status":"created"}]})",
      R"({"results":[{"row":2,"status":"created"},{"row":2,"status":"created"}]})",  // twice
      R"({"results":[{"row":2,"status":"created"},{"row":9,"status":"created"}]})",  // not sent
      R"({"results":[{"row":2,"status":"created"},{"row":"3","status":"created"}]})",
      R"({"results":[{"row":2,"status":"created"},{"row":3,"status":"done"}]})",
      R"({"results":[{"row":2,"status":"created"},{"row":3,"status":"error"}]})",
      R"({"results":[{"row":2,"status":"created"},{"row":3}]})", R"({"results":[{"row":2,"status":"created"},7]})",
      R"({"results":[{"row":2,"status":"created"},{"row":-3,"status":"created"}]})");
  CAPTURE(body);
  auto batches = plan_batches(mode("create"), kScope, email_rows(2));
  Submitter s(batches);
  size_t b = expect_send(s, 0);
  s.on_response(b, 200, "", body, 0, 0, 0);
  CHECK(s.next(0).kind == Action::done);
  for (uint32_t i = 0; i < 2; ++i) {
    REQUIRE(s.row_outcome(i) != nullptr);
    CHECK(s.row_outcome(i)->outcome == Outcome::unconfirmed);
    CHECK(s.row_outcome(i)->code == "bad_response");
    CHECK(s.row_outcome(i)->message.find("could not be read") != std::string::npos);
  }
  CHECK(s.progress().unconfirmed == 2);
}

TEST_CASE("retryable statuses and network errors retry with the same batch, then succeed") {
  auto kind = GENERATE(429, 500, 502, 503, 504, -1 /* network */, -2 /* timeout */, 0 /* status 0 */);
  CAPTURE(kind);
  auto batches = invite_batches(2);
  Submitter s(batches);
  size_t b = expect_send(s, 1000);
  if (kind == -1 || kind == -2) {
    s.on_network_error(b, kind == -2, 1000, 0.5);
  } else {
    s.on_response(b, kind, "", "<html>busy</html>", 1000, kEpoch1994, 0.5);
  }
  Action w = s.next(1000);
  REQUIRE(w.kind == Action::wait);
  CHECK(w.batch == 0);
  CHECK(w.delay_ms == 250);  // 0.5 * base 500
  CHECK_FALSE(w.reason.empty());
  if (kind == 503) CHECK(w.reason == "server busy (503)");
  if (kind == 429) CHECK(w.reason == "rate limited (429)");
  if (kind == -1) CHECK(w.reason == "network error");
  if (kind == -2) CHECK(w.reason == "timeout");
  CHECK(s.progress().attempt == 2);
  CHECK(s.progress().rows_done == 0);
  // The countdown shrinks with the clock; the batch goes out again when it is over.
  CHECK(s.next(1100).delay_ms == 150);
  CHECK(expect_send(s, 1250) == 0);
  s.on_response(0, 200, "", results_body(batches[0], {"invited"}), 1300, kEpoch1994, 0);
  CHECK(s.next(1300).kind == Action::done);
  CHECK(s.row_outcome(1)->outcome == Outcome::invited);
  CHECK(s.row_outcome(1)->id == "id-3");
}

TEST_CASE("backoff grows exponentially with full jitter and is capped") {
  RetryPolicy policy;
  policy.max_attempts = 10;
  policy.cap_ms = 3000;
  Submitter s(invite_batches(1), policy);
  const std::vector<uint64_t> expected_ceiling = {500, 1000, 2000, 3000, 3000, 3000, 3000, 3000, 3000};
  uint64_t now = 0;
  for (size_t attempt = 1; attempt < 10; ++attempt) {
    CAPTURE(attempt);
    size_t b = expect_send(s, now);
    s.on_response(b, 503, "", "", now, 0, 0.999999);
    Action w = s.next(now);
    REQUIRE(w.kind == Action::wait);
    CHECK(w.delay_ms == expected_ceiling[attempt - 1] - 1);
    now += w.delay_ms;
  }
}

TEST_CASE("jitter stays within [0, min(cap, base * factor^(attempt-1))] whatever random01 is") {
  double r = GENERATE(0.0, 1e-9, 0.25, 0.5, 0.999999999, 1.0, -0.5, 7.0, std::nan(""));
  CAPTURE(r);
  RetryPolicy policy;  // defaults: base 500, factor 2, cap 30000, 6 attempts
  Submitter s(invite_batches(1), policy);
  uint64_t now = 0;
  bool sent = false;  // a zero delay sends at once
  for (int attempt = 1; attempt < 6; ++attempt) {
    CAPTURE(attempt);
    if (!sent) expect_send(s, now);
    s.on_response(0, 500, "", "", now, 0, r);
    Action a = s.next(now);
    REQUIRE(a.kind != Action::done);
    uint64_t ceiling = std::min<uint64_t>(30000, 500ull << (attempt - 1));
    uint64_t delay = a.kind == Action::wait ? a.delay_ms : 0;
    CHECK(delay <= ceiling);
    if (r >= 0.25 && r <= 1.0) CHECK(delay >= static_cast<uint64_t>(ceiling * r) - 1);
    if (!(r > 0.0)) CHECK(delay == 0);  // negative and NaN count as 0
    sent = a.kind == Action::send;
    now += delay;
  }
}

TEST_CASE("429 waits at least Retry-After, given in seconds or as an HTTP date") {
  auto batches = invite_batches(1);
  SECTION("seconds") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 429, "7", "", 0, kEpoch1994, 0.99);
    Action w = s.next(0);
    REQUIRE(w.kind == Action::wait);
    CHECK(w.delay_ms == 7000);
    CHECK(w.reason == "rate limited (429)");
  }
  SECTION("HTTP date") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 503, "Sun, 06 Nov 1994 08:50:07 GMT", "", 0, kEpoch1994, 0.99);
    CHECK(s.next(0).delay_ms == 30000);
  }
  SECTION("jitter longer than Retry-After wins") {
    RetryPolicy p;
    p.base_ms = 10000;
    Submitter s(batches, p);
    s.next(0);
    s.on_response(0, 429, "1", "", 0, kEpoch1994, 0.5);
    CHECK(s.next(0).delay_ms == 5000);
  }
  SECTION("Retry-After beyond the cap is still honoured") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 503, "120", "", 0, kEpoch1994, 0.99);
    CHECK(s.next(0).delay_ms == 120000);
  }
}

TEST_CASE("regression: Retry-After 99999999 made callers spin: over 5 minutes the batch is unconfirmed instead") {
  auto batches = invite_batches(2);
  SECTION("exactly 5 minutes is still waited for") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 429, "300", "", 0, kEpoch1994, 0.0);
    const Action w = s.next(0);
    CHECK(w.kind == Action::wait);
    CHECK(w.delay_ms == 300000);
  }
  SECTION("one second more, in seconds") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 503, "301", "", 0, kEpoch1994, 0.0);
    CHECK(s.next(0).kind == Action::done);  // nothing to wait for, nothing else to send
    for (uint32_t i = 0; i < 2; ++i) {
      CHECK(s.row_outcome(i)->outcome == Outcome::unconfirmed);
      CHECK(s.row_outcome(i)->code == "retry_after_too_long");
    }
    CHECK(s.row_outcome(0)->message ==
          "The server answered HTTP 503 and asked to wait 301 seconds before the next attempt, longer than the 5 "
          "minutes this importer waits, so the batch was not sent again; its rows may or may not have been created. "
          "Retry the unconfirmed rows later: they are resent with the same idempotency key, so nothing is created "
          "twice.");
    CHECK(s.progress().unconfirmed == 2);
  }
  SECTION("the issue's 99999999 seconds") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 429, "99999999", "", 0, kEpoch1994, 0.0);
    CHECK(s.next(0).kind == Action::done);
    CHECK(s.row_outcome(0)->code == "retry_after_too_long");
    CHECK(s.row_outcome(0)->message.find("wait 99,999,999 seconds") != std::string::npos);
  }
  SECTION("an HTTP date an hour ahead, on a 409") {
    Submitter s(batches);
    s.next(0);
    s.on_response(0, 409, "Sun, 06 Nov 1994 09:49:37 GMT", "", 0, kEpoch1994, 0.0);
    CHECK(s.next(0).kind == Action::done);
    CHECK(s.row_outcome(0)->code == "retry_after_too_long");
    CHECK(s.row_outcome(0)->message.find("HTTP 409 and asked to wait 3,600 seconds") != std::string::npos);
  }
  SECTION("retry_unconfirmed resends it with the same key") {
    Submitter s(batches);
    s.next(0);
    const std::string key = s.batches()[0].idempotency_key;
    s.on_response(0, 503, "86400", "", 0, kEpoch1994, 0.0);
    REQUIRE(s.next(0).kind == Action::done);
    s.retry_unconfirmed();
    const Action a = s.next(1);
    CHECK(a.kind == Action::send);
    CHECK(a.batch == 0);
    CHECK(s.batches()[0].idempotency_key == key);
  }
}

TEST_CASE("exhausted retries leave the rows unconfirmed, naming attempts and the last reason") {
  auto batches = invite_batches(3);
  Submitter s(batches);
  uint64_t now = 0;
  int sends = 0;
  for (;;) {
    Action a = s.next(now);
    if (a.kind == Action::done) break;
    if (a.kind == Action::wait) {
      now += a.delay_ms;
      continue;
    }
    ++sends;
    if (sends < 6) {
      s.on_network_error(a.batch, true, now, 0.7);
    } else {
      s.on_response(a.batch, 503, "", "", now, 0, 0.7);
    }
  }
  CHECK(sends == 6);
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK(s.row_outcome(i)->outcome == Outcome::unconfirmed);
    CHECK(s.row_outcome(i)->code == "unconfirmed");
  }
  const std::string& msg = s.row_outcome(0)->message;
  CHECK(msg.find("attempts: 6") != std::string::npos);
  CHECK(msg.find("HTTP 503") != std::string::npos);
  CHECK(msg ==
        "The server did not confirm this row (attempts: 6; last: the last one got HTTP 503); it may or may not have "
        "been created. Retry the unconfirmed rows: they are resent with the same idempotency key, so nothing is "
        "created twice.");
  // The same as data, for the page to word in the user's language: attempts, then what the last one got.
  CHECK(unpack_args(s.row_outcome(0)->args) == std::vector<std::string_view>{"6", "last_http", "503"});
  CHECK(s.progress().unconfirmed == 3);
  CHECK(s.progress().batches_done == 1);
}

TEST_CASE("regression: core messages told CLI users to press Retry unconfirmed, a button only the page has") {
  // The core's English is read in the CLI and in results.csv too: it names no button of one surface.
  // (The page's catalogues, web/wizard/i18n/, may name its own button.)
  for (const char* code : {"unconfirmed", "bad_response", "retry_after_too_long"}) {
    const MessageEntry* m = find_message(code);
    REQUIRE(m);
    CAPTURE(code);
    CHECK(std::string(m->text).find("Press") == std::string::npos);
    CHECK(std::string(m->text).find("Retry unconfirmed") == std::string::npos);
  }
  CHECK(format_message("bad_response", {"the body is not JSON"}) ==
        "The server's answer could not be read (the body is not JSON); the row may or may not have been created. "
        "Retry the unconfirmed rows: they are resent with the same idempotency key, so nothing is created twice.");
}

TEST_CASE("retry_unconfirmed resends the same batches with fresh attempt counters") {
  RetryPolicy policy;
  policy.max_attempts = 2;
  auto batches = invite_batches(300);
  Submitter s(batches, policy);
  uint64_t now = 0;
  // Batch 0: two 502s -> unconfirmed. Batch 1: succeeds.
  CHECK(expect_send(s, now) == 0);
  s.on_response(0, 502, "", "", now, 0, 0);
  CHECK(expect_send(s, now) == 0);
  s.on_response(0, 502, "", "", now, 0, 0);
  CHECK(expect_send(s, now) == 1);
  s.on_response(1, 200, "", results_body(batches[1], {"invited"}), now, 0, 0);
  CHECK(s.next(now).kind == Action::done);
  CHECK(s.progress().unconfirmed == 200);

  s.retry_unconfirmed();
  CHECK(s.row_outcome(0)->outcome == Outcome::pending);
  CHECK(s.progress().rows_done == 100);
  CHECK(s.progress().batches_done == 1);
  CHECK(s.row_outcome(250)->outcome == Outcome::invited);  // untouched
  const std::string key = s.batches()[0].idempotency_key;
  const std::string body = s.batches()[0].body;
  CHECK(expect_send(s, now) == 0);
  CHECK(s.batches()[0].idempotency_key == key);
  CHECK(s.batches()[0].body == body);
  CHECK(key == batches[0].idempotency_key);
  s.on_response(0, 503, "", "", now, 0, 0);
  CHECK(expect_send(s, now) == 0);  // second attempt of the new round is allowed
  s.on_response(0, 200, "", results_body(batches[0], {"invited", "error"}), now, 0, 0);
  CHECK(s.next(now).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::invited);
  CHECK(s.row_outcome(1)->outcome == Outcome::failed);
  CHECK(s.progress().unconfirmed == 0);
  CHECK(s.progress().rows_done == 300);
}

TEST_CASE("a bad_response batch is resent with the same key by retry_unconfirmed") {
  auto batches = invite_batches(2);
  Submitter s(batches);
  s.next(0);
  s.on_response(0, 200, "", "{\"results\":[]}", 0, 0, 0);
  CHECK(s.row_outcome(0)->code == "bad_response");
  s.retry_unconfirmed();
  CHECK(expect_send(s, 0) == 0);
  s.on_response(0, 200, "", results_body(batches[0], {"invited"}), 0, 0, 0);
  CHECK(s.row_outcome(1)->outcome == Outcome::invited);
}

TEST_CASE("409 waits conflict_wait_ms (or a longer Retry-After) and counts as an attempt") {
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.conflict_wait_ms = 1500;
  Submitter s(invite_batches(1), policy);
  s.next(0);
  s.on_response(0, 409, "", R"({"error":{"code":"idempotency_key_in_flight"}})", 0, 0, 0.0);
  Action w = s.next(0);
  REQUIRE(w.kind == Action::wait);
  CHECK(w.delay_ms == 1500);
  CHECK(s.progress().attempt == 2);
  CHECK(expect_send(s, 1500) == 0);
  s.on_response(0, 409, "4", "", 1500, 0, 0.0);
  CHECK(s.next(1500).delay_ms == 4000);
  CHECK(expect_send(s, 5500) == 0);
  s.on_response(0, 409, "", "", 5500, 0, 0.0);
  CHECK(s.next(5500).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::unconfirmed);
  CHECK(s.row_outcome(0)->message.find("attempts: 3") != std::string::npos);
  CHECK(s.row_outcome(0)->message.find("409") != std::string::npos);
}

TEST_CASE("422 idempotency_key_reused fails the batch without a new key or a resend") {
  auto batches = invite_batches(201);
  Submitter s(batches);
  s.next(0);
  s.on_response(0, 422, "", R"({"error":{"code":"idempotency_key_reused","message":"Key used with another body."}})", 0,
                0, 0);
  CHECK(expect_send(s, 0) == 1);  // the next batch is unaffected
  s.on_response(1, 200, "", results_body(batches[1], {"invited"}), 0, 0, 0);
  CHECK(s.next(0).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::failed);
  CHECK(s.row_outcome(0)->code == "idempotency_key_reused");
  CHECK(s.row_outcome(199)->code == "idempotency_key_reused");
  CHECK(s.row_outcome(0)->message.find("different body") != std::string::npos);
  CHECK(s.row_outcome(200)->outcome == Outcome::invited);
  CHECK(s.batches()[0].idempotency_key == batches[0].idempotency_key);
  s.retry_unconfirmed();  // failed is final: nothing to resend
  CHECK(s.next(0).kind == Action::done);
}

TEST_CASE("other 4xx fail the batch's rows with http_error naming status and server message") {
  auto [status, body, expected] = GENERATE(table<int, std::string, std::string>({
      {400, R"({"error":{"code":"malformed_body","message":"rows must be an array"}})",
       "HTTP 400: rows must be an array"},
      {401, R"({"error":{"code":"unauthorized","message":"Missing bearer token."}})",
       "HTTP 401: Missing bearer token."},
      {403, "", "HTTP 403: Forbidden"},
      {404, "<html>nope</html>", "HTTP 404: Not Found"},
      {413, R"({"error":{"code":"too_many_rows","message":"At most 200 rows."}})", "HTTP 413: At most 200 rows."},
      {422, R"({"error":{"code":"invalid_body","message":"row must be a number"}})", "HTTP 422: row must be a number"},
      {418, "", "HTTP 418: no message"},
  }));
  CAPTURE(status);
  Submitter s(invite_batches(2));
  s.next(0);
  s.on_response(0, status, "", body, 0, 0, 0);
  CHECK(s.next(0).kind == Action::done);
  for (uint32_t i = 0; i < 2; ++i) {
    CHECK(s.row_outcome(i)->outcome == Outcome::failed);
    CHECK(s.row_outcome(i)->code == "http_error");
    CHECK(s.row_outcome(i)->message.find(expected) != std::string::npos);
  }
  CHECK(s.progress().failed == 2);
}

TEST_CASE("unexpected statuses leave the rows unconfirmed, not failed") {
  auto status = GENERATE(501, 505, 302, 101);
  Submitter s(invite_batches(1));
  s.next(0);
  s.on_response(0, status, "", "", 0, 0, 0);
  CHECK(s.next(0).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::unconfirmed);
  CHECK(s.row_outcome(0)->code == "bad_response");
  CHECK(s.row_outcome(0)->message.find(std::to_string(status)) != std::string::npos);
}

TEST_CASE("cancel before anything is sent skips every batch") {
  Submitter s(invite_batches(450));
  s.cancel();
  CHECK(s.cancelled());
  CHECK(s.next(0).kind == Action::done);
  Progress p = s.progress();
  CHECK(p.cancelled == 450);
  CHECK(p.rows_done == 450);
  CHECK(p.batches_done == 3);
  CHECK(s.row_outcome(449)->code == "cancelled");
  CHECK(s.row_outcome(449)->message.find("cancelled") != std::string::npos);
}

TEST_CASE("cancel while a batch is in flight: it completes and is recorded, the rest are skipped") {
  auto batches = invite_batches(450);
  Submitter s(batches);
  CHECK(expect_send(s, 0) == 0);
  s.on_response(0, 200, "", results_body(batches[0], {"invited"}), 0, 0, 0);
  CHECK(expect_send(s, 0) == 1);
  s.cancel();
  Action a = s.next(0);  // still waiting for batch 1's answer: no new send
  CHECK(a.kind == Action::wait);
  CHECK(a.batch == 1);
  SECTION("answered") {
    s.on_response(1, 200, "", results_body(batches[1], {"invited", "error"}), 0, 0, 0);
    CHECK(s.next(0).kind == Action::done);
    CHECK(s.row_outcome(200)->outcome == Outcome::invited);
    CHECK(s.row_outcome(201)->outcome == Outcome::failed);
    CHECK(s.row_outcome(400)->outcome == Outcome::cancelled);
    CHECK(s.progress().cancelled == 50);
  }
  SECTION("answered with a retryable status: unconfirmed, not resent and not silently cancelled") {
    s.on_response(1, 503, "", "", 0, 0, 0);
    CHECK(s.progress().unconfirmed == 200);  // settled by the answer itself, before next()
    CHECK(s.progress().attempt == 0);
    CHECK(s.next(0).kind == Action::done);
    CHECK(s.row_outcome(200)->outcome == Outcome::unconfirmed);
    CHECK(s.row_outcome(200)->message.find("cancelled") != std::string::npos);
    CHECK(s.row_outcome(400)->outcome == Outcome::cancelled);
  }
  SECTION("network error") {
    s.on_network_error(1, false, 0, 0);
    CHECK(s.next(0).kind == Action::done);
    CHECK(s.row_outcome(399)->outcome == Outcome::unconfirmed);
  }
}

TEST_CASE("cancel during a backoff wait makes the sent batch unconfirmed") {
  auto batches = invite_batches(250);
  Submitter s(batches);
  s.next(0);
  s.on_response(0, 429, "30", "", 0, 0, 0.5);
  CHECK(s.next(0).kind == Action::wait);
  s.cancel();
  CHECK(s.next(0).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::unconfirmed);
  CHECK(s.row_outcome(0)->message.find("attempts: 1") != std::string::npos);
  CHECK(s.row_outcome(200)->outcome == Outcome::cancelled);
  CHECK(s.progress().unconfirmed == 200);
  CHECK(s.progress().cancelled == 50);
}

TEST_CASE("cancel after the import finished changes nothing") {
  auto batches = invite_batches(2);
  Submitter s(batches);
  s.next(0);
  s.on_response(0, 200, "", results_body(batches[0], {"invited"}), 0, 0, 0);
  s.cancel();
  CHECK(s.next(0).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::invited);
  CHECK(s.progress().cancelled == 0);
}

TEST_CASE("a cancelled resend round keeps the rows unconfirmed with their earlier reason") {
  RetryPolicy policy;
  policy.max_attempts = 1;
  auto batches = invite_batches(201);
  Submitter s(batches, policy);
  s.next(0);
  s.on_response(0, 504, "", "", 0, 0, 0);
  s.cancel();  // batch 1 never sent
  CHECK(s.next(0).kind == Action::done);
  const std::string reason = s.row_outcome(0)->message;
  CHECK(reason.find("504") != std::string::npos);
  s.retry_unconfirmed();
  CHECK_FALSE(s.cancelled());
  CHECK(s.row_outcome(200)->outcome == Outcome::cancelled);  // never sent: stays skipped
  s.cancel();
  CHECK(s.next(0).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::unconfirmed);
  CHECK(s.row_outcome(0)->message == reason);
}

TEST_CASE("reports for a batch that is not in flight are ignored") {
  auto batches = invite_batches(201);
  Submitter s(batches);
  s.on_response(0, 200, "", results_body(batches[0], {"invited"}), 0, 0, 0);  // nothing sent yet
  CHECK(s.progress().rows_done == 0);
  CHECK(expect_send(s, 0) == 0);
  s.on_response(1, 200, "", results_body(batches[1], {"invited"}), 0, 0, 0);  // wrong batch
  s.on_network_error(7, false, 0, 0);
  CHECK(s.progress().rows_done == 0);
  s.on_response(0, 200, "", results_body(batches[0], {"invited"}), 0, 0, 0);
  s.on_response(0, 500, "", "", 0, 0, 0);  // duplicate report after the answer
  CHECK(s.row_outcome(0)->outcome == Outcome::invited);
  CHECK(expect_send(s, 0) == 1);
}

TEST_CASE("an empty plan is done at once") {
  Submitter s({});
  CHECK(s.next(0).kind == Action::done);
  CHECK(s.progress().rows_total == 0);
  CHECK(std::string(outcome_name(Outcome::unconfirmed)) == "unconfirmed");
  CHECK(std::string(outcome_name(Outcome::deselected)) == "deselected");
}

TEST_CASE("regression: a copied Submitter shared its run: it is move-only, and a moved-to one carries the run on") {
  static_assert(!std::is_copy_constructible<Submitter>::value, "a copy would share or fork the run");
  static_assert(!std::is_copy_assignable<Submitter>::value, "a copy would share or fork the run");
  static_assert(std::is_nothrow_move_constructible<Submitter>::value, "moves are cheap and cannot fail");
  static_assert(std::is_nothrow_move_assignable<Submitter>::value, "moves are cheap and cannot fail");
  auto batches = invite_batches(201);
  Submitter first(batches);
  CHECK(expect_send(first, 0) == 0);
  Submitter moved(std::move(first));  // batch 0 is in flight: the move keeps it so
  CHECK(moved.next(0).kind == Action::wait);
  CHECK(moved.progress().attempt == 1);
  moved.on_response(0, 503, "2", "", 0, 0, 0.0);
  Action a = moved.next(0);
  CHECK(a.kind == Action::wait);
  CHECK(a.delay_ms == 2000);
  Submitter assigned(invite_batches(1));
  assigned = std::move(moved);
  CHECK(assigned.progress().batches_total == 2);
  CHECK(expect_send(assigned, 2000) == 0);
  CHECK(assigned.progress().attempt == 2);
  assigned.on_response(0, 200, "", results_body(batches[0], {"invited"}), 2000, 0, 0.0);
  CHECK(expect_send(assigned, 2000) == 1);
  assigned.on_response(1, 200, "", results_body(batches[1], {"created"}), 2000, 0, 0.0);
  CHECK(assigned.next(2000).kind == Action::done);
  CHECK(assigned.row_outcome(0)->outcome == Outcome::invited);
  CHECK(assigned.row_outcome(200)->outcome == Outcome::created);
  CHECK(assigned.progress().succeeded == 201);
}

// ----------------------------------------------------------------------------- randomized invariants

namespace {

enum class OracleState { never_sent, in_flight, waiting, sent_pending, terminal };

struct OracleBatch {
  OracleState state = OracleState::never_sent;
  bool ever_sent = false;
  int sends_this_round = 0;
  std::vector<Outcome> outcome;
  std::vector<std::string> code;
  std::vector<std::string> prior_code;  // code of the last unconfirmed round
};

}  // namespace

TEST_CASE("randomized response sequences keep every invariant") {
  const int runs = 3000;
  uint64_t total_sends = 0, total_cancels = 0, total_retry_rounds = 0;
  for (int run = 0; run < runs; ++run) {
    std::mt19937_64 rng(0xC0FFEEu + static_cast<uint64_t>(run));
    auto pick = [&](uint64_t n) { return static_cast<uint64_t>(rng() % n); };
    auto unit = [&]() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); };

    size_t nrows = pick(10) == 0 ? 0 : pick(pick(4) == 0 ? 650 : 40);
    size_t batch_size = pick(3) == 0 ? kMaxBatchRows : 1 + pick(25);
    auto batches = plan_batches(mode("invite"), kScope, email_rows(nrows), batch_size);
    RetryPolicy policy;
    policy.max_attempts = 1 + static_cast<int>(pick(7));
    policy.base_ms = 1 + pick(1000);
    policy.cap_ms = 1 + pick(40000);
    policy.conflict_wait_ms = pick(3000);
    Submitter s(batches, policy);

    std::vector<OracleBatch> oracle(batches.size());
    for (size_t b = 0; b < batches.size(); ++b) {
      oracle[b].outcome.assign(batches[b].rows.size(), Outcome::pending);
      oracle[b].code.assign(batches[b].rows.size(), "");
      oracle[b].prior_code.assign(batches[b].rows.size(), "");
    }
    auto set_all = [&](size_t b, Outcome o, const std::string& code) {
      for (size_t i = 0; i < oracle[b].outcome.size(); ++i) {
        oracle[b].outcome[i] = o;
        oracle[b].code[i] = code;
      }
      oracle[b].state = OracleState::terminal;
      if (o == Outcome::unconfirmed) oracle[b].prior_code = oracle[b].code;
    };
    bool cancelled = false;
    auto do_cancel = [&]() {
      s.cancel();
      cancelled = true;
      ++total_cancels;
      for (size_t b = 0; b < oracle.size(); ++b) {
        if (oracle[b].state == OracleState::waiting) {
          set_all(b, Outcome::unconfirmed, "unconfirmed");
        } else if (oracle[b].state == OracleState::never_sent) {
          set_all(b, Outcome::cancelled, "cancelled");
        } else if (oracle[b].state == OracleState::sent_pending) {
          // Sent in an earlier round: still unconfirmed, with that round's reason.
          oracle[b].outcome.assign(oracle[b].outcome.size(), Outcome::unconfirmed);
          oracle[b].code = oracle[b].prior_code;
          oracle[b].state = OracleState::terminal;
        }
      }
    };

    uint64_t now = pick(1000000);
    const uint64_t epoch0 = 1700000000000ull + pick(1000) * 1000 + pick(1000);
    int rounds = 0;
    for (int step = 0;; ++step) {
      if (step > 200000) FAIL("no progress in run " << run);
      if (!cancelled && pick(300) == 0) do_cancel();
      Action a = s.next(now);
      if (a.kind == Action::done) {
        // Every planned row ends in exactly one terminal outcome, the one the policy implies.
        Progress p = s.progress();
        std::set<uint32_t> seen;
        for (size_t b = 0; b < batches.size(); ++b) {
          if (oracle[b].state != OracleState::terminal) FAIL("run " << run << " batch " << b << " not terminal");
          for (size_t i = 0; i < batches[b].rows.size(); ++i) {
            const RowOutcome* o = s.row_outcome(batches[b].indices[i]);
            if (!o || o->outcome == Outcome::pending || o->outcome != oracle[b].outcome[i] ||
                o->code != oracle[b].code[i] || !seen.insert(batches[b].indices[i]).second) {
              INFO("run " << run << " batch " << b << " row " << i << " got " << (o ? outcome_name(o->outcome) : "null")
                          << "/" << (o ? o->code : "") << " expected " << outcome_name(oracle[b].outcome[i]) << "/"
                          << oracle[b].code[i]);
              FAIL("outcome mismatch");
            }
          }
        }
        if (p.rows_done != nrows || p.rows_total != nrows || p.batches_done != batches.size() ||
            p.succeeded + p.failed + p.unconfirmed + p.cancelled != nrows) {
          FAIL("progress mismatch in run " << run);
        }
        bool any_unconfirmed = p.unconfirmed > 0;
        if (any_unconfirmed && rounds < 3 && pick(2) == 0) {
          ++rounds;
          ++total_retry_rounds;
          s.retry_unconfirmed();
          cancelled = false;
          for (size_t b = 0; b < oracle.size(); ++b) {
            if (oracle[b].state == OracleState::terminal && oracle[b].outcome[0] == Outcome::unconfirmed) {
              oracle[b].state = OracleState::sent_pending;
              oracle[b].sends_this_round = 0;
              oracle[b].outcome.assign(oracle[b].outcome.size(), Outcome::pending);
            }
          }
          continue;
        }
        break;
      }
      if (a.kind == Action::wait) {
        if (a.delay_ms == 0) FAIL("zero wait with nothing in flight, run " << run);
        now += pick(4) == 0 ? 1 + pick(a.delay_ms) : a.delay_ms;
        continue;
      }
      // send
      const size_t b = a.batch;
      if (cancelled) FAIL("send after cancel in run " << run);
      if (b >= batches.size() || oracle[b].state == OracleState::terminal) FAIL("bad batch sent, run " << run);
      if (++oracle[b].sends_this_round > policy.max_attempts) FAIL("too many attempts in run " << run);
      oracle[b].ever_sent = true;
      oracle[b].state = OracleState::in_flight;
      ++total_sends;
      if (pick(40) == 0) do_cancel();  // cancel while in flight

      const Batch& batch = batches[b];
      const uint64_t epoch = epoch0 + now;
      uint64_t ra_ms = 0;
      std::string retry_after;
      if (pick(2) == 0) {
        if (pick(2) == 0) {
          uint64_t secs = pick(90);
          retry_after = std::to_string(secs);
          ra_ms = secs * 1000;
        } else {
          int64_t at = static_cast<int64_t>(epoch / 1000) + static_cast<int64_t>(pick(90)) - 5;
          retry_after = imf_date(at);
          uint64_t at_ms = static_cast<uint64_t>(at) * 1000;
          ra_ms = at_ms > epoch ? at_ms - epoch : 0;
        }
      }
      const double r01 = unit();
      bool retryable = false;
      bool conflict = false;
      switch (pick(10)) {
        case 0:
        case 1:
        case 2: {  // 200 with per-row results
          std::vector<std::string> statuses;
          for (size_t i = 0; i < batch.rows.size(); ++i) statuses.push_back(pick(3) == 0 ? "error" : "invited");
          nlohmann::json results = nlohmann::json::array();
          for (size_t i = 0; i < batch.rows.size(); ++i) {
            nlohmann::json r = {{"row", batch.rows[i]}, {"status", statuses[i]}};
            if (statuses[i] == "error") r["error"] = {{"code", "email_conflict"}, {"message", "exists"}};
            else r["id"] = "x";
            results.push_back(r);
          }
          if (pick(2) == 0 && results.size() > 1) std::swap(results[0], results[results.size() - 1]);
          s.on_response(b, 200, retry_after, nlohmann::json{{"results", results}}.dump(), now, epoch, r01);
          for (size_t i = 0; i < batch.rows.size(); ++i) {
            oracle[b].outcome[i] = statuses[i] == "error" ? Outcome::failed : Outcome::invited;
            oracle[b].code[i] = statuses[i] == "error" ? "email_conflict" : "";
          }
          oracle[b].state = OracleState::terminal;
          break;
        }
        case 3: {  // 200 that breaks the contract
          static const char* bad[] = {"", "{", "{\"results\":[]}", "{\"results\":null}", "[1,2]"};
          std::string body = bad[pick(5)];
          if (batch.rows.empty()) body = "{";
          s.on_response(b, 200, retry_after, body, now, epoch, r01);
          set_all(b, Outcome::unconfirmed, "bad_response");
          break;
        }
        case 4:
        case 5: {
          static const int codes[] = {429, 500, 502, 503, 504};
          s.on_response(b, codes[pick(5)], retry_after, "", now, epoch, r01);
          retryable = true;
          break;
        }
        case 6:
          s.on_network_error(b, pick(2) == 0, now, r01);
          retryable = true;
          ra_ms = 0;
          break;
        case 7:
          s.on_response(b, 409, retry_after, "", now, epoch, r01);
          retryable = true;
          conflict = true;
          break;
        case 8: {
          if (pick(2) == 0) {
            s.on_response(b, 422, retry_after, R"({"error":{"code":"idempotency_key_reused"}})", now, epoch, r01);
            set_all(b, Outcome::failed, "idempotency_key_reused");
          } else {
            static const int codes[] = {400, 401, 403, 404, 413, 422};
            s.on_response(b, codes[pick(6)], retry_after, R"({"error":{"message":"no"}})", now, epoch, r01);
            set_all(b, Outcome::failed, "http_error");
          }
          break;
        }
        default: {
          static const int codes[] = {501, 505, 302};
          s.on_response(b, codes[pick(3)], retry_after, "", now, epoch, r01);
          set_all(b, Outcome::unconfirmed, "bad_response");
          break;
        }
      }
      if (!retryable) continue;
      if (oracle[b].sends_this_round >= policy.max_attempts || cancelled) {
        set_all(b, Outcome::unconfirmed, "unconfirmed");
        continue;
      }
      oracle[b].state = OracleState::waiting;
      // The very next decision is the backoff: never below Retry-After nor above max(cap, Retry-After).
      Action w = s.next(now);
      const uint64_t delay = w.kind == Action::wait ? w.delay_ms : 0;
      if (w.kind == Action::done || w.batch != b) FAIL("retry lost in run " << run);
      const uint64_t hi = std::max(policy.cap_ms, ra_ms);
      const uint64_t lo = conflict ? std::max(std::min(policy.conflict_wait_ms, policy.cap_ms), ra_ms) : ra_ms;
      if (delay < lo || delay > hi) FAIL("delay " << delay << " outside [" << lo << "," << hi << "] run " << run);
      if (w.kind == Action::send) {  // zero delay: it went out already
        if (++oracle[b].sends_this_round > policy.max_attempts) FAIL("too many attempts in run " << run);
        ++total_sends;
        // Answer it with a success so the driver's view stays in step.
        s.on_response(b, 200, "", results_body(batch, {"invited"}), now, epoch, 0);
        for (size_t i = 0; i < batch.rows.size(); ++i) {
          oracle[b].outcome[i] = Outcome::invited;
          oracle[b].code[i] = "";
        }
        oracle[b].state = OracleState::terminal;
      }
    }
  }
  // The generator really exercised the paths it is meant to.
  CHECK(total_sends > 10000);
  CHECK(total_cancels > 100);
  CHECK(total_retry_rounds > 100);
}

TEST_CASE("a replayed answer to a first attempt: an earlier attempt's rows, told apart from this run's", "[replay]") {
  auto batches = plan_batches(mode("invite"), kScope, email_rows(3));
  Submitter s(batches);
  size_t b = expect_send(s, 0);
  const std::string body =
      R"({"results":[{"row":2,"status":"invited","id":"inv-1"},)"
      R"({"row":3,"status":"created","id":"idn-2"},)"
      R"({"row":4,"status":"error","error":{"code":"email_conflict","message":"Already in the environment."}}]})";
  s.on_response(b, 200, "", body, 10, kEpoch1994, 0.5, /*replayed=*/true);
  CHECK(s.next(10).kind == Action::done);
  CHECK(s.row_outcome(0)->outcome == Outcome::replayed);
  CHECK(s.row_outcome(0)->id == "inv-1");  // the id the earlier attempt got
  CHECK(s.row_outcome(0)->code == "replayed_invite");
  CHECK(s.row_outcome(0)->message ==
        "Already invited by an earlier attempt: the server replayed its answer, so this import did not invite again.");
  CHECK(s.row_outcome(1)->outcome == Outcome::replayed);
  CHECK(s.row_outcome(1)->code == "replayed");
  CHECK(s.row_outcome(1)->message ==
        "Already created by an earlier attempt: the server replayed its answer, so this import did not create it "
        "again.");
  CHECK(s.row_outcome(2)->outcome == Outcome::failed);  // an error stays the error it was
  CHECK(s.row_outcome(2)->code == "email_conflict");
  CHECK(std::string(outcome_name(Outcome::replayed)) == "replayed");
  const Progress p = s.progress();
  CHECK(p.rows_done == 3);
  CHECK(p.succeeded == 0);
  CHECK(p.replayed == 2);
  CHECK(p.failed == 1);
}

TEST_CASE("a replay after this run's own lost answer, timeout or 502 is this run's rows", "[replay]") {
  for (int how = 0; how < 3; ++how) {
    auto batches = invite_batches(2);
    Submitter s(batches);
    size_t b = expect_send(s, 0);
    if (how == 0) s.on_network_error(b, false, 10, 0.0);
    if (how == 1) s.on_network_error(b, true, 10, 0.0);
    if (how == 2) s.on_response(b, 502, "", "", 10, kEpoch1994, 0.0);
    const Action a = s.next(10);
    REQUIRE(a.kind == Action::send);
    s.on_response(a.batch, 200, "", results_body(batches[0], {"invited"}), 20, kEpoch1994, 0.0, true);
    CAPTURE(how);
    CHECK(s.row_outcome(0)->outcome == Outcome::invited);
    CHECK(s.row_outcome(0)->code.empty());
    CHECK(s.progress().succeeded == 2);
    CHECK(s.progress().replayed == 0);
  }
  // A 503 or a 409 was not processed by this run: a replay after it is someone else's.
  for (int status : {503, 409}) {
    auto batches = invite_batches(2);
    Submitter s(batches);
    size_t b = expect_send(s, 0);
    s.on_response(b, status, "", "", 10, kEpoch1994, 0.0);
    Action a = s.next(5000);
    REQUIRE(a.kind == Action::send);
    s.on_response(a.batch, 200, "", results_body(batches[0], {"invited"}), 5000, kEpoch1994, 0.0, true);
    CAPTURE(status);
    CHECK(s.row_outcome(0)->outcome == Outcome::replayed);
    CHECK(s.progress().replayed == 2);
  }
}

TEST_CASE("a replay that withholds an accept link says so", "[replay]") {
  auto batches = invite_batches(1);
  Submitter s(batches);
  size_t b = expect_send(s, 0);
  s.on_response(b, 200, "", R"({"results":[{"row":2,"status":"invited","id":"inv-1","accept_link_withheld":true}]})",
                10, kEpoch1994, 0.5, true);
  CHECK(s.row_outcome(0)->outcome == Outcome::replayed);
  CHECK(s.row_outcome(0)->accept_link.empty());
  CHECK(s.row_outcome(0)->code == "accept_link_withheld");
  CHECK(s.row_outcome(0)->message ==
        "Invited, but the server no longer hands out this invite's accept link (it was accepted since, or the server "
        "restarted). Take it from the earlier attempt's results.csv, or delete the invite and invite again.");
}

TEST_CASE("outcomes and waits carry their message as a code and arguments, for the page to word") {
  using Args = std::vector<std::string_view>;
  {
    // A wait after a 503, then a cancel during it: unconfirmed, "cancelled before the next attempt".
    Submitter s(invite_batches(2));
    Action a = s.next(0);
    REQUIRE(a.kind == Action::send);
    s.on_response(a.batch, 503, "", "", 0, 0, 0.5);
    const Action w = s.next(0);
    REQUIRE(w.kind == Action::wait);
    CHECK(w.reason_code == "wait_busy");
    CHECK(w.reason_args.empty());
    CHECK(w.reason == "server busy (503)");
    s.cancel();
    const RowOutcome* o = s.row_outcome(0);
    REQUIRE(o);
    CHECK(o->code == "unconfirmed");
    CHECK(unpack_args(o->args) == Args{"1", "cancelled_after", "last_http", "503"});
    CHECK(o->message ==
          "The server did not confirm this row (attempts: 1; last: the last one got HTTP 503; the import was cancelled "
          "before the next attempt); it may or may not have been created. Retry the unconfirmed rows: they are resent "
          "with the same idempotency key, so nothing is created twice.");
  }
  {
    // A 200 whose results do not match the rows sent.
    Submitter s(invite_batches(3));
    const Action a = s.next(0);
    s.on_response(a.batch, 200, "", R"({"results":[]})", 0, 0, 0.5);
    const RowOutcome* o = s.row_outcome(0);
    CHECK(o->code == "bad_response");
    CHECK(unpack_args(o->args) == Args{"response_count", "0", "3"});
    CHECK(o->message.rfind("The server's answer could not be read (0 results for 3 rows sent); ", 0) == 0);
  }
  {
    // A refusal with the server's words, and one without any.
    Submitter s(invite_batches(1));
    s.on_response(s.next(0).batch, 400, "", R"({"error":{"code":"malformed_body","message":"rows must be an array"}})",
                  0, 0, 0.5);
    CHECK(unpack_args(s.row_outcome(0)->args) == Args{"400", "server_said", "rows must be an array"});
    Submitter t(invite_batches(1));
    t.on_response(t.next(0).batch, 418, "", "", 0, 0, 0.5);
    CHECK(unpack_args(t.row_outcome(0)->args) == Args{"418", "no_message"});
    CHECK(t.row_outcome(0)->message == "The server refused the batch with HTTP 418: no message");
  }
  {
    // A network error waits with its own reason; a server's per-row error carries no arguments of ours.
    Submitter s(invite_batches(1));
    s.on_network_error(s.next(0).batch, false, 0, 0.5);
    CHECK(s.next(0).reason_code == "wait_network_error");
  }
}
