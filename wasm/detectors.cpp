// The lazily loaded detectors module: ICU's charset detector and uchardet, for a legacy file only
// (the core asks for their votes with `detectors_needed`; wasm/index.mjs loads this module then).
// Plain C exports, no embind: the module is one call.
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <string>

#include "detectors/votes.h"

namespace {
std::string out;

void append_json_string(std::string& s, const std::string& v) {
  s.push_back('"');
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      s.push_back('\\');
      s.push_back(c);
    } else if (u < 0x20 || u >= 0x80) {
      s.push_back('?');  // detector names are ASCII; anything else is not a name we know
    } else {
      s.push_back(c);
    }
  }
  s.push_back('"');
}
}  // namespace

extern "C" {

// The votes on data[0, size) as JSON ([{"detector","charset","confidence"}]); valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* canopy_votes(const char* data, size_t size) {
  const canopy::DetectorVotes votes = canopy::detector_votes(std::string_view(data, size));
  out = "[";
  for (size_t i = 0; i < votes.size(); ++i) {
    if (i) out += ',';
    out += "{\"detector\":";
    append_json_string(out, votes[i].detector);
    out += ",\"charset\":";
    append_json_string(out, votes[i].charset);
    out += ",\"confidence\":" + std::to_string(votes[i].confidence) + "}";
  }
  out += "]";
  return out.c_str();
}

EMSCRIPTEN_KEEPALIVE size_t canopy_votes_length() { return out.size(); }

}  // extern "C"
