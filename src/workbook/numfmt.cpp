#include "workbook/numfmt.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace canopy::workbook {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Days since 1970-01-01 to y-m-d (H. Hinnant's civil_from_days).
void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

// The sections of a format code, split at ';' outside quotes, brackets and escapes.
std::vector<std::string_view> sections(std::string_view code) {
  std::vector<std::string_view> out;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      const size_t close = code.find(']', i);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == ';') {
      out.push_back(code.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(code.substr(start));
  return out;
}

struct Token {
  enum Kind { literal, digit, point, comma, percent, exponent, slash } kind;
  std::string text;  // literal text; digit: "0" "#" "?"; exponent: "+" or "-" then its digit placeholders
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> t;
  auto lit = [&t](std::string text) {
    if (!t.empty() && t.back().kind == Token::literal) t.back().text += text;
    else t.push_back({Token::literal, std::move(text)});
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      const size_t close = s.find('"', i + 1);
      const size_t end = close == std::string_view::npos ? s.size() : close;
      lit(std::string(s.substr(i + 1, end - i - 1)));
      i = end;
    } else if (c == '\\') {
      if (i + 1 < s.size()) lit(std::string(1, s[++i]));
    } else if (c == '_' || c == '*') {
      ++i;  // a space as wide as the next character / a fill: nothing a CSV cell should hold
    } else if (c == '[') {
      const size_t close = s.find(']', i);
      const size_t end = close == std::string_view::npos ? s.size() : close;
      std::string_view in = s.substr(i + 1, end - i - 1);
      if (!in.empty() && in[0] == '$') {  // [$€-407]: the currency symbol, then a locale
        in.remove_prefix(1);
        lit(std::string(in.substr(0, in.find('-'))));
      }
      i = end;
    } else if (c == '0' || c == '#' || c == '?') {
      t.push_back({Token::digit, std::string(1, c)});
    } else if (c == '.') {
      t.push_back({Token::point, "."});
    } else if (c == ',') {
      t.push_back({Token::comma, ","});
    } else if (c == '%') {
      t.push_back({Token::percent, "%"});
    } else if ((c == 'E' || c == 'e') && i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) {
      std::string e(1, s[i + 1]);
      i += 2;
      while (i < s.size() && (s[i] == '0' || s[i] == '#' || s[i] == '?')) e += s[i++];
      --i;
      t.push_back({Token::exponent, e});
    } else if (c == '/') {
      t.push_back({Token::slash, "/"});
    } else {
      lit(std::string(1, c));
    }
  }
  return t;
}

