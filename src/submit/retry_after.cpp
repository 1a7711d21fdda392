#include "submit/retry_after.h"

#include <initializer_list>
#include <limits>

namespace canopy {
namespace {

constexpr uint64_t kMaxU64 = std::numeric_limits<uint64_t>::max();

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
