// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date in any of its three formats.
#pragma once
#include <cstdint>
#include <string_view>

namespace canopy {

// Parses a Retry-After value: delta seconds or an IMF-fixdate/RFC 850/asctime HTTP date. Returns the
// delay in ms (0 when absent, invalid or in the past).
uint64_t parse_retry_after_ms(std::string_view value, uint64_t now_epoch_ms);

}  // namespace canopy
