// The one catalogue of user-facing text, keyed by stable codes. Every message says what happened and
// what to do. Templates take positional arguments {0}, {1}, ...
//
// Messages are data until someone reads them: an issue or an error carries its code and its arguments
// (Issue::args, Error::args), and the text is made only for what is shown or exported, by the CLI and the
// exports here (English) and by the page in the user's language (web/wizard/i18n/, which translates these
// same codes with the same placeholders; info() hands this table and each entry's argument kinds to it).
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/issue.h"

namespace canopy {

// What an argument is, one letter per argument in MessageEntry::args (missing letters mean 'v'):
//   v  a value as it is (a cell, a header, an encoding name)
//   n  a count or a line number (the page formats it with Intl.NumberFormat)
//   g  a count written with thousands separators in English too (file sizes, row counts)
//   f  a field name ("first_name"), shown as its label ("First name")
//   l  a field name, shown as its label inside a sentence ("first name")
//   o  a mode id ("invite"), shown as its title ("Bulk invite")
//   d  a date and time in ISO 8601 ("2026-12-01T09:30:00.000Z"), written as its date (the page: Intl)
//   m  a message code of this table, formatted with the arguments after it (the last kind only)
struct MessageEntry {
  const char* code;
  Severity severity;      // default severity when the code is used for a row issue
  const char* text;       // template with {0}..{9}
  const char* args = "";  // kinds of the arguments, see above
};

// Null when the code is not in the catalogue.
const MessageEntry* find_message(std::string_view code);

// Arguments travel packed in one string, each followed by kArgEnd (one allocation at most, none for
// short ones; the issues of a 10,000-row file cost no more than their codes).
// An argument is kept as one line of text at most kMaxArgBytes long (see append_arg): a cell quoted in a
// message never breaks the message, or the export line it ends up in, over several lines.
constexpr char kArgEnd = '\x1f';
constexpr size_t kMaxArgBytes = 200;
std::string pack_args(std::initializer_list<std::string_view> args);
void append_arg(std::string& packed, std::string_view arg);
std::vector<std::string_view> unpack_args(std::string_view packed);

// How an 'f'/'l' argument (a field name) or an 'o' argument (a mode id) is written; the core room knows
// no fields or modes, so the caller that does (mapping's schema_label) passes it. Null leaves the name
// as it is.
using LabelFn = std::string (*)(char kind, std::string_view name);

// Fills the template of `code` with `args` (packed). An unknown code gives the code itself (a bug, tested).
std::string format_packed(std::string_view code, std::string_view packed, LabelFn label = nullptr);
std::string format_message(std::string_view code, std::initializer_list<std::string_view> args = {});

inline Error make_error(std::string_view code, std::initializer_list<std::string_view> args = {},
                        LabelFn label = nullptr) {
  std::string packed = pack_args(args);
  std::string message = format_packed(code, packed, label);
  return Error{std::string(code), std::move(message), std::move(packed)};
}

// `code` (bad_argument, bad_state: a template whose last argument is an 'm') around the code and
// arguments of `inner`: {"bad_argument", ["no_such_column", "3"]} reads "There is no column 3."
inline Error nest_error(std::string_view code, std::string_view inner_code, std::string_view inner_args,
                        LabelFn label = nullptr) {
  std::string packed = pack_args({inner_code});
  packed.append(inner_args);
  std::string message = format_packed(code, packed, label);
  return Error{std::string(code), std::move(message), std::move(packed)};
}

// 1234567 -> "1,234,567": how figures appear in messages (English; the page formats its own with Intl).
std::string with_thousands(unsigned long long v);

// All entries, for the catalogue export (JS, docs) and the tests that check every code has text.
const MessageEntry* message_table(size_t* count);

}  // namespace canopy
