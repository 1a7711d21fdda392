// The submit state machine fed random event sequences: next() at random times, answers of every kind
// (good and broken 200 bodies, 409, 422, 429 with any Retry-After, 4xx, 5xx, 1xx/3xx, network errors,
// timeouts), stale and duplicate reports, cancel and "Retry unconfirmed" at any moment.
//
// Input: [rows byte] [batch size byte], then one byte per event plus its arguments; when the input
// runs out the run is driven to the end with 503s (it must finish: attempts are bounded).
//
// A small model of each batch checks the contract (submitter.h, SPEC "Submit") after every event:
//  - one request in flight at a time; next() never sends while a response is outstanding;
//  - no batch is sent after cancel() (the in-flight one completes and is recorded), until a "Retry
//    unconfirmed" round starts;
//  - at most 6 sends per batch per round, never sooner than the last Retry-After, same key and body;
//  - a Retry-After over 5 minutes is not waited for: the batch is unconfirmed (retry_after_too_long);
//  - a batch the server answered (created/invited/error rows, or refused with a 4xx) is never sent
//    again;
//  - every answer leads to the documented outcome (finished rows, waiting, unconfirmed, failed);
//  - reports for a batch that is not in flight change nothing;
//  - when next() says done every row has exactly one final outcome, and the progress counts add up.
// A violation aborts, so libFuzzer reports it with the input that led there.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "mapping/schema.h"
#include "submit/plan.h"
#include "submit/retry_after.h"
#include "submit/submitter.h"

using namespace canopy;

namespace {

constexpr int kMaxAttempts = 6;
constexpr uint64_t kMaxRetryAfterMs = 5 * 60 * 1000;  // SPEC "Submit": Retry-After honoured up to 5 minutes
constexpr uint64_t kEpochMs = 1700000000000ull;       // wall clock for HTTP dates (Nov 2023)

enum class Model : uint8_t { pending, in_flight, waiting, finished, unconfirmed, cancelled };

struct BatchModel {
  Model state = Model::pending;
  int sends = 0;  // in this round
  bool ever_sent = false;
  uint64_t not_before = 0;  // Retry-After
  std::string key, body;    // as first sent
};

const char* kRetryAfter[] = {"",
                             "0",
                             "1",
                             "3",
                             "120",
                             "Sun, 06 Nov 1994 08:49:37 GMT",
                             "Wed, 21 Oct 2065 07:28:00 GMT",
                             "Tue, 14 Nov 2023 22:13:25 GMT",
                             "Tuesday, 14-Nov-23 22:13:25 GMT",
                             "Tue Nov 14 22:13:25 2023",
                             "99999999999999999999999",
                             "-1",
                             " 2 ",
                             "abc",
                             "1.5"};

const int kStatuses[] = {200, 200, 200, 201, 200, 409, 422, 422, 429, 500, 502, 503, 504, 400,
                         401, 403, 404, 413, 0,   -1,  100, 301, 304, 501, 505, 599, 999};

bool is_final(Outcome o) { return o != Outcome::pending; }

class Run {
 public:
  Run(std::vector<Batch> batches, size_t rows) : sub_(std::move(batches)), rows_(rows) {
    model_.resize(sub_.batches().size());
    size_t pos = 0;
    for (const Batch& b : sub_.batches()) {
      first_.push_back(pos);
      pos += b.rows.size();
    }
    FUZZ_CHECK(pos == rows_);
    FUZZ_CHECK(sub_.outcomes().size() == rows_);
  }

  void step(canopy_fuzz::Bytes& in) {
    const Action a = sub_.next(now_);
    if (a.kind == Action::send) {
      on_send(a.batch);
    } else if (a.kind == Action::wait) {
      if (in_flight_ >= 0) {
        FUZZ_CHECK(a.batch == static_cast<size_t>(in_flight_) && a.delay_ms == 0);
        return;
      }
      FUZZ_CHECK(a.batch < model_.size() && model_[a.batch].state == Model::waiting);
      FUZZ_CHECK(a.delay_ms > 0 && !a.reason.empty());
      // Never sooner than Retry-After, never later than the backoff cap unless Retry-After says so.
      const uint64_t not_before = model_[a.batch].not_before;
      FUZZ_CHECK(add(now_, a.delay_ms) >= not_before);
      const uint64_t retry_left = not_before > now_ ? not_before - now_ : 0;
      FUZZ_CHECK(a.delay_ms <= std::max<uint64_t>(RetryPolicy{}.cap_ms, retry_left));
      FUZZ_CHECK(a.delay_ms <= kMaxRetryAfterMs);  // no caller is ever told to wait longer
      // Advance time: all of it, or part of it.
      const uint8_t k = in.u8();
      now_ = add(now_, k & 1 ? a.delay_ms : a.delay_ms / 128 * (k >> 1));
    } else {
      on_done();
    }
  }

