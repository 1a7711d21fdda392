// WHATWG Encoding Standard decoders: bytes in any of the encodings of encodings.h, fed piece by piece
// (a piece may end anywhere, inside a multi-byte sequence too), to UTF-8. In replacement mode the text
// is exactly what `new TextDecoder(label, {ignoreBOM: true})` gives for the same bytes (U+FFFD where the
// standard's error rules put one, which differ per decoder); in fatal mode decoding stops at the first
// error and says at which byte of the stream the bad sequence starts. A BOM is text unless skip_bom
// says to drop the encoding's own BOM at the start (TextDecoder's default; decode_to_utf8 decides what
// a BOM means for a whole file). The CLI's stream and the tests feed it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "detect/encodings.h"

namespace canopy {

class StreamDecoder {
 public:
  // skip_bom: a UTF-8 / UTF-16LE / UTF-16BE BOM of this encoding at the start of the stream is dropped
  // (offsets still count it); false reads it as U+FEFF, as TextDecoder with ignoreBOM does.
  StreamDecoder(EncodingId id, bool fatal, bool skip_bom = false);

  // Appends the text of [p, p + n) to out_utf8; `last` ends the stream (a sequence still open is an
  // error). False when decoding stopped: a fatal error (error_offset() says where), or a table this
  // encoding needs is not installed (missing_table() names its file). Once false, it stays false.
  bool feed(const char* p, size_t n, bool last, std::string& out_utf8);
  // Whether a BOM was dropped (skip_bom).
  bool dropped_bom() const { return bom_dropped_; }

  // Stream offset of the first byte of the sequence that failed (fatal mode).
  size_t error_offset() const { return static_cast<size_t>(error_at_); }
  bool failed() const { return failed_; }
  // The table file ("enc-jis.bin") this encoding needs and that is not installed; empty when none.
  std::string_view missing_table() const;
  EncodingId encoding() const { return info_->id; }
  // Bytes fed so far.
  uint64_t consumed() const { return consumed_; }

  // Decoder state, for the families' functions (decoder_families.h); not for callers.
  struct Core;

 private:
  const EncodingInfo* info_;
  bool fatal_;
  bool failed_ = false;
  uint64_t error_at_ = 0;
  uint64_t consumed_ = 0;  // bytes fed so far
  std::string_view bom_;   // skip_bom: the BOM still to be matched at the start (empty: decided)
  std::string bom_seen_;   // the bytes of a BOM matched so far across pieces
  bool bom_dropped_ = false;
  bool decode(const uint8_t* p, size_t n, bool last, std::string& out);
  uint64_t seq_start_ = 0;
  uint32_t state_[4] = {};
  uint32_t window_ = 64;  // UTF-8: bytes the next vector check covers (grows while the text is valid)
  // Single-byte: the UTF-8 of bytes 0x80..0xFF, packed (bytes in order, length in bits 24-25, bit 31:
  // no code point, U+FFFD).
  uint32_t single_byte_utf8_[128] = {};
};

// The line (1-based) that byte `offset` of `bytes` in encoding `id` is on: line breaks (LF, CRLF, a lone
// CR) before it, counted as code units in UTF-16 (every other encoding writes them as ASCII bytes).
size_t line_at(EncodingId id, std::string_view bytes, size_t offset);

// The undecodable error for bytes that fail at `offset` (a stream offset) on `line`.
Error undecodable_error(EncodingId id, size_t offset, size_t line);

// The whole of `bytes` at once. Fatal errors: `undecodable` {encoding name, byte offset, line} in fatal
// mode; `tables_needed` {table file} when the encoding's tables are not installed (the wasm wrapper
// fetches the file, installs it and asks again).
Result<std::string> decode_bytes(EncodingId id, std::string_view bytes, bool fatal);

}  // namespace canopy
