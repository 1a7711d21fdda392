#include "mapping/name_split.h"

#include <array>
#include <cstdint>

namespace canopy {
namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Han, kana, Hangul (and their compatibility and extension blocks): names written family name first.
bool cjk(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    uint32_t cp = b;
    size_t n = 1;
    if (b >= 0xF0 && i + 3 < s.size()) {
      cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
      n = 4;
    } else if (b >= 0xE0 && i + 2 < s.size()) {
      cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      n = 3;
    } else if (b >= 0xC0 && i + 1 < s.size()) {
      n = 2;
    }
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xAC00 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFFDC) ||
        (cp >= 0x20000 && cp <= 0x3FFFF)) {
      return true;
    }
    i += n;
  }
  return false;
}

bool ascii_lower_word(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// Lower-case name particles that belong to the last name: "van der Waals", "de la Cruz", "von Neumann".
bool particle(std::string_view w) {
  static constexpr std::array<std::string_view, 22> kParticles = {
      "van", "von", "der", "den", "de",  "del", "della", "di",    "da", "dos", "das",
      "du",  "la",  "le",  "ter", "ten", "zu",  "bin",   "binti", "al", "el",  "y"};
  if (!ascii_lower_word(w)) return false;
  for (std::string_view p : kParticles) {
    if (w == p) return true;
  }
  return false;
}

// A title or a suffix: a word ending in '.', or one of the usual ones.
bool title_or_suffix(std::string_view w) {
  if (w.size() > 1 && w.back() == '.') return true;
  static constexpr std::array<std::string_view, 14> kWords = {"Mr", "Mrs", "Ms", "Dr",  "Prof", "Jr",  "Sr",
                                                              "II", "III", "IV", "PhD", "MD",   "Esq", "Sir"};
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// Splits at runs of spaces; at most 8 words are looked at (more is "many words" anyway).
struct Words {
  std::array<std::string_view, 8> w{};
  size_t n = 0;
  bool more = false;
};

Words words_of(std::string_view s) {
  Words out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && space(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !space(s[i])) ++i;
    if (i == start) break;
    if (out.n == out.w.size()) {
      out.more = true;
      break;
    }
    out.w[out.n++] = s.substr(start, i - start);
  }
  return out;
}

// The text from the first to the last of words [a, b) of `s` (they are views into it).
std::string_view span(const Words& w, size_t a, size_t b) {
  const char* begin = w.w[a].data();
  const char* end = w.w[b - 1].data() + w.w[b - 1].size();
  return std::string_view(begin, static_cast<size_t>(end - begin));
}

NameSplit unsure(std::string_view why) { return NameSplit{{}, {}, why}; }

}  // namespace

NameSplit split_full_name(std::string_view cell) {
  const std::string_view s = trim(cell);
  if (s.empty()) return {};
  if (cjk(s)) return unsure("name_split_cjk");
  const size_t comma = s.find(',');
  if (comma != std::string_view::npos) {
    if (s.find(',', comma + 1) != std::string_view::npos) return unsure("name_split_commas");
    // "Last, First [Middle]"
    const Words last = words_of(trim(s.substr(0, comma)));
    const Words first = words_of(trim(s.substr(comma + 1)));
    if (last.n == 0 || first.n == 0) return unsure("name_split_one_word");
    // The last name is one word, or particles and one word ("de la Cruz, Ana"); the first at most two.
    if (last.more || first.more || first.n > 2) return unsure("name_split_many_words");
    for (size_t k = 0; k + 1 < last.n; ++k) {
      if (!particle(last.w[k])) return unsure("name_split_many_words");
    }
    for (size_t k = 0; k < last.n; ++k) {
      if (title_or_suffix(last.w[k])) return unsure("name_split_title");
    }
    for (size_t k = 0; k < first.n; ++k) {
      if (title_or_suffix(first.w[k])) return unsure("name_split_title");
    }
    return NameSplit{span(first, 0, first.n), span(last, 0, last.n), {}};
  }
  const Words w = words_of(s);
  if (w.n == 1) return unsure("name_split_one_word");
  for (size_t k = 0; k < w.n; ++k) {
    if (title_or_suffix(w.w[k])) return unsure("name_split_title");
  }
  // The last name starts at the first particle after the first word ("Ludwig van Beethoven").
  size_t last_start = w.n - 1;
  for (size_t k = 1; k + 1 < w.n; ++k) {
    if (particle(w.w[k])) {
      last_start = k;
      break;
    }
  }
  // Words that are neither particles nor the first: First [Middle] Last is at most three.
  size_t plain = 0;
  for (size_t k = 0; k < w.n; ++k) plain += particle(w.w[k]) && k >= last_start ? 0 : 1;
  if (w.more || plain > 3) return unsure("name_split_many_words");
  return NameSplit{span(w, 0, last_start), span(w, last_start, w.n), {}};
}

std::string_view name_part(std::string_view cell, NamePart part) {
  switch (part) {
    case NamePart::first: return split_full_name(cell).first;
    case NamePart::last: return split_full_name(cell).last;
    default: return cell;
  }
}

}  // namespace canopy