  void respond(canopy_fuzz::Bytes& in) {
    if (in_flight_ < 0) return;
    const auto b = static_cast<size_t>(in_flight_);
    const int status = kStatuses[in.u8() % (sizeof kStatuses / sizeof kStatuses[0])];
    const std::string retry_after = kRetryAfter[in.u8() % (sizeof kRetryAfter / sizeof kRetryAfter[0])];
    const double random01 = random(in.u8());
    const uint8_t variant = in.u8();
    in_flight_ = -1;
    BatchModel& m = model_[b];
    if (status == 0 && (variant & 1)) {
      sub_.on_network_error(b, variant & 2, now_, random01);
      transient(b, 0);
      return;
    }
    std::vector<Outcome> expected;
    const std::string body = status >= 200 && status < 300 ? results_body(b, variant, &expected) : error_body(variant);
    sub_.on_response(b, status, retry_after, body, now_, kEpochMs + now_, random01);
    if (status >= 200 && status < 300) {
      if (expected.empty()) {
        expect_rows(b, Outcome::unconfirmed, "bad_response");
        m.state = Model::unconfirmed;
      } else {
        for (size_t i = 0; i < expected.size(); ++i) FUZZ_CHECK(sub_.outcomes()[first_[b] + i].outcome == expected[i]);
        m.state = Model::finished;
      }
    } else if (status <= 0 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504 ||
               status == 409) {
      transient(b, status <= 0 ? 0 : parse_retry_after_ms(retry_after, kEpochMs + now_));
    } else if (status >= 400 && status < 500) {
      expect_rows(b, Outcome::failed, status == 422 && (variant & 1) ? "idempotency_key_reused" : "http_error");
      m.state = Model::finished;
    } else {
      expect_rows(b, Outcome::unconfirmed, "bad_response");
      m.state = Model::unconfirmed;
    }
  }

  // A report for a batch that is not in flight: nothing may change.
  void stale(canopy_fuzz::Bytes& in) {
    const size_t b = in.u8() % (model_.size() + 1);
    if (static_cast<long>(b) == in_flight_) return;
    const auto before = snapshot();
    if (in.u8() & 1) {
      sub_.on_network_error(b, false, now_, 0.5);
    } else {
      sub_.on_response(b, 200, "", "{\"results\":[]}", now_, kEpochMs, 0.5);
    }
    FUZZ_CHECK(snapshot() == before);
  }

  void cancel() {
    sub_.cancel();
    cancel_active_ = true;
    FUZZ_CHECK(sub_.cancelled());
    for (size_t b = 0; b < model_.size(); ++b) {
      BatchModel& m = model_[b];
      if (m.state == Model::waiting || (m.state == Model::pending && m.ever_sent)) {
        expect_rows(b, Outcome::unconfirmed, nullptr);
        m.state = Model::unconfirmed;
      } else if (m.state == Model::pending) {
        expect_rows(b, Outcome::cancelled, "cancelled");
        m.state = Model::cancelled;
      }
    }
  }

  void retry_unconfirmed() {
    bool any = false;
    for (const BatchModel& m : model_) any = any || m.state == Model::unconfirmed;
    sub_.retry_unconfirmed();
    for (size_t b = 0; b < model_.size(); ++b) {
      BatchModel& m = model_[b];
      if (m.state != Model::unconfirmed) continue;
      expect_rows(b, Outcome::pending, nullptr);
      m.state = Model::pending;
      m.sends = 0;       // a new round
      m.not_before = 0;  // the user asked for it now
    }
    if (any) cancel_active_ = false;
    FUZZ_CHECK(sub_.cancelled() == cancel_active_);
  }

  // Out of input: answer everything with 503 until done. Attempts are bounded, so this ends.
  void finish() {
    const size_t limit = model_.size() * (kMaxAttempts + 1) * 3 + 8;
    for (size_t i = 0; i <= limit; ++i) {
      if (in_flight_ >= 0) {
        const auto b = static_cast<size_t>(in_flight_);
        in_flight_ = -1;
        sub_.on_response(b, 503, "", "", now_, kEpochMs + now_, 0.999);
        transient(b, 0);
        continue;
      }
      const Action a = sub_.next(now_);
      if (a.kind == Action::done) {
        on_done();
        return;
      }
      if (a.kind == Action::send) {
        on_send(a.batch);
      } else {
        FUZZ_CHECK(a.delay_ms > 0);
        now_ = add(now_, a.delay_ms);
      }
    }
    FUZZ_CHECK(!"the run did not finish");
  }

