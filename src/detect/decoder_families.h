// Inside the decoders (decoder.h): the state one feed() hands to a family's decoding function, and
// those functions, one file per family (decode_utf.cpp, decode_single_byte.cpp, decode_japanese.cpp,
// decode_chinese.cpp, decode_korean.cpp). Each follows its algorithm in the Encoding Standard step by
// step; "prepend byte to stream" is "decode this byte again" (the loop does not advance), and the
// state bytes a decoder prepends are decoded from the state.
#pragma once
#include <cstddef>
#include <cstdint>

#include "detect/decoder.h"
#include "detect/encoding_tables.h"

namespace canopy {

struct StreamDecoder::Core {
  const EncodingInfo& info;
  const EncodingTables& tables;
  bool fatal;
  uint32_t* s;                       // the decoder's state (leads, flags): four words, zero at the start
  uint64_t base;                     // stream offset of p[0]
  uint64_t& seq_start;               // stream offset of the first byte of the open sequence
  uint32_t& window;                  // UTF-8's vector window
  char* w;                           // where the next UTF-8 byte goes (room for max_utf8_bytes)
  const uint32_t* single_byte_utf8;  // single-byte: StreamDecoder::single_byte_utf8_
  uint64_t error_at = 0;

  // Output bytes one call may write at most for n input bytes (3 per byte, the open sequence's
  // bytes again, Big5's two code points, and a vector store past the end).
  static size_t max_utf8_bytes(size_t n) { return 3 * n + 32; }

  void put(uint32_t c) {
    if (c < 0x80) {
      *w++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *w++ = static_cast<char>(0xC0 | (c >> 6));
      *w++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *w++ = static_cast<char>(0xE0 | (c >> 12));
      *w++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *w++ = static_cast<char>(0xF0 | (c >> 18));
      *w++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *w++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  // Marks a sequence open at p[i].
  void open(size_t i) { seq_start = base + i; }
  // An error: U+FFFD, or (fatal) stop. `open` = the error ends a sequence that started before p[i]
  // (its offset is seq_start), else it is p[i] itself (i may be the end: the end of the stream).
  bool error(size_t i, bool open_seq) {
    if (fatal) {
      error_at = open_seq ? seq_start : base + i;
      return false;
    }
    *w++ = static_cast<char>(0xEF);
    *w++ = static_cast<char>(0xBF);
    *w++ = static_cast<char>(0xBD);
    return true;
  }
};

// Each decodes p[0, n) (and, when `last`, the end of the stream) into c.w. False: a fatal error
// (c.error_at says where).
using Core = StreamDecoder::Core;
bool decode_utf8(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_utf16(Core& c, const uint8_t* p, size_t n, bool last, bool big_endian);
bool decode_single_byte(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_shift_jis(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_euc_jp(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_iso_2022_jp(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_gb18030(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_big5(Core& c, const uint8_t* p, size_t n, bool last);
bool decode_euc_kr(Core& c, const uint8_t* p, size_t n, bool last);

// The UTF-8 bytes single-byte text p[0, n) becomes (table: StreamDecoder::single_byte_utf8_).
size_t single_byte_utf8_bytes(const uint32_t* table, const uint8_t* p, size_t n);

// index gb18030 ranges code point (0 = none).
uint32_t gb18030_ranges_code_point(uint32_t pointer);

}  // namespace canopy
