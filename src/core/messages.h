// The one catalogue of user-facing text, keyed by stable codes. Every message says what happened and
// what to do. Templates take positional arguments {0}, {1}, ...
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/issue.h"

namespace canopy {

struct MessageEntry {
  const char* code;
  Severity severity;  // default severity when the code is used for a row issue
  const char* text;   // template with {0}..{9}
};

// Null when the code is not in the catalogue.
const MessageEntry* find_message(std::string_view code);

// Fills the template of `code` with `args`. An unknown code gives the code itself (a bug, tested).
std::string format_message(std::string_view code, std::initializer_list<std::string_view> args = {});

inline Error make_error(std::string_view code, std::initializer_list<std::string_view> args = {}) {
  return Error{std::string(code), format_message(code, args)};
}

// 1234567 -> "1,234,567": how figures appear in messages (English; the page formats its own with Intl).
std::string with_thousands(unsigned long long v);

// All entries, for the catalogue export (JS, docs) and the tests that check every code has text.
const MessageEntry* message_table(size_t* count);

}  // namespace canopy
