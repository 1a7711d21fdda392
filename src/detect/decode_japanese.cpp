// The Japanese decoders of the Encoding Standard (section 12): EUC-JP, ISO-2022-JP and Shift_JIS, on
// index jis0208 (and jis0212 for EUC-JP), both from enc-jis.bin.
#include "detect/decode_ascii_run.h"
#include "detect/decoder_families.h"

namespace canopy {

bool decode_euc_jp(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& lead = c.s[0];
  uint32_t& jis0212 = c.s[1];
  size_t i = 0;
  while (i < n) {
    if (!lead) copy_ascii_run(p, i, n, c.w);
    if (i >= n) break;
    const uint8_t b = p[i];
    if (lead == 0x8E && b >= 0xA1 && b <= 0xDF) {
      lead = 0;
      c.put(0xFF61 - 0xA1 + b);
      ++i;
      continue;
    }
    if (lead == 0x8F && b >= 0xA1 && b <= 0xFE) {
      jis0212 = 1;
      lead = b;
      ++i;
      continue;
    }
    if (lead) {
      const uint32_t l = lead;
      lead = 0;
      uint32_t cp = 0;
      if (l >= 0xA1 && l <= 0xFE && b >= 0xA1 && b <= 0xFE) {
        const uint32_t pointer = (l - 0xA1) * 94 + b - 0xA1;
        cp = jis0212 ? c.tables.jis0212.at(pointer) : c.tables.jis0208.at(pointer);
      }
      jis0212 = 0;
      if (cp) {
        c.put(cp);
        ++i;
        continue;
      }
      if (!c.error(i, true)) return false;
      if (b >= 0x80) ++i;  // an ASCII byte is decoded again
      continue;
    }
    if (b == 0x8E || b == 0x8F || (b >= 0xA1 && b <= 0xFE)) {
      lead = b;
      c.open(i);
    } else if (!c.error(i, false)) {
      return false;
    }
    ++i;
  }
  if (last && lead) {
    lead = jis0212 = 0;
    return c.error(n, true);
  }
  return true;
}

bool decode_shift_jis(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& lead = c.s[0];
  size_t i = 0;
  while (i < n) {
    if (!lead) copy_ascii_run(p, i, n, c.w);
    if (i >= n) break;
    const uint8_t b = p[i];
    if (lead) {
      const uint32_t l = lead;
      lead = 0;
      const uint32_t offset = b < 0x7F ? 0x40 : 0x41;
      const uint32_t lead_offset = l < 0xA0 ? 0x81 : 0xC1;
      if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFC)) {
        const uint32_t pointer = (l - lead_offset) * 188 + b - offset;
        if (pointer >= 8836 && pointer <= 10715) {  // the user-defined area: the Private Use Area
          c.put(0xE000 - 8836 + pointer);
          ++i;
          continue;
        }
        if (const uint32_t cp = c.tables.jis0208.at(pointer)) {
          c.put(cp);
          ++i;
          continue;
        }
      }
      if (!c.error(i, true)) return false;
      if (b >= 0x80) ++i;
      continue;
    }
    if (b == 0x80) {
      c.put(0x80);
    } else if (b >= 0xA1 && b <= 0xDF) {
      c.put(0xFF61 - 0xA1 + b);
    } else if ((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)) {
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

namespace {

enum Iso2022State : uint32_t { kAscii, kRoman, kKatakana, kLeadByte, kTrailByte, kEscapeStart, kEscape };
constexpr int kEnd = -1;  // end of stream

// One step of the ISO-2022-JP decoder for `b` (a byte or kEnd) at p[i]. Returns 1 when the byte is
// consumed (or the stream finished), 0 when it is to be decoded again, -1 on a fatal error.
int iso_2022_jp_step(Core& c, int b, size_t i) {
  uint32_t& state = c.s[0];
  uint32_t& output_state = c.s[1];
  uint32_t& lead = c.s[2];
  uint32_t& output_flag = c.s[3];
  auto error = [&](bool open_seq, int then) { return c.error(i, open_seq) ? then : -1; };
  switch (state) {
    case kAscii:
    case kRoman:
    case kKatakana:
    case kLeadByte:
      if (b == 0x1B) {
        state = kEscapeStart;
        c.open(i);
        return 1;
      }
      if (b == kEnd) return 1;
      output_flag = 0;
      if (state == kAscii && b <= 0x7F && b != 0x0E && b != 0x0F) {
        c.put(static_cast<uint32_t>(b));
        return 1;
      }
      if (state == kRoman && b <= 0x7F && b != 0x0E && b != 0x0F) {
        c.put(b == 0x5C ? 0xA5 : b == 0x7E ? 0x203E : static_cast<uint32_t>(b));
        return 1;
      }
      if (state == kKatakana && b >= 0x21 && b <= 0x5F) {
        c.put(0xFF61 - 0x21 + static_cast<uint32_t>(b));
        return 1;
      }
      if (state == kLeadByte && b >= 0x21 && b <= 0x7E) {
        lead = static_cast<uint32_t>(b);
        state = kTrailByte;
        c.open(i);
        return 1;
      }
      return error(false, 1);
    case kTrailByte:
      if (b == 0x1B) {
        state = kEscapeStart;
        const int r = error(true, 1);
        c.open(i);
        return r;
      }
      state = kLeadByte;
      if (b >= 0x21 && b <= 0x7E) {
        const uint32_t cp = c.tables.jis0208.at((lead - 0x21) * 94 + static_cast<uint32_t>(b) - 0x21);
        if (!cp) return error(true, 1);
        c.put(cp);
        return 1;
      }
      return error(true, b == kEnd ? 0 : 1);
    case kEscapeStart:
      if (b == 0x24 || b == 0x28) {
        lead = static_cast<uint32_t>(b);
        state = kEscape;
        return 1;
      }
      output_flag = 0;
      state = output_state;
      return error(true, 0);
    case kEscape: {
      const uint32_t l = lead;
      lead = 0;
      int next = -1;
      if (l == 0x28 && b == 0x42) next = kAscii;
      else if (l == 0x28 && b == 0x4A) next = kRoman;
      else if (l == 0x28 && b == 0x49) next = kKatakana;
      else if (l == 0x24 && (b == 0x40 || b == 0x42)) next = kLeadByte;
      if (next >= 0) {
        state = output_state = static_cast<uint32_t>(next);
        const bool output = output_flag;
        output_flag = 1;
        return output ? error(true, 1) : 1;
      }
      // The lead ('$' or '(') and the byte again, in the state before the escape.
      output_flag = 0;
      state = output_state;
      if (!c.error(i, true)) return -1;
      iso_2022_jp_step(c, static_cast<int>(l), i);  // never an error: '$' and '(' decode in every state
      return 0;
    }
  }
  return 1;
}

}  // namespace

bool decode_iso_2022_jp(Core& c, const uint8_t* p, size_t n, bool last) {
  uint32_t& state = c.s[0];
  size_t i = 0;
  while (i < n) {
    if (state == kAscii) {  // the fast path: plain ASCII text
      const size_t from = i;
      while (i < n && p[i] < 0x80 && p[i] != 0x1B && p[i] != 0x0E && p[i] != 0x0F) *c.w++ = static_cast<char>(p[i++]);
      if (i > from) c.s[3] = 0;  // output flag
      if (i >= n) break;
    }
    const int r = iso_2022_jp_step(c, p[i], i);
    if (r < 0) return false;
    i += static_cast<size_t>(r);
  }
  if (last) {
    for (;;) {
      const int r = iso_2022_jp_step(c, kEnd, n);
      if (r < 0) return false;
      if (r == 1) break;
    }
  }
  return true;
}

}  // namespace canopy
