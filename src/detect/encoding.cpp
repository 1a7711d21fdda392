#include "detect/encoding.h"

#include <cctype>
#include <cstring>
#include <memory>

#include "core/messages.h"
#include "core/simd.h"
#include "detect/decoder.h"
#include "detect/detection.h"
#include "detect/encodings.h"

namespace canopy {
namespace {

// Scalar strict UTF-8 check of [i, n); returns the offset of the first bad byte or npos.
size_t validate_scalar(const uint8_t* s, size_t i, size_t n, size_t stop) {
  while (i < n && i < stop) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string::npos;
}

// First NUL byte.
size_t find_nul(const std::string& s) {
  const char* q = simd::find_byte(s.data(), s.data() + s.size(), '\0');
  return q ? static_cast<size_t>(q - s.data()) : std::string::npos;
}

// UTF-16 without a BOM: most ASCII text has a zero in every other byte.
const EncodingInfo* guess_utf16(const std::string& s) {
  const size_t n = std::min<size_t>(s.size() & ~size_t{1}, 4096);
  if (n < 4) return nullptr;
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i < n; i += 2) {
    even_zero += s[i] == 0;
    odd_zero += s[i + 1] == 0;
  }
  const size_t pairs = n / 2;
  if (odd_zero * 10 >= pairs * 7 && even_zero * 10 < pairs) return find_encoding("UTF-16LE");
  if (even_zero * 10 >= pairs * 7 && odd_zero * 10 < pairs) return find_encoding("UTF-16BE");
  return nullptr;
}

bool clean_utf8(const char* data, size_t size);  // below, beside the SIMD check it uses

// `bytes` is moved from only on success (and on binary_file): on tables_needed or undecodable the
// caller still has them.
Result<DecodeResult> decode_as(std::string& bytes, size_t skip, const EncodingInfo& enc, int confidence,
                               const char* method, bool bom) {
  DecodeResult r;
  r.encoding = std::string(enc.name);
  r.confidence = confidence;
  r.method = method;
  r.had_bom = bom;
  if (enc.id == EncodingId::utf8) {
    // Valid and NUL-free in one pass (the common case: Excel's "CSV UTF-8" has a BOM); else say where
    // it breaks, or let the NUL check below find the NUL.
    const bool clean = clean_utf8(bytes.data() + skip, bytes.size() - skip);
    if (!clean) {
      const size_t bad = find_invalid_utf8(bytes.data() + skip, bytes.size() - skip);
      if (bad != std::string::npos) {
        return undecodable_error(EncodingId::utf8, bad + skip, line_at(EncodingId::utf8, bytes, bad + skip));
      }
    }
    bytes.erase(0, skip);
    r.text = std::move(bytes);
    if (clean) return r;
  } else {
    StreamDecoder decoder(enc.id, true);
    if (auto table = decoder.missing_table(); !table.empty()) return make_error("tables_needed", {table});
    if (!decoder.feed(bytes.data() + skip, bytes.size() - skip, true, r.text)) {
      const size_t at = decoder.error_offset() + skip;
      return undecodable_error(enc.id, at, line_at(enc.id, bytes, at));
    }
  }
  const size_t nul = find_nul(r.text);
  if (nul != std::string::npos) return make_error("binary_file", {std::to_string(nul)});
  return r;
}

}  // namespace

const std::vector<std::string_view>& supported_encodings() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& e : all_encodings()) v.push_back(e.name);
    return v;
  }();
  return names;
}

std::string canonical_encoding(std::string_view name) {
  const EncodingInfo* e = find_encoding(name);
  return e ? std::string(e->name) : std::string();
}

