#include "submit/submitter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/messages.h"
#include "submit/retry_after.h"

namespace canopy {
namespace {

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
  std::string wait_code, wait_args;  // Action::reason_code/_args while waiting
  std::string last_detail;           // what the last attempt got, as unconfirmed's nested argument (last_http 503)
  std::string unconfirmed_code, unconfirmed_args;  // restored if a resend round is cancelled
  size_t first_row = 0;                            // into Impl::outcomes
};

uint64_t add_sat(uint64_t a, uint64_t b) { return a > kMaxU64 - b ? kMaxU64 : a + b; }

// Short reason shown while waiting (Action::reason_code and its arguments, packed).
std::string wait_reason_for(int status) {
  switch (status) {
    case 429: return pack_args({"wait_rate_limited"});
    case 409: return pack_args({"wait_in_flight"});
    case 502: return pack_args({"wait_bad_gateway"});
    case 503: return pack_args({"wait_busy"});
    case 504: return pack_args({"wait_gateway_timeout"});
    default: return pack_args({"wait_server_error", std::to_string(status)});
  }
}

// A nested message (its code, then its arguments, packed) as its own code and arguments.
void split_nested(const std::string& nested, std::string* code, std::string* args) {
  const size_t end = nested.find(kArgEnd);
  *code = nested.substr(0, end);
  *args = end == std::string::npos ? std::string() : nested.substr(end + 1);
}

// unconfirmed's arguments: the attempts made and what the last one got (a nested code), perhaps with
// "the import was cancelled before the next attempt" around it.
std::string unconfirmed_args(int attempts, const std::string& last, bool cancelled_after) {
  std::string packed = pack_args({std::to_string(attempts)});
  if (cancelled_after) append_arg(packed, "cancelled_after");
  packed += last;
  return packed;
}

bool retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

struct Submitter::Impl {
  std::vector<Batch> batches;
  RetryPolicy policy;
  std::vector<BatchRun> runs;
  std::vector<RowOutcome> outcomes;
  std::unordered_map<uint32_t, size_t> by_index;
  bool cancelled = false;
  size_t in_flight = kNone;

  // Every row of batch `b`: `outcome`, with our catalogue code and its arguments (packed).
  void set_rows(size_t b, Outcome outcome, const std::string& code, const std::string& args) {
    const std::string message = format_packed(code, args);
    for (size_t i = 0; i < batches[b].rows.size(); ++i) {
      RowOutcome& o = outcomes[runs[b].first_row + i];
      o = RowOutcome{};
      o.outcome = outcome;
      o.code = code;
      o.message = message;
      o.args = args;
    }
  }

  void finish_unconfirmed(size_t b, const std::string& code, const std::string& args) {
    BatchRun& r = runs[b];
    r.state = BatchState::unconfirmed;
    r.unconfirmed_code = code;
    r.unconfirmed_args = args;
    set_rows(b, Outcome::unconfirmed, code, args);
  }

  void finish_failed(size_t b, const std::string& code, const std::string& args) {
    runs[b].state = BatchState::finished;
    set_rows(b, Outcome::failed, code, args);
  }

