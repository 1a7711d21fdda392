// What the plausibility judge (detect/plausibility.h) knows of the languages identity files are written
// in: each language's script, its letters beyond ASCII (lower case) and, for the scripts without ASCII
// letters, its most frequent letters. Data, in one table (languages.cpp); adding a language is one row.
#pragma once
#include <string_view>
#include <vector>

namespace canopy {

enum class LetterScript { latin, cyrillic, greek, hebrew, arabic, thai };

struct Language {
  std::string_view code;  // ISO 639-1
  LetterScript script;
  std::string_view letters;  // UTF-8: the letters this language writes, lower case (Latin: only those beyond a-z)
  std::string_view common;   // UTF-8: its most frequent letters (non-Latin scripts), lower case; empty for Latin
};

const std::vector<Language>& languages();

}  // namespace canopy
