// Encoding detection and conversion to UTF-8: BOM -> strict UTF-8 -> UTF-16 without a BOM -> the legacy
// readings judged on a sample (detection.h: plausibility of the words, ICU's and uchardet's votes, unsure
// when it cannot tell) -> the WHATWG decoder of the encoding (decoder.h). ICU data must be loaded first
// (icu_data.h).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "detect/detection.h"
#include "detect/votes.h"

namespace canopy {

struct DecodeResult {
  std::string text;      // UTF-8, BOM removed
  std::string encoding;  // canonical name shown to the user: "UTF-8", "windows-1252", ...
  int confidence = 0;    // 0..100
  bool had_bom = false;
  std::string method;  // "bom" | "utf8" | "detected" | "fallback" | "override"
  // A detected legacy encoding: the readings worth showing, the one used first; `unsure` asks the user
  // to pick (detection.h).
  bool unsure = false;
  std::vector<EncodingCandidate> candidates;
};

// Names offered in the override dropdown, in display order.
const std::vector<std::string_view>& supported_encodings();

// The WHATWG name of a user-given name or label ("latin1" -> "windows-1252"), empty if unsupported.
std::string canonical_encoding(std::string_view name);

// `override_encoding` empty = detect. `votes`: the detectors' votes on detection_sample(bytes); null
// asks `vote_source` for them, or fails with detectors_needed when that is null too (wasm: the page
// loads the detectors module). Fatal errors: binary_file (NUL byte outside UTF-16), undecodable (invalid
// bytes in a forced encoding), unknown_encoding, tables_needed (the encoding's table file is not
// installed yet: encoding_tables.h), detectors_needed. On tables_needed, detectors_needed and
// undecodable `bytes` is left as it was (the caller retries or reports); otherwise it is consumed.
Result<DecodeResult> decode_to_utf8(std::string&& bytes, std::string_view override_encoding = {},
                                    const DetectorVotes* votes = nullptr, VoteSource vote_source = nullptr);

// Strict UTF-8 check (no overlongs, no surrogates, <= U+10FFFF). Returns the offset of the first
// invalid byte, or npos. SIMD ASCII fast path.
size_t find_invalid_utf8(const char* data, size_t size);

}  // namespace canopy