std::string group_thousands(const std::string& digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string render(double v, std::string_view section, bool negative_sign) {
  std::vector<Token> t = tokenize(section);
  size_t point = t.size();
  int percent = 0;
  bool has_digit = false, scientific = false;
  std::string exp_spec;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::point && point == t.size()) point = i;
    if (t[i].kind == Token::percent) ++percent;
    if (t[i].kind == Token::digit) has_digit = true;
    if (t[i].kind == Token::slash) return format_general(negative_sign ? -v : v);  // fractions: General
    if (t[i].kind == Token::exponent) scientific = true, exp_spec = t[i].text;
  }
  for (int i = 0; i < percent; ++i) v *= 100;
  // Integer placeholders, decimals, thousands grouping and trailing-comma scaling.
  std::vector<size_t> int_digits, frac_digits;
  bool grouping = false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::digit) (i < point ? int_digits : frac_digits).push_back(i);
  }
  if (!int_digits.empty()) {
    for (size_t i = int_digits.front(); i < int_digits.back(); ++i) {
      if (t[i].kind == Token::comma) grouping = true;
    }
    for (size_t i = int_digits.back() + 1; i < t.size() && t[i].kind == Token::comma; ++i) v /= 1000;
  }
  if (!std::isfinite(v)) return format_general(negative_sign ? -v : v);  // %%%% past the largest double
  std::vector<std::string> out(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::literal || t[i].kind == Token::percent) out[i] = t[i].text;
  }
  // More decimals than a double holds are zeros; past 30 they are not written.
  const int decimals = static_cast<int>(std::min<size_t>(frac_digits.size(), 30));
  frac_digits.resize(static_cast<size_t>(decimals));
  std::string exp_text;
  if (scientific && v != 0) {
    int e = static_cast<int>(std::floor(std::log10(std::fabs(v))));
    const int int_places = std::max<int>(1, static_cast<int>(int_digits.size()));
    if (int_places > 1) e -= ((e % int_places) + int_places) % int_places;  // engineering: ##0.0E+0
    else e -= int_places - 1;
    double m = v / std::pow(10.0, e);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, m);
    if (std::fabs(std::atof(buf)) >= std::pow(10.0, int_places)) {
      e += int_places;
      m = v / std::pow(10.0, e);
    }
    v = m;
    const std::string pad = exp_spec.substr(1);
    std::string digits = std::to_string(std::abs(e));
    size_t zeros = 0;
    for (char c : pad) zeros += c == '0';
    if (digits.size() < zeros) digits.insert(0, zeros - digits.size(), '0');
    exp_text = std::string(1, 'E') + (e < 0 ? "-" : (exp_spec[0] == '+' ? "+" : "")) + digits;
  } else if (scientific) {
    exp_text = "E+" + std::string(std::max<size_t>(1, exp_spec.size() - 1), '0');
  }
  std::string num(static_cast<size_t>(std::snprintf(nullptr, 0, "%.*f", decimals, v)) + 1, '\0');
  num.resize(static_cast<size_t>(std::snprintf(num.data(), num.size(), "%.*f", decimals, v)));
  if (num[0] == '-') num.erase(0, 1);
  const size_t dot = num.find('.');
  std::string ip = num.substr(0, dot), fp = dot == std::string::npos ? "" : num.substr(dot + 1);
  const bool is_zero = std::fabs(v) < 0.5 * std::pow(10.0, -decimals);
  if (ip == "0") ip.clear();
  // Integer part: right to left over the placeholders; digits left over go to the leftmost one.
  if (!int_digits.empty()) {
    if (grouping) {
      size_t zeros = 0;
      for (size_t i : int_digits) zeros += t[i].text == "0";
      std::string d = ip;
      if (d.size() < zeros) d.insert(0, zeros - d.size(), '0');
      out[int_digits.front()] = group_thousands(d);
    } else {
      size_t k = ip.size();
      for (size_t j = int_digits.size(); j-- > 0;) {
        const std::string& ph = t[int_digits[j]].text;
        if (k > 0) out[int_digits[j]] = std::string(1, ip[--k]);
        else out[int_digits[j]] = ph == "0" ? "0" : (ph == "?" ? " " : "");
      }
      if (k > 0) out[int_digits.front()] = ip.substr(0, k) + out[int_digits.front()];
    }
  }
  // Decimals: left to right; trailing zeros of # are dropped, of ? become spaces.
  size_t last_needed = 0;
  for (size_t j = 0; j < fp.size(); ++j) {
    if (fp[j] != '0' || t[frac_digits[j]].text == "0") last_needed = j + 1;
  }
  for (size_t j = 0; j < frac_digits.size(); ++j) {
    const std::string& ph = t[frac_digits[j]].text;
    if (j < last_needed) out[frac_digits[j]] = std::string(1, fp[j]);
    else out[frac_digits[j]] = ph == "0" ? "0" : (ph == "?" ? " " : "");
  }
  if (point < t.size()) out[point] = ".";
  std::string result;
  if (negative_sign && !is_zero) result = "-";
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind == Token::exponent) result += exp_text;
    else result += out[i];
  }
  if (!has_digit && !scientific && result.empty()) return format_general(v);
  return result;
}

}  // namespace

