#include "submit/submitter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/messages.h"

namespace canopy {
namespace {

using json = nlohmann::json;

constexpr size_t kNone = std::numeric_limits<size_t>::max();
constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

enum class BatchState : uint8_t {
  pending,      // not sent in this round yet
  in_flight,    // sent, response not reported yet
  waiting,      // backoff before the next attempt
  finished,     // the server answered for every row (created/invited/failed) or refused the batch
  unconfirmed,  // sent, but no usable answer: resend with the same key
  cancelled,    // never sent, skipped after cancel
};

struct BatchRun {
  BatchState state = BatchState::pending;
  int attempts = 0;         // sends in this round
  bool ever_sent = false;   // in any round: decides unconfirmed vs cancelled on cancel
  bool maybe_ours = false;  // an attempt of this run may have been processed (no answer, 500/502/504, bad answer)
  uint64_t ready_at = 0;    // when waiting
  std::string wait_reason;  // Action::reason while waiting
  std::string last_detail;  // "the last one got HTTP 503 Service Unavailable", for the message
  std::string unconfirmed_code, unconfirmed_message;  // restored if a resend round is cancelled
  size_t first_row = 0;                               // into Impl::outcomes
};

uint64_t add_sat(uint64_t a, uint64_t b) { return a > kMaxU64 - b ? kMaxU64 : a + b; }

const char* status_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

std::string status_text(int status) {
  std::string s = std::to_string(status);
  const char* p = status_phrase(status);
  if (*p) {
    s.push_back(' ');
    s += p;
  }
  return s;
}

// Short reason shown while waiting (Action::reason).
std::string wait_reason_for(int status) {
  switch (status) {
    case 429: return "rate limited (429)";
    case 409: return "batch still in flight on the server (409)";
    case 500: return "server error (500)";
    case 502: return "bad gateway (502)";
    case 503: return "server busy (503)";
    case 504: return "gateway timeout (504)";
    default: return "server error (" + std::to_string(status) + ")";
  }
}

bool retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

// {"error":{"code":..,"message":..}}, also tolerating {"error":"code"} and a top-level message.
void error_of_body(std::string_view body, std::string* code, std::string* message) {
  json j = json::parse(body.data(), body.data() + body.size(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  auto e = j.find("error");
  if (e != j.end() && e->is_object()) {
    auto c = e->find("code");
    if (c != e->end() && c->is_string()) *code = c->get<std::string>();
    auto m = e->find("message");
    if (m != e->end() && m->is_string()) *message = m->get<std::string>();
  } else if (e != j.end() && e->is_string()) {
    *code = e->get<std::string>();
  }
  if (message->empty()) {
    auto m = j.find("message");
    if (m != j.end() && m->is_string()) *message = m->get<std::string>();
  }
}

bool read_row_number(const json& v, uint32_t* out) {
  if (v.is_number_unsigned()) {
    uint64_t n = v.get<uint64_t>();
    if (n > 0xFFFFFFFFu) return false;
    *out = static_cast<uint32_t>(n);
    return true;
  }
  if (v.is_number_integer()) {
    int64_t n = v.get<int64_t>();
    if (n < 0 || n > 0xFFFFFFFFll) return false;
    *out = static_cast<uint32_t>(n);
    return true;
  }
  return false;
}

// Reads a 200 body into one outcome per row sent; on any deviation from the contract returns false
// with what was wrong (the whole batch is then unconfirmed: the server may have created rows).
bool read_results(std::string_view body, const std::vector<uint32_t>& rows, std::vector<RowOutcome>* out,
                  std::string* problem) {
  json j = json::parse(body.data(), body.data() + body.size(), nullptr, false);
  if (j.is_discarded()) return *problem = "the body is not JSON", false;
  if (!j.is_object()) return *problem = "the body is not a JSON object", false;
  auto results = j.find("results");
  if (results == j.end() || !results->is_array()) return *problem = "no \"results\" array", false;
  const size_t n = rows.size();
  if (results->size() != n) {
    *problem = std::to_string(results->size()) + " results for " + std::to_string(n) + " rows sent";
    return false;
  }
  out->assign(n, RowOutcome{});
  std::vector<bool> taken(n, false);
  for (size_t i = 0; i < n; ++i) {
    const json& r = (*results)[i];
    if (!r.is_object()) return *problem = "result " + std::to_string(i + 1) + " is not an object", false;
    auto rv = r.find("row");
    uint32_t row = 0;
    if (rv == r.end() || !read_row_number(*rv, &row)) {
      return *problem = "result " + std::to_string(i + 1) + " has no row number", false;
    }
    // Same order is the contract; matching by row number tolerates a reordered answer.
    size_t pos = kNone;
    if (!taken[i] && rows[i] == row) {
      pos = i;
    } else {
      for (size_t k = 0; k < n; ++k) {
        if (!taken[k] && rows[k] == row) {
          pos = k;
          break;
        }
      }
    }
    if (pos == kNone) {
      return *problem = "row " + std::to_string(row) + " was not sent in this batch or is answered twice", false;
    }
    taken[pos] = true;
    RowOutcome& o = (*out)[pos];
    auto st = r.find("status");
    if (st == r.end() || !st->is_string()) {
      return *problem = "row " + std::to_string(row) + " has no status", false;
    }
    const std::string& status = st->get_ref<const std::string&>();
    if (status == "created" || status == "invited") {
      o.outcome = status == "created" ? Outcome::created : Outcome::invited;
      auto id = r.find("id");
      if (id != r.end() && id->is_string()) o.id = id->get<std::string>();
      else if (id != r.end() && id->is_number_integer()) o.id = id->dump();
      auto link = r.find("accept_link");
      if (link != r.end() && link->is_string()) o.accept_link = link->get<std::string>();
      auto withheld = r.find("accept_link_withheld");
      if (o.accept_link.empty() && withheld != r.end() && withheld->is_boolean() && withheld->get<bool>()) {
        o.code = "accept_link_withheld";  // a replay that no longer hands the link out: say so
        o.message = format_message(o.code);
      }
    } else if (status == "error") {
      auto e = r.find("error");
      auto code = e != r.end() && e->is_object() ? e->find("code") : r.end();
      if (e == r.end() || !e->is_object() || code == e->end() || !code->is_string()) {
        return *problem = "row " + std::to_string(row) + " has status error but no error code", false;
      }
      o.outcome = Outcome::failed;
      o.code = code->get<std::string>();
      auto m = e->find("message");
      if (m != e->end() && m->is_string()) o.message = m->get<std::string>();
    } else {
      return *problem = "row " + std::to_string(row) + " has the unknown status \"" + status + "\"", false;
    }
  }
  return true;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::pending: return "pending";
    case Outcome::created: return "created";
    case Outcome::invited: return "invited";
    case Outcome::replayed: return "replayed";
    case Outcome::failed: return "failed";
    case Outcome::unconfirmed: return "unconfirmed";
    case Outcome::cancelled: return "cancelled";
    case Outcome::deselected: return "deselected";
  }
  return "pending";
}

struct Submitter::Impl {
  std::vector<Batch> batches;
  RetryPolicy policy;
  std::vector<BatchRun> runs;
  std::vector<RowOutcome> outcomes;
  std::unordered_map<uint32_t, size_t> by_index;
  bool cancelled = false;
  size_t in_flight = kNone;

  void set_rows(size_t b, Outcome outcome, const std::string& code, const std::string& message) {
    for (size_t i = 0; i < batches[b].rows.size(); ++i) {
      RowOutcome& o = outcomes[runs[b].first_row + i];
      o = RowOutcome{};
      o.outcome = outcome;
      o.code = code;
      o.message = message;
    }
  }

  void finish_unconfirmed(size_t b, const std::string& code, const std::string& message) {
    BatchRun& r = runs[b];
    r.state = BatchState::unconfirmed;
    r.unconfirmed_code = code;
    r.unconfirmed_message = message;
    set_rows(b, Outcome::unconfirmed, code, message);
  }

  void finish_failed(size_t b, const std::string& code, const std::string& message) {
    runs[b].state = BatchState::finished;
    set_rows(b, Outcome::failed, code, message);
  }

  // A transient failure of the attempt just made: wait and resend, or give up as unconfirmed.
  void retry_later(size_t b, int status, std::string reason, std::string detail, uint64_t retry_after_ms,
                   uint64_t now_ms, double random01) {
    BatchRun& r = runs[b];
    r.last_detail = detail;
    const int max_attempts = std::max(1, policy.max_attempts);
    if (r.attempts >= max_attempts) {
      finish_unconfirmed(b, "unconfirmed", format_message("unconfirmed", {std::to_string(r.attempts), detail}));
      return;
    }
    if (cancelled) {
      // It was sent at least once and nothing confirmed it: the server may have the rows.
      finish_unconfirmed(
          b, "unconfirmed",
          format_message("unconfirmed",
                         {std::to_string(r.attempts), detail + "; the import was cancelled before the next attempt"}));
      return;
    }
    if (retry_after_ms > policy.max_retry_after_ms) {
      const uint64_t seconds = retry_after_ms / 1000 + (retry_after_ms % 1000 != 0);
      finish_unconfirmed(b, "retry_after_too_long",
                         format_message("retry_after_too_long", {std::to_string(seconds), std::to_string(status),
                                                                 std::to_string(policy.max_retry_after_ms / 60000)}));
      return;
    }
    uint64_t delay = 0;
    if (status == 409) {
      delay = std::min(policy.conflict_wait_ms, policy.cap_ms);
    } else {
      // Full jitter: uniform in [0, min(cap, base * factor^(attempt-1))).
      double r01 = random01;
      if (!(r01 >= 0.0)) r01 = 0.0;  // also NaN
      if (r01 > 1.0) r01 = 1.0;
      double ceiling = static_cast<double>(policy.base_ms) * std::pow(policy.factor, r.attempts - 1);
      double cap = static_cast<double>(policy.cap_ms);
      if (!(ceiling <= cap)) ceiling = cap;  // also NaN and inf
      if (ceiling < 0.0) ceiling = 0.0;
      delay = static_cast<uint64_t>(r01 * ceiling);
      if (delay > policy.cap_ms) delay = policy.cap_ms;
    }
    delay = std::max(delay, retry_after_ms);
    r.state = BatchState::waiting;
    r.ready_at = add_sat(now_ms, delay);
    r.wait_reason = std::move(reason);
  }

  void apply_cancel() {
    for (size_t b = 0; b < runs.size(); ++b) {
      BatchRun& r = runs[b];
      if (r.state == BatchState::waiting) {
        finish_unconfirmed(
            b, "unconfirmed",
            format_message("unconfirmed", {std::to_string(r.attempts),
                                           r.last_detail + "; the import was cancelled before the next attempt"}));
      } else if (r.state == BatchState::pending) {
        if (r.ever_sent) {
          // A "Retry unconfirmed" round cancelled before this batch went out again: still unconfirmed.
          finish_unconfirmed(b, r.unconfirmed_code, r.unconfirmed_message);
        } else {
          r.state = BatchState::cancelled;
          set_rows(b, Outcome::cancelled, "cancelled", format_message("cancelled"));
        }
      }
    }
  }

  Action send(size_t b) {
    BatchRun& r = runs[b];
    r.state = BatchState::in_flight;
    r.attempts += 1;
    r.ever_sent = true;
    in_flight = b;
    Action a;
    a.kind = Action::send;
    a.batch = b;
    return a;
  }
};

Submitter::Submitter(std::vector<Batch> batches, RetryPolicy policy) : impl_(std::make_shared<Impl>()) {
  Impl& s = *impl_;
  s.batches = std::move(batches);
  s.policy = policy;
  s.runs.resize(s.batches.size());
  size_t pos = 0;
  for (size_t b = 0; b < s.batches.size(); ++b) {
    s.runs[b].first_row = pos;
    const Batch& batch = s.batches[b];
    for (size_t i = 0; i < batch.rows.size(); ++i) {
      uint32_t index = i < batch.indices.size() ? batch.indices[i] : 0;
      s.by_index.emplace(index, pos + i);  // first wins if a caller planned a row twice
    }
    pos += batch.rows.size();
  }
  s.outcomes.resize(pos);
}

Action Submitter::next(uint64_t now_ms) {
  Impl& s = *impl_;
  if (s.in_flight != kNone) {
    // Misuse (next() before the response was reported): never send a second request meanwhile.
    Action a;
    a.kind = Action::wait;
    a.batch = s.in_flight;
    a.reason = "waiting for the response";
    return a;
  }
  if (s.cancelled) s.apply_cancel();
  // A batch in backoff goes before any batch put back by retry_unconfirmed.
  for (size_t b = 0; b < s.runs.size(); ++b) {
    const BatchRun& r = s.runs[b];
    if (r.state != BatchState::waiting) continue;
    if (now_ms < r.ready_at) {
      Action a;
      a.kind = Action::wait;
      a.batch = b;
      a.delay_ms = r.ready_at - now_ms;
      a.reason = r.wait_reason;
      return a;
    }
    return s.send(b);
  }
  for (size_t b = 0; b < s.runs.size(); ++b) {
    if (s.runs[b].state == BatchState::pending) return s.send(b);
  }
  return Action{};
}

void Submitter::on_response(size_t batch, int status, std::string_view retry_after, std::string_view body,
                            uint64_t now_ms, uint64_t now_epoch_ms, double random01, bool replayed) {
  Impl& s = *impl_;
  if (batch != s.in_flight) return;  // stale or duplicate report
  if (status <= 0) {                 // fetch wrappers report a dropped connection as status 0
    on_network_error(batch, false, now_ms, random01);
    return;
  }
  s.in_flight = kNone;
  const std::string detail = "the last one got HTTP " + status_text(status);
  if (status >= 200 && status < 300) {
    std::vector<RowOutcome> results;
    std::string problem;
    if (read_results(body, s.batches[batch].rows, &results, &problem)) {
      s.runs[batch].state = BatchState::finished;
      if (replayed && !s.runs[batch].maybe_ours) {
        // Another tab, a reload or an earlier run sent these bytes first: its rows, not this run's.
        for (RowOutcome& o : results) {
          if (o.outcome != Outcome::created && o.outcome != Outcome::invited) continue;
          if (o.code.empty()) {  // accept_link_withheld says more than replayed_invite
            o.code = o.outcome == Outcome::invited ? "replayed_invite" : "replayed";
            o.message = format_message(o.code);
          }
          o.outcome = Outcome::replayed;
        }
      }
      for (size_t i = 0; i < results.size(); ++i) s.outcomes[s.runs[batch].first_row + i] = std::move(results[i]);
    } else {
      s.runs[batch].maybe_ours = true;  // a 2xx: the server did process it
      s.finish_unconfirmed(batch, "bad_response", format_message("bad_response", {problem}));
    }
    return;
  }
  // A 500, 502 or 504 may come from a proxy after the server committed the batch.
  if (status == 500 || status == 502 || status == 504) s.runs[batch].maybe_ours = true;
  if (retryable_status(status) || status == 409) {
    s.retry_later(batch, status, wait_reason_for(status), detail, parse_retry_after_ms(retry_after, now_epoch_ms),
                  now_ms, random01);
    return;
  }
  if (status >= 400 && status < 500) {
    std::string code, message;
    error_of_body(body, &code, &message);
    if (status == 422 && code == "idempotency_key_reused") {
      s.finish_failed(batch, code, format_message(code));
      return;
    }
    if (message.empty()) message = status_phrase(status);
    if (message.empty()) message = "no message";
    s.finish_failed(batch, "http_error", format_message("http_error", {std::to_string(status), message}));
    return;
  }
  // 1xx, 3xx and other 5xx: the request may have been processed; resending with the key is the safe path.
  s.runs[batch].maybe_ours = true;
  s.finish_unconfirmed(batch, "bad_response",
                       format_message("bad_response", {"unexpected HTTP " + status_text(status)}));
}

void Submitter::on_network_error(size_t batch, bool timeout, uint64_t now_ms, double random01) {
  Impl& s = *impl_;
  if (batch != s.in_flight) return;  // stale or duplicate report
  s.in_flight = kNone;
  s.runs[batch].maybe_ours = true;  // the request may have been processed and its answer lost
  s.retry_later(batch, 0, timeout ? "timeout" : "network error",
                timeout ? "the last one timed out" : "the last one failed with a network error", 0, now_ms, random01);
}

void Submitter::cancel() {
  impl_->cancelled = true;
  impl_->apply_cancel();
}

void Submitter::retry_unconfirmed() {
  Impl& s = *impl_;
  bool any = false;
  for (size_t b = 0; b < s.runs.size(); ++b) {
    BatchRun& r = s.runs[b];
    if (r.state != BatchState::unconfirmed) continue;
    r.state = BatchState::pending;
    r.attempts = 0;
    r.ready_at = 0;
    s.set_rows(b, Outcome::pending, "", "");
    any = true;
  }
  if (any) s.cancelled = false;  // the user asked for a new round
}

bool Submitter::cancelled() const { return impl_->cancelled; }

const std::vector<Batch>& Submitter::batches() const { return impl_->batches; }

const std::vector<RowOutcome>& Submitter::outcomes() const { return impl_->outcomes; }

const RowOutcome* Submitter::row_outcome(uint32_t data_row_index) const {
  auto it = impl_->by_index.find(data_row_index);
  return it == impl_->by_index.end() ? nullptr : &impl_->outcomes[it->second];
}

Progress Submitter::progress() const {
  const Impl& s = *impl_;
  Progress p;
  p.rows_total = s.outcomes.size();
  for (const RowOutcome& o : s.outcomes) {
    switch (o.outcome) {
      case Outcome::pending: continue;
      case Outcome::created:
      case Outcome::invited: ++p.succeeded; break;
      case Outcome::replayed: ++p.replayed; break;
      case Outcome::failed: ++p.failed; break;
      case Outcome::unconfirmed: ++p.unconfirmed; break;
      case Outcome::cancelled: ++p.cancelled; break;
      case Outcome::deselected: break;
    }
    ++p.rows_done;
  }
  p.batches_total = s.runs.size();
  for (const BatchRun& r : s.runs) {
    if (r.state == BatchState::finished || r.state == BatchState::unconfirmed || r.state == BatchState::cancelled) {
      ++p.batches_done;
    } else if (r.state == BatchState::in_flight) {
      p.attempt = static_cast<size_t>(r.attempts);
    } else if (r.state == BatchState::waiting) {
      p.attempt = static_cast<size_t>(r.attempts) + 1;
    }
  }
  return p;
}

// ---- Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date in any of its three formats.
namespace {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t year_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool lit(std::string_view t) {
    if (s.size() - i < t.size()) return false;
    for (size_t k = 0; k < t.size(); ++k) {
      if (lower(s[i + k]) != lower(t[k])) return false;
    }
    i += t.size();
    return true;
  }
  bool digits(size_t n, int* out) {
    if (s.size() - i < n) return false;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    i += n;
    return true;
  }
  bool one_of(std::initializer_list<const char*> words, int* index) {
    int k = 0;
    for (const char* w : words) {
      if (lit(w)) {
        *index = k;
        return true;
      }
      ++k;
    }
    return false;
  }
  bool end() const { return i == s.size(); }
};

bool month(Cursor& c, int* m) {
  int k = 0;
  if (!c.one_of({"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}, &k)) {
    return false;
  }
  *m = k + 1;
  return true;
}

bool time_of_day(Cursor& c, int* h, int* mi, int* se) {
  return c.digits(2, h) && c.lit(":") && c.digits(2, mi) && c.lit(":") && c.digits(2, se);
}

// Seconds since the epoch, or false. `now_year` resolves RFC 850's two-digit years.
bool parse_http_date(std::string_view v, int64_t now_year, int64_t* out) {
  int d = 0, m = 0, y = 0, h = 0, mi = 0, se = 0, k = 0;
  bool ok = false;
  {  // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    Cursor c{v};
    ok = c.one_of({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}, &k) && c.lit(", ") && c.digits(2, &d) &&
         c.lit(" ") && month(c, &m) && c.lit(" ") && c.digits(4, &y) && c.lit(" ") && time_of_day(c, &h, &mi, &se) &&
         c.lit(" GMT") && c.end();
  }
  if (!ok) {  // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    Cursor c{v};
    int yy = 0;
    ok = c.one_of({"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}, &k) && c.lit(", ") &&
         c.digits(2, &d) && c.lit("-") && month(c, &m) && c.lit("-") && c.digits(2, &yy) && c.lit(" ") &&
         time_of_day(c, &h, &mi, &se) && c.lit(" GMT") && c.end();
    if (ok) {
      // RFC 9110: a two-digit year more than 50 years ahead means the most recent past such year.
      int64_t year = now_year - now_year % 100 + yy;
      if (year > now_year + 50) year -= 100;
      y = static_cast<int>(year);
    }
  }
  if (!ok) {  // asctime: Sun Nov  6 08:49:37 1994
    Cursor c{v};
    ok = c.one_of({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}, &k) && c.lit(" ") && month(c, &m) && c.lit(" ");
    if (ok) {
      if (c.lit(" ")) {
        ok = c.digits(1, &d);
      } else {
        ok = c.digits(2, &d);
      }
    }
    ok = ok && c.lit(" ") && time_of_day(c, &h, &mi, &se) && c.lit(" ") && c.digits(4, &y) && c.end();
  }
  if (!ok) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int dim = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d < 1 || d > dim || h > 23 || mi > 59 || se > 60) return false;  // 60: leap second
  *out = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

}  // namespace

uint64_t parse_retry_after_ms(std::string_view value, uint64_t now_epoch_ms) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return 0;
  bool all_digits = true;
  for (char c : value) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    uint64_t seconds = 0;
    for (char c : value) {
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (seconds > (kMaxU64 / 1000 - d) / 10) return kMaxU64 / 1000 * 1000;  // saturate
      seconds = seconds * 10 + d;
    }
    return seconds * 1000;
  }
  const int64_t now_days = static_cast<int64_t>(now_epoch_ms / 86400000);
  int64_t at = 0;
  if (!parse_http_date(value, year_from_days(now_days), &at) || at < 0) return 0;
  uint64_t at_ms = static_cast<uint64_t>(at) * 1000;
  return at_ms > now_epoch_ms ? at_ms - now_epoch_ms : 0;
}

}  // namespace canopy
