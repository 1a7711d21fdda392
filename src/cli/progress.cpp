#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "cli/chunked.h"

namespace canopy::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int terminal_width() {
  struct winsize w {};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 80;
}

std::string duration_text(double s) {
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

}  // namespace

ProgressDisplay::ProgressDisplay(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1) {
  start_ = last_draw_ = last_line_ = Clock::now();
}

std::string ProgressDisplay::rate_text(const ProgressSnapshot& s) const {
  const double el = seconds_since(start_);
  if (el < 0.5 || s.rows_done == 0) return {};
  return with_commas(static_cast<uint64_t>(static_cast<double>(s.rows_done) / el)) + " rows/s";
}

void ProgressDisplay::draw(const ProgressSnapshot& s) {
  std::string text;
  const bool known = s.bytes_total > 0;
  const double frac =
      known ? std::min(1.0, static_cast<double>(s.bytes_done) / static_cast<double>(s.bytes_total)) : 0.0;
  if (known) {
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(frac * kWidth);
    text += "[" + std::string(static_cast<size_t>(filled), '#') +
            std::string(static_cast<size_t>(kWidth - filled), '.') + "] ";
    char pct[8];
    std::snprintf(pct, sizeof pct, "%3d%% ", static_cast<int>(frac * 100));
    text += pct;
  }
  text += with_commas(s.rows_done) + " rows  " + with_commas(s.succeeded) + " ok";
  if (s.failed) text += "  " + with_commas(s.failed) + " failed";
  if (s.invalid) text += "  " + with_commas(s.invalid) + " invalid";
  if (s.unconfirmed) text += "  " + with_commas(s.unconfirmed) + " unconfirmed";
  const std::string rate = rate_text(s);
  if (!rate.empty()) text += "  " + rate;
  if (known && frac > 0.02 && frac < 1.0) text += "  ETA " + duration_text(seconds_since(start_) * (1.0 - frac) / frac);
  const size_t width = static_cast<size_t>(terminal_width() - 1);
  if (text.size() > width) text.resize(width);
  std::fprintf(stderr, "\r\x1b[K%s", text.c_str());
  std::fflush(stderr);
  bar_shown_ = true;
}

void ProgressDisplay::line(const ProgressSnapshot& s) {
  std::string text = "canopy-import: " + with_commas(s.rows_done) + " rows";
  if (s.bytes_total) {
    const double frac = std::min(1.0, static_cast<double>(s.bytes_done) / static_cast<double>(s.bytes_total));
    text += " (" + std::to_string(static_cast<int>(frac * 100)) + "%)";
  }
  text += ": " + with_commas(s.succeeded) + " created or invited, " + with_commas(s.failed) + " failed, " +
          with_commas(s.invalid) + " not sent (row errors), " + with_commas(s.unconfirmed) + " unconfirmed; " +
          with_commas(s.batches_done) + (s.batches_done == 1 ? " batch" : " batches");
  if (s.batches_from_state) text += " (" + with_commas(s.batches_from_state) + " from the state file)";
  if (text == last_text_) return;  // the closing line after a chunk's milestone says nothing new
  last_text_ = text;
  const std::string rate = rate_text(s);
  if (!rate.empty()) text += "; " + rate;
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

void ProgressDisplay::update(const ProgressSnapshot& s, bool milestone) {
  if (quiet_) return;
  if (tty_) {
    if (milestone || seconds_since(last_draw_) >= 0.1) {
      draw(s);
      last_draw_ = Clock::now();
    }
    return;
  }
  // Plain lines: one per chunk, but not more often than every 2 s; and one every 10 s while a slow
  // chunk is going.
  const double since = seconds_since(last_line_);
  if ((milestone && since >= 2.0) || since >= 10.0) {
    line(s);
    last_line_ = Clock::now();
  }
}

void ProgressDisplay::note(const std::string& text) {
  if (quiet_) return;
  if (tty_ && bar_shown_) std::fprintf(stderr, "\r\x1b[K");
  std::fprintf(stderr, "canopy-import: %s\n", text.c_str());
  std::fflush(stderr);
  bar_shown_ = false;
}

void ProgressDisplay::finish(const ProgressSnapshot& s) {
  if (quiet_) return;
  if (tty_) {
    draw(s);
    std::fprintf(stderr, "\n");
    bar_shown_ = false;
  } else {
    line(s);
  }
}

}  // namespace canopy::cli