  // A transient failure of the attempt just made: wait and resend, or give up as unconfirmed.
  // `reason`: the wait's nested code and arguments (wait_reason_for); `detail`: what the attempt got
  // (last_http ...), both packed.
  void retry_later(size_t b, int status, const std::string& reason, std::string detail, uint64_t retry_after_ms,
                   uint64_t now_ms, double random01) {
    BatchRun& r = runs[b];
    r.last_detail = std::move(detail);
    const int max_attempts = std::max(1, policy.max_attempts);
    if (r.attempts >= max_attempts) {
      finish_unconfirmed(b, "unconfirmed", unconfirmed_args(r.attempts, r.last_detail, false));
      return;
    }
    if (cancelled) {
      // It was sent at least once and nothing confirmed it: the server may have the rows.
      finish_unconfirmed(b, "unconfirmed", unconfirmed_args(r.attempts, r.last_detail, true));
      return;
    }
    if (retry_after_ms > policy.max_retry_after_ms) {
      const uint64_t seconds = retry_after_ms / 1000 + (retry_after_ms % 1000 != 0);
      finish_unconfirmed(b, "retry_after_too_long",
                         pack_args({std::to_string(seconds), std::to_string(status),
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
    split_nested(reason, &r.wait_code, &r.wait_args);
  }

  void apply_cancel() {
    for (size_t b = 0; b < runs.size(); ++b) {
      BatchRun& r = runs[b];
      if (r.state == BatchState::waiting) {
        finish_unconfirmed(b, "unconfirmed", unconfirmed_args(r.attempts, r.last_detail, true));
      } else if (r.state == BatchState::pending) {
        if (r.ever_sent) {
          // A "Retry unconfirmed" round cancelled before this batch went out again: still unconfirmed.
          finish_unconfirmed(b, r.unconfirmed_code, r.unconfirmed_args);
        } else {
          r.state = BatchState::cancelled;
          set_rows(b, Outcome::cancelled, "cancelled", std::string());
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

Submitter::Submitter(std::vector<Batch> batches, RetryPolicy policy) : impl_(std::make_unique<Impl>()) {
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

Submitter::Submitter(Submitter&&) noexcept = default;
Submitter& Submitter::operator=(Submitter&&) noexcept = default;
Submitter::~Submitter() = default;

Action Submitter::next(uint64_t now_ms) {
  Impl& s = *impl_;
  if (s.in_flight != kNone) {
    // Misuse (next() before the response was reported): never send a second request meanwhile.
    Action a;
    a.kind = Action::wait;
    a.batch = s.in_flight;
    a.reason_code = "wait_response";
    a.reason = format_packed(a.reason_code, a.reason_args);
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
      a.reason_code = r.wait_code;
      a.reason_args = r.wait_args;
      a.reason = format_packed(a.reason_code, a.reason_args);
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
  std::string detail = pack_args({"last_http", std::to_string(status)});
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
      s.finish_unconfirmed(batch, "bad_response", problem);
    }
    return;
  }
  // A 500, 502 or 504 may come from a proxy after the server committed the batch.
  if (status == 500 || status == 502 || status == 504) s.runs[batch].maybe_ours = true;
  if (retryable_status(status) || status == 409) {
    s.retry_later(batch, status, wait_reason_for(status), std::move(detail),
                  parse_retry_after_ms(retry_after, now_epoch_ms), now_ms, random01);
    return;
  }
  if (status >= 400 && status < 500) {
    std::string code, message;
    error_of_body(body, &code, &message);
    if (status == 422 && code == "idempotency_key_reused") {
      s.finish_failed(batch, code, std::string());
      return;
    }
    // The server's own words when it gave some (or the status's standard phrase), else "no message".
    if (message.empty()) message = status_phrase(status);
    s.finish_failed(batch, "http_error",
                    message.empty() ? pack_args({std::to_string(status), "no_message"})
                                    : pack_args({std::to_string(status), "server_said", message}));
    return;
  }
  // 1xx, 3xx and other 5xx: the request may have been processed; resending with the key is the safe path.
  s.runs[batch].maybe_ours = true;
  s.finish_unconfirmed(batch, "bad_response", pack_args({"response_unexpected_http", std::to_string(status)}));
}

void Submitter::on_network_error(size_t batch, bool timeout, uint64_t now_ms, double random01) {
  Impl& s = *impl_;
  if (batch != s.in_flight) return;  // stale or duplicate report
  s.in_flight = kNone;
  s.runs[batch].maybe_ours = true;  // the request may have been processed and its answer lost
  s.retry_later(batch, 0, pack_args({timeout ? "wait_timeout" : "wait_network_error"}),
                pack_args({timeout ? "last_timeout" : "last_network_error"}), 0, now_ms, random01);
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

}  // namespace canopy
