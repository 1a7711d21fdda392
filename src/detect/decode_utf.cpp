// The UTF-8 and UTF-16 decoders of the Encoding Standard (sections 8.1.1 and 8.3.1).
#include <algorithm>
#include <cstring>

#include "core/simd.h"
#include "detect/decoder_families.h"
#include "detect/encoding.h"

namespace canopy {

bool decode_utf8(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& cp = c.s[0];
  uint32_t& needed = c.s[1];
  uint32_t& seen = c.s[2];
  uint32_t& bounds = c.s[3];  // lower | upper << 8
  size_t i = 0;
  while (i < n) {
    if (needed == 0) {
      // Valid text is copied as it is, checked a window at a time; the window starts small after an
      // error (text full of errors is not checked again and again) and grows while the text is valid.
      const size_t len = std::min<size_t>(n - i, c.window);
      const size_t bad = find_invalid_utf8(reinterpret_cast<const char*>(p + i), len);
      const size_t good = bad == std::string::npos ? len : bad;
      std::memcpy(c.w, p + i, good);
      c.w += good;
      i += good;
      if (bad == std::string::npos) {
        if (c.window < (1u << 16)) c.window *= 2;
        continue;
      }
      c.window = 64;
      // p[i] starts a sequence that is invalid or ends beyond the window: byte by byte.
    }
    const uint8_t b = p[i];
    if (needed == 0) {
      uint32_t lower = 0x80, upper = 0xBF;
      if (b < 0x80) {
        *c.w++ = static_cast<char>(b);
        ++i;
        continue;
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2;
        cp = b & 0xF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3;
        cp = b & 0x7;
      } else {
        if (!c.error(i, false)) return false;
        ++i;
        continue;
      }
      bounds = lower | upper << 8;
      c.open(i);
      ++i;
      continue;
    }
    if (b < (bounds & 0xFF) || b > (bounds >> 8)) {
      cp = needed = seen = 0;
      if (!c.error(i, true)) return false;
      continue;  // the byte again
    }
    bounds = 0x80 | 0xBF << 8;
    cp = cp << 6 | (b & 0x3F);
    ++i;
    if (++seen == needed) {
      c.put(cp);
      cp = needed = seen = 0;
    }
  }
  if (last && needed) {
    cp = needed = seen = 0;
    return c.error(n, true);
  }
  return true;
}

bool decode_utf16(Core& c, const uint8_t* p, size_t n, bool last, bool be) {
  uint32_t& lead_byte = c.s[0];  // 0x100 | the byte, 0 = none
  uint32_t& lead_surrogate = c.s[1];
  size_t i = 0;
  while (i < n) {
    if (!lead_byte && !lead_surrogate) {
      // Whole code units that are no surrogates, straight to UTF-8 (ASCII eight units at a time).
      while (i + 2 <= n) {
        const uint8_t* q = p + i;
        simd::copy_ascii_utf16(q, p + n, c.w, be);
        i = static_cast<size_t>(q - p);
        if (i + 2 > n) break;
        const uint32_t u = be ? (p[i] << 8 | p[i + 1]) : (p[i] | p[i + 1] << 8);
        if (u >= 0xD800 && u <= 0xDFFF) break;
        c.put(u);
        i += 2;
      }
      if (i >= n) break;
    }
    if (!lead_byte) {
      if (!lead_surrogate) c.open(i);
      lead_byte = 0x100 | p[i++];
      continue;
    }
    const uint32_t lb = lead_byte & 0xFF;
    const uint32_t unit = be ? (lb << 8 | p[i]) : (p[i] << 8 | lb);
    lead_byte = 0;
    ++i;
    const uint64_t unit_at = c.base + i - 2;  // the code unit's first byte (maybe in the piece before)
    if (lead_surrogate) {
      const uint32_t ls = lead_surrogate;
      lead_surrogate = 0;
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        c.put(0x10000 + ((ls - 0xD800) << 10) + (unit - 0xDC00));
        continue;
      }
      if (!c.error(i, true)) return false;
      // The code unit again.
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      lead_surrogate = unit;
      c.seq_start = unit_at;
      continue;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      c.seq_start = unit_at;
      if (!c.error(i, true)) return false;
      continue;
    }
    c.put(unit);
  }
  if (last && (lead_byte || lead_surrogate)) {
    lead_byte = lead_surrogate = 0;
    return c.error(n, true);
  }
  return true;
}

}  // namespace canopy
