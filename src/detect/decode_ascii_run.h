// The multi-byte decoders' fast path: between sequences, ASCII bytes are themselves.
#pragma once
#include <cstdint>
#include <cstring>

#include "core/simd.h"

namespace canopy {

// Copies the ASCII bytes from p[i] on to w (which has room), stopping before the first other byte.
inline void copy_ascii_run(const uint8_t* p, size_t& i, size_t n, char*& w) {
  while (n - i >= 64) {
    const uint64_t high = simd::Block(p + i).high_bits();
    const size_t run = high ? static_cast<size_t>(simd::ctz64(high)) : 64;
    std::memcpy(w, p + i, 64);
    w += run;
    i += run;
    if (run < 64) return;
  }
  while (i < n && p[i] < 0x80) *w++ = static_cast<char>(p[i++]);
}

}  // namespace canopy