#if CANOPY_SIMD_WASM
namespace {

// Keiser & Lemire, "Validating UTF-8 In Less Than One Instruction Per Byte" (2021), the lookup
// algorithm as simdjson implements it, on wasm simd128 (swizzle does the 16-entry table lookups).
constexpr uint8_t TOO_SHORT = 1 << 0, TOO_LONG = 1 << 1, OVERLONG_3 = 1 << 2, TOO_LARGE = 1 << 3, SURROGATE = 1 << 4,
                  OVERLONG_2 = 1 << 5, TOO_LARGE_1000 = 1 << 6, OVERLONG_4 = 1 << 6, TWO_CONTS = 1 << 7,
                  CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS;

inline v128_t lookup(v128_t table, v128_t idx) { return wasm_i8x16_swizzle(table, idx); }

inline v128_t check_block(v128_t input, v128_t prev_input) {
  const v128_t prev1 =
      wasm_i8x16_shuffle(prev_input, input, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
  const v128_t prev2 =
      wasm_i8x16_shuffle(prev_input, input, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
  const v128_t prev3 =
      wasm_i8x16_shuffle(prev_input, input, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28);
  const v128_t t1 =
      wasm_u8x16_make(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS,
                      TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
                      TOO_SHORT | OVERLONG_3 | SURROGATE, TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
  constexpr uint8_t L = CARRY | TOO_LARGE | TOO_LARGE_1000;
  const v128_t t2 = wasm_u8x16_make(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
                                    CARRY | TOO_LARGE, L, L, L, L, L, L, L, L, L | SURROGATE, L, L);
  constexpr uint8_t C8 = TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4;
  constexpr uint8_t C9 = TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE;
  constexpr uint8_t CA = TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE;
  const v128_t t3 = wasm_u8x16_make(TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
                                    TOO_SHORT, C8, C9, CA, CA, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT);
  const v128_t low = wasm_u8x16_splat(0x0F);
  const v128_t sc =
      wasm_v128_and(wasm_v128_and(lookup(t1, wasm_u8x16_shr(prev1, 4)), lookup(t2, wasm_v128_and(prev1, low))),
                    lookup(t3, wasm_u8x16_shr(input, 4)));
  const v128_t third = wasm_u8x16_sub_sat(prev2, wasm_u8x16_splat(0xE0 - 0x80));
  const v128_t fourth = wasm_u8x16_sub_sat(prev3, wasm_u8x16_splat(0xF0 - 0x80));
  const v128_t must23_80 = wasm_v128_and(wasm_v128_or(third, fourth), wasm_u8x16_splat(0x80));
  return wasm_v128_xor(must23_80, sc);
}

// Is any of the last three bytes a lead byte whose sequence needs bytes beyond this block?
inline v128_t incomplete(v128_t input) {
  const v128_t max =
      wasm_u8x16_make(255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0xF0 - 1, 0xE0 - 1, 0xC0 - 1);
  return wasm_u8x16_gt(input, max);
}

// Leads of two-byte sequences (0xC0..0xDF) in a lane that has no byte >= 0xE0. As signed bytes the
// non-ASCII ones are negative and the continuation bytes (0x80..0xBF) are below -64.
inline v128_t two_byte_leads(v128_t input) {
  return wasm_v128_andnot(wasm_i8x16_lt(input, wasm_i8x16_splat(0)), wasm_i8x16_lt(input, wasm_i8x16_splat(-64)));
}

// The same verdict as check_block for a lane with no byte >= 0xE0 after a lane whose last byte is
// below 0xE0 (Latin, Greek, Cyrillic, Hebrew and Arabic text: U+0080..U+07FF), in a third of the
// work: every continuation byte follows a lead and every lead is followed by one, and no lead is an
// overlong 0xC0/0xC1. Like check_block, a lead is judged with the byte after it (prev1 holds the
// lane's bytes shifted by one, the last byte of the lane before first).
inline v128_t check_two_byte(v128_t input, v128_t prev_input) {
  const v128_t prev1 =
      wasm_i8x16_shuffle(prev_input, input, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
  const v128_t cont = wasm_i8x16_lt(input, wasm_i8x16_splat(-64));
  const v128_t overlong = wasm_i8x16_eq(wasm_v128_and(prev1, wasm_u8x16_splat(0xFE)), wasm_u8x16_splat(0xC0));
  return wasm_v128_or(wasm_v128_xor(two_byte_leads(prev1), cont), overlong);
}

// Valid UTF-8 without a NUL byte (a NUL means UTF-16 or a binary file): one pass for both questions.
bool valid_utf8_simd(const uint8_t* s, size_t n) {
  v128_t error = wasm_i8x16_splat(0);
  v128_t least = wasm_i8x16_splat(-1);
  v128_t prev_input = wasm_i8x16_splat(0);
  v128_t prev_incomplete = wasm_i8x16_splat(0);
  bool prev_tail_long = false;  // a byte >= 0xE0 among the last three of the block before
  size_t i = 0;
  uint8_t tail[64];
  for (; i < n; i += 64) {
    const uint8_t* p = s + i;
    if (n - i < 64) {
      std::memset(tail, ' ', sizeof tail);  // ASCII padding: neither a NUL nor part of a sequence
      std::memcpy(tail, p, n - i);
      p = tail;
    }
    const v128_t a = wasm_v128_load(p), b = wasm_v128_load(p + 16), c = wasm_v128_load(p + 32),
                 d = wasm_v128_load(p + 48);
    least = wasm_u8x16_min(least, wasm_u8x16_min(wasm_u8x16_min(a, b), wasm_u8x16_min(c, d)));
    const v128_t any_high = wasm_v128_or(wasm_v128_or(a, b), wasm_v128_or(c, d));
    if (!wasm_i8x16_bitmask(any_high)) {
      error = wasm_v128_or(error, prev_incomplete);
      prev_input = d;
      prev_incomplete = wasm_i8x16_splat(0);
      prev_tail_long = false;
      continue;
    }
    // Bytes >= 0xE0 start three- and four-byte sequences. Without any in this block, nor in the last
    // three bytes of the one before (whose sequence could reach into this one), the two-byte check
    // is enough.
    const v128_t top = wasm_u8x16_max(wasm_u8x16_max(a, b), wasm_u8x16_max(c, d));
    const v128_t long_seq = wasm_u8x16_sub_sat(top, wasm_u8x16_splat(0xDF));
    if (!prev_tail_long && !wasm_v128_any_true(long_seq)) {
      error = wasm_v128_or(error, check_two_byte(a, prev_input));
      error = wasm_v128_or(error, check_two_byte(b, a));
      error = wasm_v128_or(error, check_two_byte(c, b));
      error = wasm_v128_or(error, check_two_byte(d, c));
      prev_incomplete = incomplete(d);
      prev_input = d;
      continue;
    }
    // All four lanes, without a branch per lane: in text where accented words come every few dozen
    // bytes, a per-lane ASCII test mispredicts about every other lane and costs more than it saves.
    error = wasm_v128_or(error, check_block(a, prev_input));
    error = wasm_v128_or(error, check_block(b, a));
    error = wasm_v128_or(error, check_block(c, b));
    error = wasm_v128_or(error, check_block(d, c));
    prev_incomplete = incomplete(d);
    prev_input = d;
    prev_tail_long = (wasm_i8x16_bitmask(wasm_u8x16_gt(d, wasm_u8x16_splat(0xDF))) & 0xE000) != 0;
  }
  error = wasm_v128_or(error, prev_incomplete);
  return !wasm_v128_any_true(error) && wasm_i8x16_all_true(least);
}

}  // namespace
#endif

size_t find_invalid_utf8(const char* data, size_t size) {
  const auto* s = reinterpret_cast<const uint8_t*>(data);
#if CANOPY_SIMD_WASM
  // The vector check says yes or no; only a file that fails (or has a NUL) is scanned again to say where.
  if (valid_utf8_simd(s, size)) return std::string::npos;
#endif
  size_t i = 0;
  while (i < size) {
    // Skip ASCII eight bytes at a time.
    while (i + 8 <= size) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= size) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const size_t bad = validate_scalar(s, i, size, i + 1);
    if (bad != std::string::npos) return bad;
    const uint8_t c = s[i];
    i += c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }
  return std::string::npos;
}

namespace {

// The common case in one pass: valid UTF-8 with no NUL byte.
bool clean_utf8(const char* data, size_t size) {
#if CANOPY_SIMD_WASM
  return valid_utf8_simd(reinterpret_cast<const uint8_t*>(data), size);
#else
  return find_invalid_utf8(data, size) == std::string::npos && !simd::find_byte(data, data + size, '\0');
#endif
}

}  // namespace

Result<DecodeResult> decode_to_utf8(std::string&& bytes, std::string_view override_encoding, const DetectorVotes* votes,
                                    VoteSource vote_source) {
  if (bytes.empty()) return make_error("file_empty");
  const auto* u = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  const bool bom8 = n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
  const bool bom_le = n >= 2 && u[0] == 0xFF && u[1] == 0xFE;
  const bool bom_be = n >= 2 && u[0] == 0xFE && u[1] == 0xFF;

  if (!override_encoding.empty()) {
    const EncodingInfo* e = find_encoding(override_encoding);
    if (!e) return make_error("unknown_encoding", {override_encoding});
    size_t skip = 0;
    if (e->id == EncodingId::utf8 && bom8) skip = 3;
    if ((e->id == EncodingId::utf16le && bom_le) || (e->id == EncodingId::utf16be && bom_be)) skip = 2;
    return decode_as(bytes, skip, *e, 100, "override", skip > 0);
  }
  if (bom8) return decode_as(bytes, 3, encoding_info(EncodingId::utf8), 100, "bom", true);
  if (bom_le) return decode_as(bytes, 2, encoding_info(EncodingId::utf16le), 100, "bom", true);
  if (bom_be) return decode_as(bytes, 2, encoding_info(EncodingId::utf16be), 100, "bom", true);

  // ISO-2022-JP is 7-bit: valid UTF-8 as far as bytes go, told apart by its escape sequences.
  const bool escapes = simd::find_byte(bytes.data(), bytes.data() + n, '\x1b') != nullptr &&
                       (bytes.find("\x1b$B") != std::string::npos || bytes.find("\x1b$@") != std::string::npos);
  if (!escapes && clean_utf8(bytes.data(), n)) {
    DecodeResult r;
    r.text = std::move(bytes);
    r.encoding = "UTF-8";
    r.confidence = 100;
    r.method = "utf8";
    return r;
  }
  const size_t nul = find_nul(bytes);
  if (nul != std::string::npos) {
    if (const EncodingInfo* e = guess_utf16(bytes)) return decode_as(bytes, 0, *e, 80, "detected", false);
    return make_error("binary_file", {std::to_string(nul)});
  }

  // A legacy file: every reading judged on a bounded sample (detection.h), with the detectors' votes.
  const std::string sample = detection_sample(bytes);
  DetectorVotes computed;
  if (!votes) {
    if (!vote_source) return make_error("detectors_needed");
    computed = vote_source(sample);
    votes = &computed;
  }
  EncodingDecision d = decide_encoding(sample, *votes);
  if (!d.tables_needed.empty()) return make_error("tables_needed", {d.tables_needed.front()});
  if (d.candidates.empty()) {
    // No reading holds together (every multi-byte one breaks, and there is no single-byte one left):
    // windows-1252 reads any byte; the user is asked.
    auto r = decode_as(bytes, 0, encoding_info(EncodingId::windows_1252), 0, "fallback", false);
    if (r.ok()) r.value().unsure = true;
    return r;
  }
  const EncodingCandidate& best = d.candidates.front();
  auto r = decode_as(bytes, 0, *best.encoding, best.score, "detected", false);
  // A UTF-8 file with bytes that break it: say where (decode_as's undecodable), do not guess a code page.
  if (best.encoding->id == EncodingId::utf8) return r;
  if (!r.ok() && r.error().code == "undecodable") {
    // The sample held together but a later line does not: never reject a file the detection chose;
    // read it as the next reading that decodes, and ask.
    for (size_t i = 1; i < d.candidates.size(); ++i) {
      auto next = decode_as(bytes, 0, *d.candidates[i].encoding, d.candidates[i].score, "detected", false);
      if (next.ok()) {
        next.value().unsure = true;
        next.value().candidates = std::move(d.candidates);
        std::swap(next.value().candidates.front(), next.value().candidates[i]);
        return next;
      }
    }
    auto fallback = decode_as(bytes, 0, encoding_info(EncodingId::windows_1252), 0, "fallback", false);
    if (fallback.ok()) fallback.value().unsure = true;
    return fallback;
  }
  if (r.ok()) {
    r.value().unsure = d.unsure;
    r.value().candidates = std::move(d.candidates);
  }
  return r;
}

}  // namespace canopy
