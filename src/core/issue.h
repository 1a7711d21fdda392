// Row problems are data, not failures: each has a stable code, a severity, where it is, and the
// arguments of its message. The text is made late, only for what is shown or exported (issue_message in
// validate/issue_text.h for English; the page translates code + args).
#pragma once
#include <cstdint>
#include <string>

namespace canopy {

enum class Severity : uint8_t { warning = 0, error = 1 };

struct Issue {
  std::string code;  // stable, e.g. "email_invalid"; see messages.cpp
  Severity severity = Severity::error;
  uint32_t row = 0;     // index of the data row (0-based) or kNoRow for file-level issues
  uint32_t line = 0;    // 1-based source line where the record starts, 0 when not applicable
  int32_t column = -1;  // 0-based CSV column, -1 when not about one cell
  std::string field;    // Canopy field name ("email"), empty when not about a field
  std::string args;     // the message's arguments, packed (core/messages.h: pack_args, unpack_args)
};

constexpr uint32_t kNoRow = 0xFFFFFFFFu;

inline const char* severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

}  // namespace canopy
