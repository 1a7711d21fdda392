// Suggestions, never guesses: a required field the header mapping left unmapped gets a suggestion from
// the contents of a column, which the user confirms (it is never applied by itself).
//
// Only a field whose values can be told by their form is suggested: an email (FieldKind::email). Names
// cannot be told from other words, and an id field is never suggested (a wrong role or node id would
// pass for the right one).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/mapper.h"
#include "parse/table.h"

namespace canopy {

// How many data rows, from the top, a suggestion looks at (bounded: the mapping step stays instant).
constexpr uint32_t kSuggestSampleRows = 200;
// The share of the sampled non-empty values that must be valid for the field.
constexpr uint32_t kSuggestPercent = 90;

struct Suggestion {
  uint32_t column = 0;
  std::string_view field;  // a field of the mapping's mode
  std::string_view code;   // why, a catalogue code: column_looks_like_email
  uint32_t valid = 0;      // sampled values valid for the field
  uint32_t sampled = 0;    // non-empty values looked at
};

// At most one suggestion per unmapped required field: the column left on Ignore (no header rule said it
// means something else; not a secret's) whose sampled values are most often valid, at least
// kSuggestPercent % of them. Columns headed as a login name ("Username") may be suggested: their note
// says they often hold emails.
std::vector<Suggestion> suggest_columns(const Mapping& mapping, const Table& table);

// Why, as the code's packed arguments (field, valid, sampled) and as English text (the CLI's words; the
// page writes the code in the user's language).
std::string suggestion_args(const Suggestion& s);
std::string suggestion_message(const Suggestion& s);

}  // namespace canopy
