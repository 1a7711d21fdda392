// Private to validate/: byte-level UTF-8 scans that need no ICU call (the table text is valid UTF-8,
// the decoder guarantees it), so the per-cell checks stay allocation- and ICU-free on the happy path.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/simd.h"

namespace canopy::detail {

inline unsigned char byte_at(std::string_view s, size_t i) { return static_cast<unsigned char>(s[i]); }

// Length in bytes of the White_Space character (or U+FEFF, which spreadsheets leave behind as a
// zero-width no-break space) that starts at s[i]; 0 when there is none.
// White_Space: U+0009..000D, 0020, 0085, 00A0, 1680, 2000..200A, 2028, 2029, 202F, 205F, 3000.
inline size_t space_at(std::string_view s, size_t i) {
  const unsigned char b = byte_at(s, i);
  if (b == 0x20 || (b >= 0x09 && b <= 0x0D)) return 1;
  if (b < 0xC2) return 0;
  const size_t left = s.size() - i;
  if (b == 0xC2) return left >= 2 && (byte_at(s, i + 1) == 0x85 || byte_at(s, i + 1) == 0xA0) ? 2 : 0;
  if (left < 3) return 0;
  const unsigned char b1 = byte_at(s, i + 1), b2 = byte_at(s, i + 2);
  switch (b) {
    case 0xE1: return b1 == 0x9A && b2 == 0x80 ? 3 : 0;  // U+1680
    case 0xE2:
      if (b1 == 0x80) return (b2 <= 0x8A && b2 >= 0x80) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0;
      return b1 == 0x81 && b2 == 0x9F ? 3 : 0;           // U+205F
    case 0xE3: return b1 == 0x80 && b2 == 0x80 ? 3 : 0;  // U+3000
    case 0xEF: return b1 == 0xBB && b2 == 0xBF ? 3 : 0;  // U+FEFF
    default: return 0;
  }
}

// Length of the space character that ends just before s[end]; 0 when there is none.
inline size_t space_before(std::string_view s, size_t end) {
  if (end == 0) return 0;
  const unsigned char last = byte_at(s, end - 1);
  if (last < 0x80) return space_at(s, end - 1);
  if (end >= 2 && space_at(s, end - 2) == 2) return 2;
  if (end >= 3 && space_at(s, end - 3) == 3) return 3;
  return 0;
}

// Starts and ends with a printable ASCII character: nothing to trim (nearly every cell).
inline bool plain_ends(std::string_view s) {
  if (s.empty()) return true;
  const unsigned char first = byte_at(s, 0), last = byte_at(s, s.size() - 1);
  return first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F;
}

// Byte-equal. (Word by word: memcmp in the wasm build's libc compares a byte at a time.)
inline bool same_bytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return false;
  }
  for (; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Code points in valid UTF-8: every byte that is not a continuation byte starts one.
inline size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Both questions a name asks, in one pass: its length in code points, and whether it has a control
// character. General category Cc is fixed by Unicode's stability policy: U+0000..001F, U+007F..009F;
// the C1 range is C2 80..C2 9F in UTF-8.
struct TextScan {
  size_t code_points = 0;
  bool control = false;
};
inline TextScan scan_text(std::string_view s) {
  // Eight bytes at a time (names are short; a byte loop cost more than the rest of a name's checks).
  // Continuation bytes are 10xxxxxx; a control byte is below 0x20 or 0x7F; a 0xC2 may start a C1
  // control and sends the word through the exact byte loop.
  constexpr uint64_t k01 = 0x0101010101010101ull, k80 = 0x8080808080808080ull;
  size_t continuation = 0;
  bool control = false;
  for (size_t i = 0; i < s.size(); i += 8) {
    uint64_t w;
    if (s.size() - i >= 8) {
      std::memcpy(&w, s.data() + i, 8);
    } else {
      // 'A' pads the last word: neither a control nor a continuation byte. (A byte loop: a memcpy of
      // a variable length is a library call in the wasm build.)
      w = 0x4141414141414141ull;
      for (size_t k = 0; k < s.size() - i; ++k) {
        w = (w & ~(0xFFull << (8 * k))) | static_cast<uint64_t>(byte_at(s, i + k)) << (8 * k);
      }
    }
    continuation += static_cast<size_t>(simd::popcount64(w & ~(w << 1) & k80));
    const uint64_t del = w ^ (0x7F * k01), c2 = w ^ (0xC2 * k01);
    control |= ((((w - 0x20 * k01) & ~w) | ((del - k01) & ~del)) & k80) != 0;
    if (((c2 - k01) & ~c2 & k80) != 0) {
      for (size_t j = i; j < s.size() && j < i + 8; ++j) {
        if (byte_at(s, j) == 0xC2 && j + 1 < s.size() && byte_at(s, j + 1) <= 0x9F) control = true;
      }
    }
  }
  return TextScan{s.size() - continuation, control};
}

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace canopy::detail
