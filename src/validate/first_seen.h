// Private to validate/ (the validator's duplicate checks).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "validate/text_scan.h"

namespace canopy::detail {

// Values seen so far and the line of their first row, so the happy path allocates nothing per row.
// Open addressing over 8-byte slots (a tag of the hash and an index into `keys_`, views into the
// table text or the arena): the slots of 10,000 keys take 128 KB and stay in the cache, and the key
// itself (another row's text, long out of the cache) is read only when the tags match.
class FirstSeen {
 public:
  // 0 when `key` is new (it is then stored with `line`), else the line stored for it (lines are 1-based).
  uint32_t find_or_add(std::string_view key, uint32_t line) {
    if ((keys_.size() + 1) * 3 > slots_.size() * 2) grow();  // at most two thirds full
    const size_t mask = slots_.size() - 1;
    const uint64_t h = hash(key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32) | 1;  // 0 marks an empty slot
    for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.tag == 0) {
        s = Slot{tag, static_cast<uint32_t>(keys_.size())};
        keys_.push_back(Key{key.data(), static_cast<uint32_t>(key.size()), line});
        return 0;
      }
      if (s.tag == tag) {
        const Key& k = keys_[s.index];
        if (detail::same_bytes(std::string_view(k.data, k.size), key)) return k.line;
      }
    }
  }
  void reserve(size_t n) {
    keys_.reserve(n);
    size_t cap = 16;
    while (cap * 2 < n * 3) cap <<= 1;
    if (cap > slots_.size()) rehash(cap);
  }

 private:
  struct Slot {
    uint32_t tag = 0;  // high hash bits of the key, never 0 in a used slot
    uint32_t index = 0;
  };
  struct Key {
    const char* data;
    uint32_t size;
    uint32_t line;
  };
  // Eight bytes a step (emails and ids are 10 to 60 bytes; a byte-at-a-time hash dominated the check).
  // Fixed-size loads only: a memcpy of a variable length is a library call in the wasm build.
  static uint64_t hash(std::string_view s) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 31;
    }
    uint64_t w = 0;
    if (i < s.size()) {
      if (s.size() >= 8) {
        std::memcpy(&w, s.data() + s.size() - 8, 8);  // the last eight bytes, overlapping the loop's
      } else {
        for (size_t k = 0; k < s.size(); ++k) w |= static_cast<uint64_t>(static_cast<unsigned char>(s[k])) << (8 * k);
      }
    }
    h = (h ^ w) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h;
  }
  void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }
  void rehash(size_t cap) {
    slots_.assign(cap, Slot{});
    const size_t mask = cap - 1;
    for (size_t k = 0; k < keys_.size(); ++k) {
      const uint64_t h = hash(std::string_view(keys_[k].data, keys_[k].size));
      size_t i = static_cast<size_t>(h) & mask;
      while (slots_[i].tag) i = (i + 1) & mask;
      slots_[i] = Slot{static_cast<uint32_t>(h >> 32) | 1, static_cast<uint32_t>(k)};
    }
  }
  std::vector<Slot> slots_;
  std::vector<Key> keys_;
};

}  // namespace canopy::detail
