#include "detect/plausibility.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "detect/languages.h"

namespace canopy {
namespace {

// Penalties, in quarter points so the small ones stay integers.
constexpr int kBroken = 40;        // control, unassigned, U+FFFD
constexpr int kMixedScripts = 16;  // Latin and Cyrillic letters in one word
constexpr int kHanHangul = 4;      // Korean words may carry hanja
constexpr int kInnerSymbol = 16;   // "L½uillet"
constexpr int kEdgeSymbol = 8;     // "¦midt", "Jos£"
constexpr int kRareSymbol = 2;     // "¤" on its own
constexpr int kCase = 12;          // "JosŽ"
constexpr int kUnknownLetter = 8;  // a letter no fitting language writes
constexpr int kOtherLanguage = 6;  // a letter only a second language writes
constexpr int kWordLanguages = 8;  // a word whose letters no single language writes ("Núńez", "Jiøí")
constexpr int kNoVowel = 8;        // a word of five letters or more without a vowel ("НГЛВД")
constexpr int kCommonLetter = 16;  // each common letter short of half (scripts without ASCII letters)

enum Group { none, latin, cyrillic, greek, hebrew, arabic, thai, cjk, hangul, other };

Group group_of(UChar32 c) {
  UErrorCode st = U_ZERO_ERROR;
  const UScriptCode s = uscript_getScript(c, &st);
  switch (s) {
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED: return none;
    case USCRIPT_LATIN: return latin;
    case USCRIPT_CYRILLIC: return cyrillic;
    case USCRIPT_GREEK: return greek;
    case USCRIPT_HEBREW: return hebrew;
    case USCRIPT_ARABIC: return arabic;
    case USCRIPT_THAI: return thai;
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_BOPOMOFO: return cjk;
    case USCRIPT_HANGUL: return hangul;
    default: return other;
  }
}

bool is_letter(UChar32 c) {
  // The spacing accents (ˆ ˜ ˇ ˘ ˙ ˚ ˛ ˝) are modifier letters to Unicode, signs to a reader.
  if (c >= 0x02C6 && c <= 0x02DD) return false;
  const int8_t t = u_charType(c);
  return t == U_UPPERCASE_LETTER || t == U_LOWERCASE_LETTER || t == U_TITLECASE_LETTER || t == U_MODIFIER_LETTER ||
         t == U_OTHER_LETTER || t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK;
}

// A combining mark that belongs to one script (Hebrew points, Arabic harakat, Thai vowel signs) after a
// letter of another: what a Latin word read in windows-1256 shows ("Coِrdinatie").
Group mark_script(UChar32 c) {
  if (c >= 0x0591 && c <= 0x05C7) return hebrew;
  if ((c >= 0x0610 && c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED))
    return arabic;
  if (c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || (c >= 0x0E47 && c <= 0x0E4E)) return thai;
  return none;
}

bool is_broken(UChar32 c) {
  if (c < 0) return true;
  if (c == 0xFFFD) return true;
  if (c == '\t' || c == '\n' || c == '\r') return false;
  const int8_t t = u_charType(c);
  return t == U_CONTROL_CHAR || t == U_UNASSIGNED || t == U_PRIVATE_USE_CHAR || t == U_SURROGATE;
}

// Signs that belong inside or beside words in real names and notes.
bool inner_ok(UChar32 c) { return c == 0x2019 || c == 0x02BC || c == 0x00B7 || c == 0x2010 || c == 0x2011; }
bool edge_ok(UChar32 c) {
  switch (c) {
    case 0xAE:
    case 0x2019:
    case 0x2018:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201A:
    case 0xAB:
    case 0xBB:
    case 0x2013:
    case 0x2014:
    case 0x2026:
    case 0xB7:
    case 0xBF:
    case 0xA1:
    case 0x2116:
    case 0x2122:
    case 0x3001:
    case 0x3002:
    case 0x30FB:
    case 0xFF08:
    case 0xFF09:
    case 0x300C:
    case 0x300D:
    case 0xFF0C:
    case 0xFF1A:
    case 0x30FC:
    case 0x05BE:
    case 0x060C:
    case 0x061B:
    case 0x061F: return true;
    default: return false;
  }
}
bool rare_symbol(UChar32 c) {
  switch (c) {
    case 0xA4:
    case 0xA6:
    case 0xA8:
    case 0xAC:
    case 0xAF:
    case 0xB4:
    case 0xB8:
    case 0xB9:
    case 0xB2:
    case 0xB3:
    case 0xBC:
    case 0xBD:
    case 0xBE:
    case 0xB6:
    case 0xB1:
    case 0x2020:
    case 0x2021:
    case 0x2030:
    case 0x2039:
    case 0x203A:
    case 0x2C6:
    case 0x2DC:
    case 0xA2:
    case 0x192: return true;
    default: return false;
  }
}

bool is_boundary(UChar32 c) {
  if (c < 0x80) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c == '-';
    return !word;
  }
  return u_isUWhiteSpace(c) != 0;
}

std::vector<UChar32> code_points(std::string_view s) {
  std::vector<UChar32> out;
  for (int32_t i = 0; i < static_cast<int32_t>(s.size());) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, static_cast<int32_t>(s.size()), c);
    out.push_back(c);
  }
  return out;
}

