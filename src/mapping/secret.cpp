#include "mapping/secret.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstring>
#include <unordered_set>

#include "core/messages.h"
#include "mapping/mapper.h"
#include "mapping/schema.h"

namespace canopy {
namespace {

enum class Kind : uint8_t { separator, letter, digit, mark };

Kind kind_of(UChar32 c) {
  const int8_t t = u_charType(c);
  if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK) return Kind::mark;
  if (u_isdigit(c)) return Kind::digit;
  if (u_isalpha(c)) return Kind::letter;
  return Kind::separator;
}

struct Pattern {
  std::vector<std::string> words;
  std::string joined;  // the words written together ("motdepasse")
  bool part;
};

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> list = [] {
    std::vector<Pattern> out;
    for (const SecretWord& w : secret_words()) {
      Pattern p{header_words(w.words), {}, w.part};
      for (const auto& word : p.words) p.joined += word;
      if (!p.joined.empty()) out.push_back(std::move(p));
    }
    return out;
  }();
  return list;
}

// Normalised names, labels and aliases of the secret fields: these count as they are.
const std::unordered_set<std::string>& secret_names() {
  static const std::unordered_set<std::string> names = [] {
    std::unordered_set<std::string> out;
    for (const FieldSpec& f : all_fields()) {
      if (!f.secret) continue;
      out.insert(normalize_header(f.name));
      out.insert(normalize_header(f.label));
      for (const Alias& a : all_aliases()) {
        if (a.field == f.name) out.insert(normalize_header(a.alias));
      }
    }
    return out;
  }();
  return names;
}

bool holds(const std::string& word, const Pattern& p) {
  return p.part ? word.find(p.joined) != std::string::npos : word == p.joined;
}

bool matches(const std::vector<std::string>& words, const Pattern& p) {
  for (const auto& w : words) {
    if (holds(w, p)) return true;
  }
  if (p.words.size() < 2 || words.size() < p.words.size()) return false;
  for (size_t i = 0; i + p.words.size() <= words.size(); ++i) {
    size_t k = 0;
    while (k < p.words.size() && words[i + k] == p.words[k]) ++k;
    if (k == p.words.size()) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> header_words(std::string_view header) {
  std::vector<UChar32> cps;
  cps.reserve(header.size());
  const auto* s = reinterpret_cast<const uint8_t*>(header.data());
  const auto n = static_cast<int32_t>(header.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c = 0;
    U8_NEXT(s, i, n, c);
    cps.push_back(c < 0 ? 0xFFFD : c);
  }
  std::vector<std::string> out;
  std::string raw;
  auto flush = [&] {
    if (raw.empty()) return;
    std::string w = normalize_header(raw);
    if (!w.empty()) out.push_back(std::move(w));
    raw.clear();
  };
  Kind prev = Kind::separator;
  UChar32 prev_c = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    const UChar32 c = cps[i];
    const Kind k = kind_of(c);
    if (k == Kind::separator) {
      flush();
      prev = Kind::separator;
      continue;
    }
    if (k != Kind::mark && prev != Kind::separator) {
      const bool next_lower = i + 1 < cps.size() && u_islower(cps[i + 1]);
      const bool split = (k != prev) ||                                      // letters | digits
                         (u_islower(prev_c) && u_isupper(c)) ||              // userPassword
                         (u_isupper(prev_c) && u_isupper(c) && next_lower);  // PWHash
      if (split) flush();
    }
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    raw.append(buf, static_cast<size_t>(len));
    if (k != Kind::mark) {
      prev = k;
      prev_c = c;
    } else if (prev == Kind::separator) {
      prev = Kind::letter;  // a word that starts with a mark
    }
  }
  flush();
  return out;
}

bool secret_header(std::string_view header) {
  if (secret_names().count(normalize_header(header))) return true;
  const std::vector<std::string> words = header_words(header);
  for (const Pattern& p : patterns()) {
    if (matches(words, p)) return true;
  }
  return false;
}

std::string_view secret_field_name() {
  for (const FieldSpec& f : all_fields()) {
    if (f.secret) return f.name;
  }
  return "password";
}

void mask_issue(Issue& is, std::string_view field) {
  const MessageEntry* m = find_message(is.code);
  if (!m) return;
  const std::vector<std::string_view> packed = unpack_args(is.args);
  std::vector<std::string> args(packed.begin(), packed.end());
  size_t first = 0;
  while (m) {
    // Walk this message's arguments; an 'm' argument's message takes the arguments after it.
    const size_t kinds = std::strlen(m->args);
    const MessageEntry* sub = nullptr;
    size_t i = first;
    for (; i < args.size(); ++i) {
      const size_t k = i - first;
      const char kind = k < kinds ? m->args[k] : 'v';
      if (kind == 'm') {
        sub = find_message(args[i]);
        if (!sub) {  // text standing where a message code may: the cell as the reader quoted it
          args.resize(i);
          args.emplace_back("masked_value");
          args.emplace_back(field);
        }
        break;
      }
      if (kind == 'v') args[i] = std::string(kMask);
    }
    first = i + 1;
    m = sub;
  }
  std::string out;
  for (const auto& a : args) append_arg(out, a);
  is.args = std::move(out);
}

}  // namespace canopy
