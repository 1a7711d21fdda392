// The single-byte decoder of the Encoding Standard (section 9.1): ASCII as it is, bytes 0x80..0xFF
// through the encoding's index (built in, generated from the standard's), written as UTF-8 straight
// from a table of their UTF-8 bytes; runs of ASCII are copied 16 bytes at a time.
#include <cstring>

#include "core/simd.h"
#include "detect/decoder_families.h"

namespace canopy {

size_t single_byte_utf8_bytes(const uint32_t* table, const uint8_t* p, size_t n) {
  size_t extra = 0;  // bytes beyond one per input byte
  size_t i = 0;
  for (; n - i >= 64; i += 64) {
    uint64_t high = simd::Block(p + i).high_bits();
    while (high) {
      extra += ((table[p[i + static_cast<size_t>(simd::ctz64(high))] - 0x80] >> 24) & 3) - 1;
      high &= high - 1;
    }
  }
  for (; i < n; ++i)
    if (p[i] >= 0x80) extra += ((table[p[i] - 0x80] >> 24) & 3) - 1;
  return n + extra;
}

bool decode_single_byte(Core& c, const uint8_t* p, size_t n, bool /*last*/) {
  const uint32_t* table = c.single_byte_utf8;
  const uint8_t* q = p;
  const uint8_t* end = p + n;
  char* w = c.w;
  while (q < end) {
    simd::copy_ascii(q, end, w);
    for (; q < end && *q >= 0x80; ++q) {
      const uint32_t e = table[*q - 0x80];
      if ((e >> 31) && c.fatal) {
        c.w = w;
        c.error_at = c.base + static_cast<uint64_t>(q - p);
        return false;
      }
      std::memcpy(w, &e, 4);  // little endian: the UTF-8 bytes in order (the fourth is overwritten)
      w += (e >> 24) & 3;
    }
  }
  c.w = w;
  return true;
}

}  // namespace canopy
