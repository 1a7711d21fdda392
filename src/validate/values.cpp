// Cell-value helpers shared by the validator, the batch planner and the exports.
#include <array>
#include <cstdint>

#include "mapping/schema.h"
#include "validate/text_scan.h"
#include "validate/validator.h"

namespace canopy {

std::string_view trim_value(std::string_view raw) {
  // Nearly every cell starts and ends with a printable ASCII character: nothing to trim.
  if (detail::plain_ends(raw)) return raw;
  size_t begin = 0, end = raw.size();
  while (begin < end) {
    const size_t n = detail::space_at(raw, begin);
    if (n == 0) break;
    begin += n;
  }
  while (end > begin) {
    const size_t n = detail::space_before(raw, end);
    if (n == 0) break;
    end -= n;
  }
  return raw.substr(begin, end - begin);
}

std::optional<bool> parse_send_email(std::string_view trimmed) {
  if (trimmed.empty()) return true;
  return boolean_word(trimmed);
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return false;
  // 0x1 marks a hex digit; one table load per character instead of three range tests.
  static const auto kHex = [] {
    std::array<uint8_t, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = 1;
    for (int c = 'a'; c <= 'f'; ++c) t[static_cast<size_t>(c)] = 1;
    for (int c = 'A'; c <= 'F'; ++c) t[static_cast<size_t>(c)] = 1;
    return t;
  }();
  unsigned ok = 1;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) continue;
    ok &= kHex[static_cast<unsigned char>(s[i])];
  }
  return ok != 0;
}

}  // namespace canopy
