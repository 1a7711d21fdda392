#include "validate/seen_values.h"

namespace canopy {

uint32_t SeenValues::find_or_add(Kind kind, std::string_view key, uint32_t line) {
  // FNV-1a 64 seeded by the kind, then the splitmix64 finalizer to spread the bits over the slots.
  uint64_t h = 1469598103934665603ull ^ (static_cast<uint64_t>(kind) + 1) * 0x9E3779B97F4A7C15ull;
  for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  if (h == 0) h = 1;
  const auto lo = static_cast<uint32_t>(h), hi = static_cast<uint32_t>(h >> 32);
  // Grows by half (not doubling) at 3/4 full: the table is most of the CLI's memory on big files.
  if ((count_ + 1) * 4 > slots_.size() * 3) rehash(slots_.empty() ? 1024 : slots_.size() + slots_.size() / 2);
  const size_t cap = slots_.size();
  for (size_t i = home(hi, cap);; i = i + 1 == cap ? 0 : i + 1) {
    Slot& s = slots_[i];
    if (s.hash_lo == lo && s.hash_hi == hi) return s.line;
    if (s.hash_lo == 0 && s.hash_hi == 0) {
      s = Slot{lo, hi, line};
      ++count_;
      return 0;
    }
  }
}

void SeenValues::rehash(size_t capacity) {
  std::vector<Slot> old(capacity);
  old.swap(slots_);  // `old` now holds the previous table
  for (const Slot& s : old) {
    if (s.hash_lo == 0 && s.hash_hi == 0) continue;
    size_t i = home(s.hash_hi, capacity);
    while (slots_[i].hash_lo != 0 || slots_[i].hash_hi != 0) i = i + 1 == capacity ? 0 : i + 1;
    slots_[i] = s;
  }
}

}  // namespace canopy
