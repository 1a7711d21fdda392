// Encoding detection and conversion to UTF-8: BOM -> strict UTF-8 -> ICU charset detection (a weak
// match falls back to windows-1252) -> the WHATWG decoder of the encoding (decoder.h). ICU data must be
// loaded first (icu_data.h).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace canopy {

struct DecodeResult {
  std::string text;      // UTF-8, BOM removed
  std::string encoding;  // canonical name shown to the user: "UTF-8", "windows-1252", ...
  int confidence = 0;    // 0..100
  bool had_bom = false;
  std::string method;  // "bom" | "utf8" | "detected" | "fallback" | "override"
};

// Names offered in the override dropdown, in display order.
const std::vector<std::string_view>& supported_encodings();

// The WHATWG name of a user-given name or label ("latin1" -> "windows-1252"), empty if unsupported.
std::string canonical_encoding(std::string_view name);

// `override_encoding` empty = detect. Fatal errors: binary_file (NUL byte outside UTF-16),
// undecodable (invalid bytes in a forced encoding), unknown_encoding, tables_needed (the encoding's
// table file is not installed yet: encoding_tables.h).
Result<DecodeResult> decode_to_utf8(std::string bytes, std::string_view override_encoding = {});

// Strict UTF-8 check (no overlongs, no surrogates, <= U+10FFFF). Returns the offset of the first
// invalid byte, or npos. SIMD ASCII fast path.
size_t find_invalid_utf8(const char* data, size_t size);

}  // namespace canopy
