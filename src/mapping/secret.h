// What counts as a secret column (a password), and how a secret is kept out of messages. One rule that
// the session, the validator, the wasm bindings and the CLI share.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/issue.h"

namespace canopy {

// What a secret cell shows instead of its value: eight bullets, whatever its length.
constexpr std::string_view kMask =
    "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";

// The header's words, each normalised like normalize_header(): split at anything that is not a letter,
// digit or mark, between a lower-case and an upper-case letter ("userPassword"), before the last capital
// of an acronym ("PWHash"), and between letters and digits ("Password2"). Empty words are dropped.
std::vector<std::string> header_words(std::string_view header);

// A header that looks like a password's, in any supported language: the name, label or an alias of a
// secret field (schema.cpp), or a header holding one of secret_words() ("Password 2", "Initial PW",
// "Passwort (neu)", "パスワード"), but not "Passport number", "Compass" or "Bypass reason".
bool secret_header(std::string_view header);

// The name of the field a secret column's masked values are named after ("password").
std::string_view secret_field_name();

// Keeps a secret cell's text out of an issue about it: every value argument ('v') becomes kMask, and
// text where a message code belongs (the cell text malformed_quotes quotes) becomes masked_value naming
// `field`. Codes and counts stay. Masking twice changes nothing.
void mask_issue(Issue& is, std::string_view field);

}  // namespace canopy