// Vowels of the alphabetic scripts (lower case), to find the words without one.
bool is_vowel(UChar32 c) {
  static const std::vector<UChar32> v = code_points(
      "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēėęěīįıōőœūůűųǎ"
      "аеёиоуыэюяіїєў"
      "αεηιουωάέήίόύώϊϋΐΰ");
  return std::find(v.begin(), v.end(), u_tolower(c)) != v.end();
}

struct LetterStats {
  std::map<UChar32, int> counts;  // lower-cased letters beyond ASCII, per script group
  std::array<int, other + 1> per_group{};
};

struct Fit {
  const Language* lang;
  std::vector<UChar32> letters, common;
};

const std::vector<Fit>& fits() {
  static const std::vector<Fit> v = [] {
    std::vector<Fit> out;
    for (const Language& l : languages()) out.push_back(Fit{&l, code_points(l.letters), code_points(l.common)});
    return out;
  }();
  return v;
}

bool has(const std::vector<UChar32>& v, UChar32 c) { return std::find(v.begin(), v.end(), c) != v.end(); }

// Whether one language writes every letter of a word (lower case, beyond ASCII). Words of scripts the
// table does not know (Han, kana, hangul) pass.
bool one_language(const std::vector<UChar32>& letters) {
  bool known = false;
  for (const Fit& f : fits()) {
    bool all = true;
    for (UChar32 c : letters) {
      if (!has(f.letters, c)) {
        all = false;
        break;
      }
    }
    if (all) return true;
    for (UChar32 c : letters) known |= has(f.letters, c);
  }
  return !known;
}

// The penalty for the letters, by the language (or pair, for Latin) that fits them best.
int language_penalty(const LetterStats& st, std::string_view* best_language) {
  int penalty = 0;
  const auto group_of_script = [](LetterScript s) {
    switch (s) {
      case LetterScript::latin: return latin;
      case LetterScript::cyrillic: return cyrillic;
      case LetterScript::greek: return greek;
      case LetterScript::hebrew: return hebrew;
      case LetterScript::arabic: return arabic;
      case LetterScript::thai: return thai;
    }
    return other;
  };
  int best_total = 0;
  for (Group g : {latin, cyrillic, greek, hebrew, arabic, thai}) {
    if (!st.per_group[g]) continue;
    std::vector<std::pair<UChar32, int>> letters;
    int total = 0;
    for (const auto& [c, n] : st.counts) {
      if (group_of(c) == g) {
        letters.emplace_back(c, n);
        total += n;
      }
    }
    if (!total) continue;
    std::vector<const Fit*> candidates;
    for (const Fit& f : fits())
      if (group_of_script(f.lang->script) == g) candidates.push_back(&f);
    const auto covered = [&](const Fit* a, const Fit* b) {
      int n = 0;
      for (const auto& [c, k] : letters)
        if (has(a->letters, c) || (b && has(b->letters, c))) n += k;
      return n;
    };
    const Fit* best = nullptr;
    int best_cov = -1;
    for (const Fit* f : candidates) {
      int cov = covered(f, nullptr);
      // Scripts without ASCII letters: the common letters break ties between languages.
      if (cov > best_cov) {
        best_cov = cov;
        best = f;
      }
    }
    int pair_cov = best_cov;
    if (g == latin) {
      for (const Fit* f : candidates) pair_cov = std::max(pair_cov, covered(best, f));
    }
    penalty += (total - pair_cov) * kUnknownLetter + (pair_cov - best_cov) * kOtherLanguage;
    if (g != thai && best && !best->common.empty() && st.per_group[g] >= 8) {
      // Running text of the language has about half its letters among the common ones; a wrong code
      // page of the same script scrambles them (Cyrillic has five: windows-1251, KOI8, ISO-8859-5,
      // IBM866, x-mac-cyrillic), and so does another script's code page read as this one (Hebrew bytes
      // in windows-1253 are lower-case Greek). Thai's letters spread too evenly for the test.
      int common = 0;
      for (const auto& [c, k] : letters)
        if (has(best->common, c)) common += k;
      const int all = st.per_group[g];
      if (common * 100 < all * 50) penalty += (all * 50 - common * 100) * kCommonLetter / 100;
    }
    if (total > best_total && best) {
      best_total = total;
      *best_language = best->lang->code;
    }
  }
  return penalty;
}

}  // namespace

