// How plausible a decoded text is as the names, departments and notes of an identity file: the judge
// that decides between the readings of a legacy file (detect/detection.h). A wrong code page leaves
// marks a reader sees at once — "Ayţe Yýlmaz", "L½uillet", "¦midt", "JosŽ", "йБЮМ" — and this
// counts them, word by word:
//  - a control character, an unassigned code point or U+FFFD (a byte the encoding does not define);
//  - letters of two scripts in one word;
//  - a symbol or a digit-like sign between letters ("L½uillet"), or stuck to a word ("¦midt");
//  - a capital after a small letter ("JosŽ", "йБЮМ");
//  - letters no single language (or pair) of the word's script writes ("Ayţe Yýlmaz": ţ is Romanian,
//    ý Czech), and, for the scripts without ASCII letters, too few of the language's common letters.
#pragma once
#include <string_view>

namespace canopy {

struct Plausibility {
  int score = 100;            // 0..100: 100 = nothing odd in any word (the average mark per word)
  long penalty = 0;           // the marks in all, in quarter points: what decides between readings
  int words = 0;              // words with a non-ASCII character (what was judged)
  std::string_view language;  // the language (or first of two) that fits the letters best; empty if none
};

Plausibility judge_text(std::string_view utf8);

// How many letters beyond ASCII of `utf8` none of `languages` writes (ISO 639-1 codes, space separated,
// of the table in languages.cpp): the letters an encoding's own languages would not have put there.
int letters_outside(std::string_view utf8, std::string_view languages);

}  // namespace canopy
