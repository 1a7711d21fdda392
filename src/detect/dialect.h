// Delimiter detection: comma, semicolon or tab, chosen by field-count consistency over the first
// records, with quotes respected (so a decimal comma or a quoted line break does not fool it).
#pragma once
#include <string>
#include <string_view>

namespace canopy {

struct Dialect {
  char delimiter = ',';
  int confidence = 0;  // 0..100
  std::string method;  // "detected" | "default" | "override"
};

Dialect detect_dialect(std::string_view utf8_text, size_t max_records = 50);

// "comma" / "," / "semicolon" / ";" / "tab" / "\t" -> the char, or 0 if unsupported.
char parse_delimiter(std::string_view name);
const char* delimiter_name(char d);  // "comma" | "semicolon" | "tab"

}  // namespace canopy