  void check_progress() const {
    const Progress p = sub_.progress();
    FUZZ_CHECK(p.rows_total == rows_ && p.batches_total == model_.size());
    FUZZ_CHECK(p.rows_done <= p.rows_total && p.batches_done <= p.batches_total);
    FUZZ_CHECK(p.succeeded + p.failed + p.unconfirmed + p.cancelled == p.rows_done);
    FUZZ_CHECK(p.attempt <= static_cast<size_t>(kMaxAttempts));
    size_t done = 0;
    for (const BatchModel& m : model_) {
      done += m.state == Model::finished || m.state == Model::unconfirmed || m.state == Model::cancelled;
    }
    FUZZ_CHECK(p.batches_done == done);
  }

 private:
  static uint64_t add(uint64_t a, uint64_t b) {
    return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
  }

  static double random(uint8_t k) {
    switch (k) {
      case 255: return std::nan("");
      case 254: return 1.0;
      case 253: return -0.5;
      case 252: return 7.0;
      case 251: return std::numeric_limits<double>::infinity();
      default: return k / 251.0;
    }
  }

  void on_send(size_t b) {
    FUZZ_CHECK(in_flight_ < 0);   // one at a time
    FUZZ_CHECK(!cancel_active_);  // nothing new after cancel
    FUZZ_CHECK(b < model_.size());
    BatchModel& m = model_[b];
    FUZZ_CHECK(m.state == Model::pending || m.state == Model::waiting);  // never an answered batch
    FUZZ_CHECK(now_ >= m.not_before);
    FUZZ_CHECK(++m.sends <= kMaxAttempts);
    const Batch& batch = sub_.batches()[b];
    if (!m.ever_sent) {
      m.key = batch.idempotency_key;
      m.body = batch.body;
    }
    FUZZ_CHECK(batch.idempotency_key == m.key && batch.body == m.body);
    // Batches go in order: all earlier ones have been sent or are done.
    for (size_t k = 0; k < b; ++k) FUZZ_CHECK(model_[k].state != Model::pending || model_[k].ever_sent);
    m.ever_sent = true;
    m.state = Model::in_flight;
    in_flight_ = static_cast<long>(b);
    expect_rows(b, Outcome::pending, nullptr);
  }

  void on_done() {
    FUZZ_CHECK(in_flight_ < 0);
    for (size_t i = 0; i < rows_; ++i) FUZZ_CHECK(is_final(sub_.outcomes()[i].outcome));
    for (const BatchModel& m : model_) {
      FUZZ_CHECK(m.state == Model::finished || m.state == Model::unconfirmed || m.state == Model::cancelled);
    }
    // Each row once: the lookup by data-row index finds its own outcome.
    for (size_t b = 0; b < model_.size(); ++b) {
      const Batch& batch = sub_.batches()[b];
      for (size_t i = 0; i < batch.indices.size(); ++i) {
        FUZZ_CHECK(sub_.row_outcome(batch.indices[i]) == &sub_.outcomes()[first_[b] + i]);
      }
    }
    const Progress p = sub_.progress();
    FUZZ_CHECK(p.rows_done == rows_ && p.batches_done == model_.size() && p.attempt == 0);
  }

  // A retryable answer (or network error): wait and resend, or unconfirmed when attempts are used up
  // or the import was cancelled meanwhile.
  void transient(size_t b, uint64_t retry_after_ms) {
    BatchModel& m = model_[b];
    if (m.sends >= kMaxAttempts || cancel_active_) {
      expect_rows(b, Outcome::unconfirmed, "unconfirmed");
      m.state = Model::unconfirmed;
      return;
    }
    if (retry_after_ms > kMaxRetryAfterMs) {
      expect_rows(b, Outcome::unconfirmed, "retry_after_too_long");
      m.state = Model::unconfirmed;
      return;
    }
    expect_rows(b, Outcome::pending, nullptr);
    m.state = Model::waiting;
    m.not_before = add(now_, retry_after_ms);
  }

  void expect_rows(size_t b, Outcome o, const char* code) const {
    for (size_t i = 0; i < sub_.batches()[b].rows.size(); ++i) {
      const RowOutcome& r = sub_.outcomes()[first_[b] + i];
      FUZZ_CHECK(r.outcome == o);
      if (code) FUZZ_CHECK(r.code == code);
      if (o != Outcome::pending) FUZZ_CHECK(!r.message.empty());
    }
  }

