#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace canopy {

// Duplicate keys (emails, external_ids) of rows validated by earlier calls, so that a file validated in
// chunks (the CLI streams files of any size) finds the duplicates one call over the whole file would.
// Keeps a 64-bit hash of each key and the line of its first row (12 bytes a slot, 16 to 24 bytes a
// value however long it is): a hash collision (odds about 3 in 10^8 for a million rows) would be
// reported as a duplicate.
class SeenValues {
 public:
  enum class Kind : uint8_t { email, external_id };
  // 0 when `key` is new (it is then stored with `line`), else the line stored for it.
  uint32_t find_or_add(Kind kind, std::string_view key, uint32_t line);
  size_t size() const { return count_; }

 private:
  struct Slot {
    uint32_t hash_lo = 0, hash_hi = 0;  // 0 = empty slot; one slot is one cache access
    uint32_t line = 0;
  };
  // Home slot: the high hash bits scaled to the capacity (any size, not only powers of two).
  static size_t home(uint32_t hash_hi, size_t capacity) {
    return static_cast<size_t>((static_cast<uint64_t>(hash_hi) * capacity) >> 32);
  }
  void rehash(size_t capacity);
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace canopy
