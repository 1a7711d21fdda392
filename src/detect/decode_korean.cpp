// The Korean decoder of the Encoding Standard (section 13): EUC-KR (the Unified Hangul Code of
// windows-949) on index euc-kr (enc-kr.bin).
#include "detect/decode_ascii_run.h"
#include "detect/decoder_families.h"

namespace canopy {

bool decode_euc_kr(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& lead = c.s[0];
  size_t i = 0;
  while (i < n) {
    if (!lead) copy_ascii_run(p, i, n, c.w);
    if (i >= n) break;
    const uint8_t b = p[i];
    if (lead) {
      const uint32_t l = lead;
      lead = 0;
      if (b >= 0x41 && b <= 0xFE) {
        if (const uint32_t cp = c.tables.euc_kr.at((l - 0x81) * 190 + b - 0x41)) {
          c.put(cp);
          ++i;
          continue;
        }
      }
      if (!c.error(i, true)) return false;
      if (b >= 0x80) ++i;  // an ASCII byte is decoded again
      continue;
    }
    if (b >= 0x81 && b <= 0xFE) {
      lead = b;
      c.open(i);
    } else if (!c.error(i, false)) {
      return false;
    }
    ++i;
  }
  if (last && lead) {
    lead = 0;
    return c.error(n, true);
  }
  return true;
}

}  // namespace canopy
