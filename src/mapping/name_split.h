// A full name in one cell ("Ada Lovelace", "Lovelace, Ada"), split into first and last name when the
// user asks for it (Mapping::split_column). Only forms that can be read with confidence are split:
//
//   First Last            -> first "First", last "Last"
//   First Middle Last     -> first "First Middle", last "Last"
//   First van der Last    -> first "First", last "van der Last" (lower-case particles stay with the last name)
//   Last, First [Middle]  -> first "First [Middle]", last "Last"
//
// Anything else is not guessed: one word, four or more words (double surnames, "José María García
// López", cannot be told apart), more than one comma, a title or suffix ("Dr.", "Jr", "III"), or
// Chinese, Japanese or Korean script (family name first, often without a space) leave both parts empty
// with the reason, which the validator reports as a warning on the row.
#pragma once
#include <string_view>

#include "mapping/schema.h"

namespace canopy {

struct NameSplit {
  std::string_view first, last;  // views into the cell; both empty when not sure
  // Empty when sure (or the cell is empty); otherwise a catalogue code of why not:
  // name_split_one_word | name_split_many_words | name_split_commas | name_split_title | name_split_cjk.
  std::string_view unsure;
};

NameSplit split_full_name(std::string_view cell);

// The part of a cell a field takes: the whole (trimmed) cell, or a part of a split full name.
std::string_view name_part(std::string_view cell, NamePart part);

}  // namespace canopy