Plausibility judge_text(std::string_view utf8) {
  Plausibility result;
  const std::vector<UChar32> cps = code_points(utf8);
  LetterStats stats;
  long bad = 0;
  int words = 0;
  size_t i = 0;
  while (i < cps.size()) {
    if (is_boundary(cps[i]) && !is_broken(cps[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    bool high = false;
    while (j < cps.size() && (!is_boundary(cps[j]) || is_broken(cps[j]))) {
      high |= cps[j] >= 0x80 || cps[j] < 0;
      ++j;
    }
    if (high) {
      ++words;
      unsigned groups = 0;
      std::vector<UChar32> word_letters;
      int alphabetic = 0, vowels = 0;  // letters of Latin, Cyrillic and Greek words
      int prev_case = 0;               // 1 lower, 2 upper, 0 none
      bool prev_high = false;
      for (size_t k = i; k < j; ++k) {
        const UChar32 c = cps[k];
        if (is_broken(c)) {
          bad += kBroken;
          continue;
        }
        if (is_letter(c)) {
          // A combining mark needs a letter before it ("̃urcanu": a windows-1258 tone mark on nothing).
          const int8_t type = u_charType(c);
          if ((type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK) && (k == i || !is_letter(cps[k - 1]))) {
            bad += kEdgeSymbol;
            continue;
          }
          Group g = group_of(c);
          if (g == none) g = mark_script(c);  // a mark counts as its script's
          if (g != none) groups |= 1u << g;
          if (g == latin || g == cyrillic || g == greek) {
            ++alphabetic;
            vowels += is_vowel(c);
          }
          const bool upper = u_isupper(c), lower = u_islower(c);
          const bool this_high = c >= 0x80;
          if (upper && prev_case == 1 && (this_high || prev_high)) bad += kCase;
          if (upper || lower) {
            prev_case = upper ? 2 : 1;
            prev_high = this_high;
          }
          if (this_high && g != none) {
            // Compared in lower case, but a capital whose small letter is ASCII (Turkish İ) as itself.
            const UChar32 low = u_tolower(c);
            const UChar32 key = low < 0x80 ? c : low;
            ++stats.counts[key];
            if (std::find(word_letters.begin(), word_letters.end(), key) == word_letters.end())
              word_letters.push_back(key);
            ++stats.per_group[g];
          } else if (g == latin) {
            ++stats.per_group[g];
          }
          continue;
        }
        if (c < 0x80) continue;  // digits, apostrophe, hyphen
        // A sign beyond ASCII: inside the word, at its edge, or a word of its own.
        const bool letter_before = k > i && is_letter(cps[k - 1]);
        const bool letter_after = k + 1 < j && is_letter(cps[k + 1]);
        if (letter_before && letter_after) {
          if (!inner_ok(c)) bad += kInnerSymbol;
        } else if (letter_before || letter_after) {
          // A closing quote or apostrophe ends a word ("Jones’"), it does not start one ("’δεια").
          const bool closing = c == 0x2019 || c == 0x02BC || c == 0x201D || c == 0xBB;
          if (closing ? !letter_before : (!edge_ok(c) && !inner_ok(c))) bad += kEdgeSymbol;
        } else if (c == 0xA4 || c == 0xA6) {
          bad += kEdgeSymbol;  // ¤ and ¦ are in no one's notes: a € or Š read in the wrong Latin code page
        } else if (rare_symbol(c)) {
          bad += kRareSymbol;
        }
      }
      if (word_letters.size() > 1 && !one_language(word_letters)) bad += kWordLanguages;
      if (alphabetic >= 5 && vowels == 0) bad += kNoVowel;
      const unsigned scripts = groups & ~(1u << none);
      if (scripts & (scripts - 1)) {
        const unsigned korean = (1u << cjk) | (1u << hangul);
        bad += (scripts & ~korean) ? kMixedScripts : kHanHangul;
      }
    }
    i = j;
  }
  bad += language_penalty(stats, &result.language);
  result.words = words;
  result.penalty = bad;
  if (words == 0) return result;
  // A quarter point a word costs a point of the score: one odd mark in every word (16) leaves 36.
  const long per_word_x100 = bad * 100 / words;  // quarter points per word, times 100
  result.score = static_cast<int>(std::max<long>(0, 100 - per_word_x100 * 4 / 100));
  return result;
}

int letters_outside(std::string_view utf8, std::string_view languages) {
  std::vector<const Fit*> chosen;
  for (const Fit& f : fits()) {
    const std::string_view code = f.lang->code;
    for (size_t i = 0; i + code.size() <= languages.size(); ++i) {
      if (languages.substr(i, code.size()) == code &&
          (i + code.size() == languages.size() || languages[i + code.size()] == ' ')) {
        chosen.push_back(&f);
        break;
      }
    }
  }
  int outside = 0;
  for (UChar32 c : code_points(utf8)) {
    if (c < 0x80 || !u_isalpha(c)) continue;
    const UChar32 low = u_tolower(c);
    const UChar32 key = low < 0x80 ? c : low;
    bool written = false;
    for (const Fit* f : chosen) written |= has(f->letters, key);
    outside += !written;
  }
  return outside;
}

}  // namespace canopy