std::string_view builtin_format(int id) {
  switch (id) {
    case 0: return "General";
    case 1: return "0";
    case 2: return "0.00";
    case 3: return "#,##0";
    case 4: return "#,##0.00";
    case 5: return "\"$\"#,##0_);\\(\"$\"#,##0\\)";
    case 6: return "\"$\"#,##0_);[Red]\\(\"$\"#,##0\\)";
    case 7: return "\"$\"#,##0.00_);\\(\"$\"#,##0.00\\)";
    case 8: return "\"$\"#,##0.00_);[Red]\\(\"$\"#,##0.00\\)";
    case 9: return "0%";
    case 10: return "0.00%";
    case 11: return "0.00E+00";
    case 12: return "# ?/?";
    case 13: return "# ?\?/?\?";
    case 14: return "mm-dd-yy";
    case 15: return "d-mmm-yy";
    case 16: return "d-mmm";
    case 17: return "mmm-yy";
    case 18: return "h:mm AM/PM";
    case 19: return "h:mm:ss AM/PM";
    case 20: return "h:mm";
    case 21: return "h:mm:ss";
    case 22: return "m/d/yy h:mm";
    case 37: return "#,##0 ;(#,##0)";
    case 38: return "#,##0 ;[Red](#,##0)";
    case 39: return "#,##0.00;(#,##0.00)";
    case 40: return "#,##0.00;[Red](#,##0.00)";
    case 45: return "mm:ss";
    case 46: return "[h]:mm:ss";
    case 47: return "mmss.0";
    case 48: return "##0.0E+0";
    case 49: return "@";
    default:
      // 27-36 and 50-58 are the East Asian locales' date formats.
      if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return "yyyy-mm-dd";
      return "General";
  }
}

bool is_date_format(std::string_view code) {
  if (iequals(code, "General")) return false;
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = lower(code[i]);
    if (quoted) {
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '\\' || c == '_' || c == '*') ++i;
    else if (c == '[') {
      const size_t close = code.find(']', i);
      if (close == std::string_view::npos) return false;
      const std::string_view in = code.substr(i + 1, close - i - 1);
      if (!in.empty() && (lower(in[0]) == 'h' || lower(in[0]) == 'm' || lower(in[0]) == 's') &&
          in.find_first_not_of("hHmMsS") == std::string_view::npos)
        return true;  // elapsed time [h]
      i = close;
    } else if (c == ';') {
      return false;  // only the first section decides
    } else if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') {
      return true;
    }
  }
  return false;
}

std::string format_date(double serial, bool date1904, std::string_view code) {
  if (!(serial >= 0) || serial > 2958465.99999) return format_general(serial);
  bool has_date = false, has_time = false, has_m = false, elapsed = false;
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = lower(code[i]);
    if (quoted) {
      if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == '\\' || c == '_' || c == '*') ++i;
    else if (c == '[') {
      const size_t close = code.find(']', i);
      if (close == std::string_view::npos) break;
      const std::string_view in = code.substr(i + 1, close - i - 1);
      if (!in.empty() && in.find_first_not_of("hHmMsS") == std::string_view::npos) elapsed = has_time = true;
      i = close;
    } else if (c == ';') break;
    else if (c == 'y' || c == 'd') has_date = true;
    else if (c == 'h' || c == 's') has_time = true;
    else if (c == 'm') has_m = true;
  }
  if (has_m && !has_time) has_date = true;  // m with no hour or second near it is the month
  long long days = static_cast<long long>(std::floor(serial));
  long long secs = std::llround((serial - static_cast<double>(days)) * 86400.0);
  if (secs >= 86400) {
    ++days;
    secs -= 86400;
  }
  char buf[64];
  std::string time;
  if (has_time) {
    const long long h = elapsed ? days * 24 + secs / 3600 : secs / 3600;
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", h, (secs / 60) % 60, secs % 60);
    time = buf;
    if (elapsed) return time;
  }
  if (!has_date) return time;
  std::string date;
  if (!date1904 && days == 60) {
    date = "1900-02-29";  // Excel's 1900 system has the leap day 1900 never had
  } else if (!date1904 && days == 0) {
    return format_general(serial);
  } else {
    // 1900 system: serial 1 is 1900-01-01 and, past the fictitious 1900-02-29, days since 1899-12-30.
    const long long epoch =
        date1904 ? -24107 : (days < 60 ? -25568 : -25569);  // days of 1904-01-01 / 1899-12-31 / 1899-12-30
    long long y;
    unsigned m, d;
    civil_from_days(days + epoch, y, m, d);
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y, m, d);
    date = buf;
  }
  return has_time ? date + "T" + time : date;
}

