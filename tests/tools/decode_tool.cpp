// The native side of the differential test against TextDecoder (tests/e2e/encoding-diff.test.mjs):
// reads cases from standard input, one a line, "LABEL FATAL HEX" (FATAL 0 or 1, HEX the bytes), and
// answers each on a line: "ok HEX" (the UTF-8 text) or "err OFFSET" (fatal mode stopped there).
#include <cstdio>
#include <iostream>
#include <string>

#include "detect/decoder.h"
#include "detect/encodings.h"

int main() {
  std::ios::sync_with_stdio(false);
  std::string label, hex;
  int fatal = 0;
  std::string out, bytes;
  static const char* digits = "0123456789abcdef";
  while (std::cin >> label >> fatal >> hex) {
    const canopy::EncodingInfo* e = canopy::find_encoding(label);
    if (!e) {
      std::cout << "unknown " << label << "\n";
      continue;
    }
    if (hex == "-") hex.clear();
    bytes.clear();
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
      bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    canopy::StreamDecoder d(e->id, fatal != 0);
    out.clear();
    if (d.feed(bytes.data(), bytes.size(), true, out)) {
      std::cout << "ok ";
      for (unsigned char c : out) std::cout << digits[c >> 4] << digits[c & 15];
      if (out.empty()) std::cout << '-';
      std::cout << '\n';
    } else {
      std::cout << "err " << d.error_offset() << '\n';
    }
  }
  return 0;
}
