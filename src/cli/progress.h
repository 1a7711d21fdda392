// Submit progress on stderr: a bar redrawn in place when stderr is a terminal, plain lines (one per
// chunk, at most one every few seconds otherwise) when it is a pipe or a log file.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace canopy::cli {

struct ProgressSnapshot {
  uint64_t rows_read = 0;  // data rows read from the file so far
  uint64_t rows_done = 0;  // rows with an outcome (answered, not sent because invalid, cancelled)
  uint64_t succeeded = 0, failed = 0, invalid = 0, unconfirmed = 0;
  uint64_t replayed = 0;  // created by an earlier attempt (the server replayed its answer)
  uint64_t batches_done = 0, batches_from_state = 0;
  uint64_t bytes_done = 0, bytes_total = 0;  // input bytes; total 0 when unknown (a pipe)
};

class ProgressDisplay {
 public:
  explicit ProgressDisplay(bool quiet);
  // Redraws the bar (at most 10 times a second) or, with `milestone`, prints a plain line.
  void update(const ProgressSnapshot& s, bool milestone);
  // A line that stays: a retry, a warning. Clears the bar first.
  void note(const std::string& text);
  void finish(const ProgressSnapshot& s);  // last bar / line, then a line break on a terminal
  bool tty() const { return tty_; }

 private:
  void draw(const ProgressSnapshot& s);
  void line(const ProgressSnapshot& s);
  std::string rate_text(const ProgressSnapshot& s) const;

  bool quiet_;
  bool tty_;
  bool bar_shown_ = false;
  std::string last_text_;
  std::chrono::steady_clock::time_point start_, last_draw_, last_line_;
};

}  // namespace canopy::cli
