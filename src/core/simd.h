// 64-byte classification masks: bit i of the result is set when byte i equals the given character.
// wasm simd128, SSE2 or a portable fallback; the callers never see which.
#pragma once
#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define CANOPY_SIMD_WASM 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#define CANOPY_SIMD_SSE2 1
#endif

namespace canopy::simd {

struct Block {
#if CANOPY_SIMD_WASM
  v128_t v[4];
  explicit Block(const uint8_t* p) {
    for (int i = 0; i < 4; ++i) v[i] = wasm_v128_load(p + 16 * i);
  }
  uint64_t eq(uint8_t c) const {
    const v128_t s = wasm_i8x16_splat(static_cast<int8_t>(c));
    uint64_t m0 = wasm_i8x16_bitmask(wasm_i8x16_eq(v[0], s));
    uint64_t m1 = wasm_i8x16_bitmask(wasm_i8x16_eq(v[1], s));
    uint64_t m2 = wasm_i8x16_bitmask(wasm_i8x16_eq(v[2], s));
    uint64_t m3 = wasm_i8x16_bitmask(wasm_i8x16_eq(v[3], s));
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
  }
  uint64_t high_bits() const {
    uint64_t m0 = wasm_i8x16_bitmask(v[0]), m1 = wasm_i8x16_bitmask(v[1]);
    uint64_t m2 = wasm_i8x16_bitmask(v[2]), m3 = wasm_i8x16_bitmask(v[3]);
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
  }
#elif CANOPY_SIMD_SSE2
  __m128i v[4];
  explicit Block(const uint8_t* p) {
    for (int i = 0; i < 4; ++i) v[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
  }
  uint64_t eq(uint8_t c) const {
    const __m128i s = _mm_set1_epi8(static_cast<char>(c));
    uint64_t m0 = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[0], s)));
    uint64_t m1 = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[1], s)));
    uint64_t m2 = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[2], s)));
    uint64_t m3 = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[3], s)));
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
  }
  uint64_t high_bits() const {
    uint64_t m0 = static_cast<uint32_t>(_mm_movemask_epi8(v[0]));
    uint64_t m1 = static_cast<uint32_t>(_mm_movemask_epi8(v[1]));
    uint64_t m2 = static_cast<uint32_t>(_mm_movemask_epi8(v[2]));
    uint64_t m3 = static_cast<uint32_t>(_mm_movemask_epi8(v[3]));
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
  }
#else
  uint8_t b[64];
  explicit Block(const uint8_t* p) { std::memcpy(b, p, 64); }
  uint64_t eq(uint8_t c) const {
    uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= static_cast<uint64_t>(b[i] == c) << i;
    return m;
  }
  uint64_t high_bits() const {
    uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= static_cast<uint64_t>(b[i] >> 7) << i;
    return m;
  }
#endif
};

// Bit i of the result is the XOR of bits 0..i of x (inside-quotes mask from quote positions).
inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

inline int ctz64(uint64_t x) { return __builtin_ctzll(x); }
#if defined(__POPCNT__) || defined(__wasm__)
inline int popcount64(uint64_t x) { return __builtin_popcountll(x); }
#else
// Without the POPCNT instruction (baseline x86-64) the builtin is a libgcc call; this is branch-free.
inline int popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<int>((x * 0x0101010101010101ull) >> 56);
}
#endif

// Starts loading the cache line of `p`. Wasm has no prefetch instruction: there a read whose value
// nobody waits for does the same (the out-of-order core keeps working while the line arrives).
inline void prefetch(const char* p) {
#if defined(__wasm__)
  (void)*static_cast<const volatile char*>(p);
#else
  __builtin_prefetch(p);
#endif
}

// First occurrence of `c` in [p, end), or nullptr: 64 bytes at a time, then a scalar tail. (musl's
// memchr, which wasm builds get, reads four bytes at a time.)
inline const char* find_byte(const char* p, const char* end, char c) {
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  const auto* e = reinterpret_cast<const uint8_t*>(end);
  for (; e - u >= 64; u += 64) {
    const uint64_t m = Block(u).eq(static_cast<uint8_t>(c));
    if (m) return reinterpret_cast<const char*>(u) + ctz64(m);
  }
  for (; u < e; ++u) {
    if (*u == static_cast<uint8_t>(c)) return reinterpret_cast<const char*>(u);
  }
  return nullptr;
}
inline char* find_byte(char* p, char* end, char c) {
  return const_cast<char*>(find_byte(static_cast<const char*>(p), static_cast<const char*>(end), c));
}

// Copies the ASCII bytes at the start of [p, end) to w, 16 at a time, and advances both to the first
// byte >= 0x80 (or the end). w must have room for 16 bytes more than it gets (whole vectors are stored).
inline void copy_ascii(const uint8_t*& p, const uint8_t* end, char*& w) {
#if CANOPY_SIMD_WASM
  while (end - p >= 16) {
    const v128_t v = wasm_v128_load(p);
    wasm_v128_store(w, v);
    const uint32_t high = wasm_i8x16_bitmask(v);
    if (high) {
      const int k = __builtin_ctz(high);
      p += k;
      w += k;
      return;
    }
    p += 16;
    w += 16;
  }
#elif CANOPY_SIMD_SSE2
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
    const uint32_t high = static_cast<uint32_t>(_mm_movemask_epi8(v));
    if (high) {
      const int k = __builtin_ctz(high);
      p += k;
      w += k;
      return;
    }
    p += 16;
    w += 16;
  }
#endif
  while (p < end && *p < 0x80) *w++ = static_cast<char>(*p++);
}

// UTF-16 code units below 0x80 to ASCII, eight at a time: advances p (by two bytes a unit) and w to the
// first unit that is not ASCII, or to the last whole vector. big_endian: the units' byte order. w must
// have room for 16 bytes more than it gets.
inline void copy_ascii_utf16(const uint8_t*& p, const uint8_t* end, char*& w, bool big_endian) {
#if CANOPY_SIMD_WASM
  while (end - p >= 16) {
    v128_t v = wasm_v128_load(p);
    if (big_endian) v = wasm_i8x16_shuffle(v, v, 1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
    const v128_t high = wasm_v128_and(v, wasm_i16x8_splat(static_cast<int16_t>(0xFF80)));
    const v128_t narrow = wasm_u8x16_narrow_i16x8(v, v);
    wasm_v128_store(w, narrow);
    const uint32_t bad = wasm_i16x8_bitmask(wasm_i16x8_ne(high, wasm_i16x8_splat(0)));
    if (bad) {
      const int k = __builtin_ctz(bad);
      p += 2 * k;
      w += k;
      return;
    }
    p += 16;
    w += 8;
  }
#elif CANOPY_SIMD_SSE2
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (big_endian) v = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
    const __m128i high = _mm_and_si128(v, _mm_set1_epi16(static_cast<short>(0xFF80)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w), _mm_packus_epi16(v, v));
    // One bit per byte: a unit is bad when either of its two bytes is.
    const uint32_t bad = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi16(high, _mm_setzero_si128()))) ^ 0xFFFFu;
    if (bad) {
      const int k = __builtin_ctz(bad) / 2;
      p += 2 * k;
      w += k;
      return;
    }
    p += 16;
    w += 8;
  }
#else
  (void)end;
  (void)w;
  (void)big_endian;
#endif
}

}  // namespace canopy::simd
