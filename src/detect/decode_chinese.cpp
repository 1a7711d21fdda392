// The Chinese decoders of the Encoding Standard (sections 10 and 11): gb18030 (GBK too) on index
// gb18030 (enc-gb.bin) and index gb18030 ranges (built in), Big5 on index big5 (enc-big5.bin).
#include <algorithm>
#include <iterator>

#include "detect/decode_ascii_run.h"
#include "detect/decoder_families.h"

namespace canopy {
namespace {

struct Range {
  uint32_t pointer, code_point;
};
constexpr Range kRanges[] = {
#include "gb18030_ranges.inc"
};

}  // namespace

uint32_t gb18030_ranges_code_point(uint32_t pointer) {
  if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) return 0;
  if (pointer == 7457) return 0xE7C7;
  // The last range whose pointer is <= pointer.
  const Range* r = std::upper_bound(std::begin(kRanges), std::end(kRanges), pointer,
                                    [](uint32_t v, const Range& x) { return v < x.pointer; });
  --r;
  return r->code_point + pointer - r->pointer;
}

bool decode_gb18030(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& first = c.s[0];
  uint32_t& second = c.s[1];
  uint32_t& third = c.s[2];
  size_t i = 0;
  while (i < n) {
    if (!first) copy_ascii_run(p, i, n, c.w);
    if (i >= n) break;
    const uint8_t b = p[i];
    if (third) {
      if (b < 0x30 || b > 0x39) {
        // second, third and the byte again: the digit is itself, the third byte a new first.
        if (!c.error(i, true)) return false;
        c.put(second);
        first = third;
        second = third = 0;
        c.seq_start = c.base + i - 1;
        continue;
      }
      const uint32_t pointer =
          (first - 0x81) * (10 * 126 * 10) + (second - 0x30) * (10 * 126) + (third - 0x81) * 10 + b - 0x30;
      const uint32_t cp = gb18030_ranges_code_point(pointer);
      first = second = third = 0;
      if (!cp) {
        if (!c.error(i, true)) return false;
      } else {
        c.put(cp);
      }
      ++i;
      continue;
    }
    if (second) {
      if (b >= 0x81 && b <= 0xFE) {
        third = b;
        ++i;
        continue;
      }
      // second and the byte again: the digit is itself.
      if (!c.error(i, true)) return false;
      c.put(second);
      first = second = 0;
      continue;
    }
    if (first) {
      if (b >= 0x30 && b <= 0x39) {
        second = b;
        ++i;
        continue;
      }
      const uint32_t lead = first;
      first = 0;
      const uint32_t offset = b < 0x7F ? 0x40 : 0x41;
      if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE)) {
        if (const uint32_t cp = c.tables.gb18030.at((lead - 0x81) * 190 + b - offset)) {
          c.put(cp);
          ++i;
          continue;
        }
      }
      if (!c.error(i, true)) return false;
      if (b >= 0x80) ++i;  // an ASCII byte is decoded again
      continue;
    }
    if (b == 0x80) {
      c.put(0x20AC);
    } else if (b >= 0x81 && b <= 0xFE) {
      first = b;
      c.open(i);
    } else if (!c.error(i, false)) {
      return false;
    }
    ++i;
  }
  if (last && (first || second || third)) {
    first = second = third = 0;
    return c.error(n, true);
  }
  return true;
}

bool decode_big5(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& lead = c.s[0];
  size_t i = 0;
  while (i < n) {
    if (!lead) copy_ascii_run(p, i, n, c.w);
    if (i >= n) break;
    const uint8_t b = p[i];
    if (lead) {
      const uint32_t l = lead;
      lead = 0;
      const uint32_t offset = b < 0x7F ? 0x40 : 0x62;
      if ((b >= 0x40 && b <= 0x7E) || (b >= 0xA1 && b <= 0xFE)) {
        const uint32_t pointer = (l - 0x81) * 157 + b - offset;
        // The four pointers that are two code points each.
        uint32_t pair = 0;
        switch (pointer) {
          case 1133: pair = 0x00CA0304; break;
          case 1135: pair = 0x00CA030C; break;
          case 1164: pair = 0x00EA0304; break;
          case 1166: pair = 0x00EA030C; break;
          default: break;
        }
        if (pair) {
          c.put(pair >> 16);
          c.put(pair & 0xFFFF);
          ++i;
          continue;
        }
        if (const uint32_t cp = c.tables.big5.at(pointer)) {
          c.put(cp);
          ++i;
          continue;
        }
      }
      if (!c.error(i, true)) return false;
      if (b >= 0x80) ++i;
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
