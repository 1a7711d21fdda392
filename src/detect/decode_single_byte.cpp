// The single-byte decoder of the Encoding Standard (section 9.1): ASCII as it is, bytes 0x80..0xFF
// through the encoding's index (built in, generated from the standard's).
#include <cstring>

#include "core/simd.h"
#include "detect/decoder_families.h"

namespace canopy {

bool decode_single_byte(Core& c, const uint8_t* p, size_t n, bool /*last*/) {
  const uint16_t* table = c.info.table;
  size_t i = 0;
  while (i < n) {
    // Runs of ASCII 64 bytes at a time.
    while (n - i >= 64) {
      const uint64_t high = simd::Block(p + i).high_bits();
      const size_t run = high ? static_cast<size_t>(simd::ctz64(high)) : 64;
      std::memcpy(c.w, p + i, 64);  // the output has room; only `run` bytes count
      c.w += run;
      i += run;
      if (run < 64) break;
    }
    if (i >= n) break;
    const uint8_t b = p[i];
    if (b < 0x80) {
      *c.w++ = static_cast<char>(b);
    } else if (const uint32_t cp = table[b - 0x80]) {
      c.put(cp);
    } else if (!c.error(i, false)) {
      return false;
    }
    ++i;
  }
  return true;
}

}  // namespace canopy