std::string normalize_iso_datetime(std::string_view v) {
  auto digits = [&v](size_t from, size_t n) {
    if (v.size() < from + n) return false;
    for (size_t i = from; i < from + n; ++i) {
      if (v[i] < '0' || v[i] > '9') return false;
    }
    return true;
  };
  if (!digits(0, 4) || v.size() < 10 || v[4] != '-' || !digits(5, 2) || v[7] != '-' || !digits(8, 2)) {
    return std::string(v);
  }
  if (v.size() == 10) return std::string(v);
  if (v[10] != 'T' || !digits(11, 2) || v.size() < 19 || v[13] != ':' || !digits(14, 2) || v[16] != ':' ||
      !digits(17, 2))
    return std::string(v);
  size_t end = 19;
  bool zero_fraction = true;
  if (end < v.size() && v[end] == '.') {
    ++end;
    while (end < v.size() && v[end] >= '0' && v[end] <= '9') zero_fraction &= v[end++] == '0';
  }
  const std::string_view zone = v.substr(end);
  if (!(zone.empty() || zone == "Z")) return std::string(v);  // an offset: keep what the writer said
  if (v.substr(11, 8) == "00:00:00" && zero_fraction) return std::string(v.substr(0, 10));
  return std::string(zero_fraction ? v.substr(0, 19) : v.substr(0, end));
}

std::string format_general(double v) {
  if (!std::isfinite(v)) return v != v ? "NaN" : (v < 0 ? "-Infinity" : "Infinity");
  if (v == 0) return "0";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.15g", v);
  std::string s = buf;
  const size_t e = s.find('e');
  if (e == std::string::npos) return s;
  // Expand the exponent: 1.23456789012346e+20 -> 123456789012346000000.
  const int exp = std::atoi(s.c_str() + e + 1);
  std::string mant = s.substr(0, e);
  const bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  const size_t dot = mant.find('.');
  std::string digits = dot == std::string::npos ? mant : mant.substr(0, dot) + mant.substr(dot + 1);
  int point = (dot == std::string::npos ? static_cast<int>(mant.size()) : static_cast<int>(dot)) + exp;
  std::string out;
  if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (point >= static_cast<int>(digits.size())) {
    out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
  }
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return neg ? "-" + out : out;
}

std::string format_number(double v, std::string_view code, bool date1904) {
  if (!std::isfinite(v)) return format_general(v);
  if (code.empty() || iequals(code, "General") || code == "@") return format_general(v);
  std::vector<std::string_view> s = sections(code);
  std::string_view section = s[0];
  bool sign = v < 0;
  if (v < 0 && s.size() >= 2 && !s[1].empty()) {
    section = s[1];
    sign = false;
    v = -v;
  } else if (v == 0 && s.size() >= 3 && !s[2].empty()) {
    section = s[2];
  } else if (v < 0) {
    v = -v;
  }
  if (iequals(section, "General") || section.find('@') != std::string_view::npos) {
    return format_general(sign ? -v : v);
  }
  if (is_date_format(section)) return format_date(sign ? -v : v, date1904, section);
  return render(v, section, sign);
}

}  // namespace canopy::workbook
