// Shared by the fuzz targets: an invariant check that aborts (libFuzzer then saves the input and
// reports it; the replay build fails its CTest), and a little reader that turns fuzz bytes into choices.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

namespace canopy_fuzz {

// Consumes the input front to back; past the end every read returns 0 / empty, so any input is valid.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : p_(data), n_(size) {}
  bool empty() const { return i_ >= n_; }
  size_t left() const { return n_ - i_; }
  uint8_t u8() { return i_ < n_ ? p_[i_++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
  uint32_t u32() { return static_cast<uint32_t>(u16()) | (static_cast<uint32_t>(u16()) << 16); }
  // Up to `max` bytes, length-prefixed by one byte.
  std::string str(size_t max = 255) {
    size_t len = u8();
    if (len > max) len = max;
    if (len > left()) len = left();
    std::string s(reinterpret_cast<const char*>(p_ + i_), len);
    i_ += len;
    return s;
  }
  std::string rest() {
    std::string s(reinterpret_cast<const char*>(p_ + i_), n_ - i_);
    i_ = n_;
    return s;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t i_ = 0;
};

}  // namespace canopy_fuzz
