// The submit state machine (sans-I/O). The caller feeds it what happened ("response for batch k arrived
// with status S, Retry-After R and body B", "network error", "cancel") and asks what to do next (send
// batch k, wait d ms, done). Random numbers and the clock come from the caller, so tests drive every
// branch deterministically. One batch is in flight at a time.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "submit/plan.h"
#include "submit/response.h"

namespace canopy {

struct RetryPolicy {
  uint64_t base_ms = 500;
  double factor = 2.0;
  uint64_t cap_ms = 30000;
  int max_attempts = 6;
  uint64_t conflict_wait_ms = 1000;  // 409: same key still in flight (at most cap_ms; a longer
                                     // Retry-After wins)
  // The longest Retry-After honoured (5 minutes). A longer one ends the batch as unconfirmed with
  // retry_after_too_long instead of a wait: no caller (browser timer, CLI sleep) is told to wait longer.
  uint64_t max_retry_after_ms = 300000;
};

struct Action {
  enum Kind : uint8_t { send, wait, done } kind = done;
  size_t batch = 0;         // for send (and wait: the batch that will be sent after it)
  uint64_t delay_ms = 0;    // for wait
  std::string reason;       // for wait: "server busy (503)", "rate limited (429)", "network error" (English)
  std::string reason_code;  // the same as a catalogue code (wait_busy, wait_rate_limited, ...) and its
  std::string reason_args;  // arguments, packed, for the page to word in the user's language
};

struct Progress {
  size_t rows_total = 0, rows_done = 0;
  size_t batches_total = 0, batches_done = 0;
  size_t succeeded = 0, failed = 0, unconfirmed = 0, cancelled = 0;
  size_t replayed = 0;  // rows an earlier attempt (another tab, a reload, an earlier run) created
  size_t attempt = 0;   // current batch (1-based): the attempt in flight, or the next one while
                        // waiting; 0 when no batch is in flight or waiting
};

// Move-only: a copy would have to duplicate or share the run, and neither is what a caller means. A
// moved-from Submitter may only be assigned to or destroyed.
class Submitter {
 public:
  explicit Submitter(std::vector<Batch> batches, RetryPolicy policy = {});
  Submitter(const Submitter&) = delete;
  Submitter& operator=(const Submitter&) = delete;
  Submitter(Submitter&&) noexcept;
  Submitter& operator=(Submitter&&) noexcept;
  ~Submitter();

  // What to do now. `now_ms` is the caller's monotonic clock. After `send`, the caller performs the
  // request and reports back with on_response / on_network_error before calling next() again (called
  // earlier, next() returns `wait` with delay 0 for the in-flight batch and never sends twice).
  Action next(uint64_t now_ms);

  // `retry_after` is the raw header value (seconds or an HTTP date) or empty; `now_epoch_ms` is wall
  // time for HTTP dates; `random01` in [0,1) drives full jitter. Reports for a batch that is not in
  // flight are ignored. 2xx: results read per row (a body that breaks the contract makes the batch
  // unconfirmed, code bad_response); 429/500/502/503/504 and 409: retried; 422 idempotency_key_reused and
  // other 4xx: the rows fail; 1xx/3xx/other 5xx: unconfirmed (bad_response); status 0: network error.
  // `replayed`: the answer carried `Idempotent-Replayed: true`. Its created/invited rows are this run's
  // when an earlier attempt of this run may have reached the server (a lost answer, a timeout, a 5xx
  // that may have been processed), else an earlier attempt's (Outcome::replayed).
  void on_response(size_t batch, int status, std::string_view retry_after, std::string_view body, uint64_t now_ms,
                   uint64_t now_epoch_ms, double random01, bool replayed = false);
  void on_network_error(size_t batch, bool timeout, uint64_t now_ms, double random01);

  // The in-flight batch still completes and is recorded (a retryable answer then makes it unconfirmed
  // instead of waiting); batches never sent become cancelled; a batch waiting to retry, or one that was
  // sent in an earlier round, becomes unconfirmed (the server may have its rows).
  void cancel();
  // Unconfirmed batches go back to pending with fresh attempt counters, same keys and bodies. Starts a
  // new round: clears the cancel flag when there is something to resend (cancelled batches stay so).
  void retry_unconfirmed();
  bool cancelled() const;

  const std::vector<Batch>& batches() const;
  // Outcome of each planned row, indexed like the batches' rows (batch-major order).
  const std::vector<RowOutcome>& outcomes() const;
  // The same, looked up by data-row index; null for a row that was not planned.
  const RowOutcome* row_outcome(uint32_t data_row_index) const;
  Progress progress() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace canopy