  // 200 bodies: the right answer (maybe reordered), or one that breaks the contract. `expected` gets
  // the outcomes when the body is valid, and stays empty otherwise.
  std::string results_body(size_t b, uint8_t variant, std::vector<Outcome>* expected) const {
    const Batch& batch = sub_.batches()[b];
    const size_t n = batch.rows.size();
    nlohmann::json results = nlohmann::json::array();
    std::vector<Outcome> outcomes(n);
    for (size_t i = 0; i < n; ++i) {
      const unsigned pick = (variant + i * 7) % 3;
      nlohmann::json r = {{"row", batch.rows[i]}};
      if (pick == 0) {
        r["status"] = "invited";
        r["id"] = "inv-" + std::to_string(batch.rows[i]);
        outcomes[i] = Outcome::invited;
      } else if (pick == 1) {
        r["status"] = "created";
        r["id"] = batch.rows[i];
        outcomes[i] = Outcome::created;
      } else {
        r["status"] = "error";
        r["error"] = {{"code", "email_conflict"}, {"message", "exists"}};
        outcomes[i] = Outcome::failed;
      }
      results.push_back(std::move(r));
    }
    switch ((variant >> 2) % 8) {
      case 0:
      case 1:
      case 2: *expected = outcomes; break;
      case 3:  // reordered: matched by row number
        std::reverse(results.begin(), results.end());
        *expected = outcomes;
        break;
      case 4:  // one result missing
        results.erase(results.end() - 1);
        break;
      case 5:  // a row answered twice (when there are two)
        if (n < 2) return "[]";
        results[0]["row"] = batch.rows[1];
        break;
      case 6:  // an unknown status
        results[n - 1]["status"] = "maybe";
        break;
      default: return variant & 1 ? "not json" : "{\"results\":{}}";
    }
    return nlohmann::json{{"results", results}}.dump();
  }

  static std::string error_body(uint8_t variant) {
    if (variant & 1) return R"({"error":{"code":"idempotency_key_reused","message":"reused"}})";
    if (variant & 2) return R"({"error":"email_conflict","message":"nope"})";
    return variant & 4 ? "" : "<html>";
  }

  // A fingerprint of every row's outcome, code and message length, and of the progress (FNV-1a).
  uint64_t snapshot() const {
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::string_view bytes) {
      for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
      h = (h ^ 0xFF) * 1099511628211ull;  // field separator
    };
    for (const RowOutcome& o : sub_.outcomes()) {
      h = (h ^ static_cast<uint64_t>(o.outcome)) * 1099511628211ull;
      h = (h ^ o.message.size()) * 1099511628211ull;  // the text itself is slow to hash on every call
      mix(o.code);
    }
    const Progress p = sub_.progress();
    mix(std::to_string(p.rows_done) + "/" + std::to_string(p.batches_done) + "/" + std::to_string(p.attempt));
    return h;
  }

  Submitter sub_;
  size_t rows_;
  std::vector<BatchModel> model_;
  std::vector<size_t> first_;
  long in_flight_ = -1;
  bool cancel_active_ = false;
  uint64_t now_ = 1000;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  canopy_fuzz::Bytes in(data, size);
  const uint8_t shape = in.u8();
  const size_t rows = shape & 0x80 ? 201 + (shape & 0x7F) * 3 : 1 + (shape & 0x7F) % 40;
  const size_t batch_size = 1 + in.u8() % 8;
  std::vector<RowPayload> payloads;
  for (size_t i = 0; i < rows; ++i) {
    // Data-row indices with gaps (deselected rows), source rows after a header and a comment.
    const auto index = static_cast<uint32_t>(i * 2);
    payloads.push_back(RowPayload{index, index + 3, {{"email", "u" + std::to_string(i) + "@example.com"}}});
  }
  const ModeSpec& mode = *find_mode("invite");
  Run run(plan_batches(mode, Scope_ids{"acc", "env"}, payloads, shape & 0x80 ? kMaxBatchRows : batch_size), rows);
  for (size_t ops = 0; !in.empty() && ops < 4000; ++ops) {
    const uint8_t op = in.u8() % 16;
    if (op < 6) {
      run.step(in);
    } else if (op < 11) {
      run.respond(in);
    } else if (op < 13) {
      run.stale(in);
    } else if (op == 13) {
      run.cancel();
    } else {
      run.retry_unconfirmed();
    }
    run.check_progress();
  }
  run.finish();
  run.check_progress();
  return 0;
}
