#include "mapping/mapper.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/messages.h"

namespace canopy {
namespace {

struct AliasHit {
  std::string_view field;
  std::string_view alias;
};

// normalised alias -> field, built once from the table.
const std::unordered_map<std::string, AliasHit>& alias_index() {
  static const std::unordered_map<std::string, AliasHit> index = [] {
    std::unordered_map<std::string, AliasHit> m;
    for (const auto& f : all_fields()) m.emplace(normalize_header(f.name), AliasHit{f.name, f.name});
    for (const auto& a : all_aliases()) m.emplace(normalize_header(a.alias), AliasHit{a.field, a.alias});
    return m;
  }();
  return index;
}

// A qualified header's word kinds, keyed by the words written together ("uploadonly"), with the
// longest phrase first tried.
struct WordIndex {
  std::unordered_map<std::string, HeaderWordKind> kinds;
  size_t longest = 1;  // words in the longest phrase
};

const WordIndex& word_index() {
  static const WordIndex index = [] {
    WordIndex w;
    for (const auto& hw : header_words_table()) {
      const auto words = header_words(hw.words);
      std::string joined;
      for (const auto& x : words) joined += x;
      w.kinds.emplace(joined, hw.kind);
      w.longest = std::max(w.longest, words.size());
    }
    return w;
  }();
  return index;
}

const std::unordered_map<std::string, std::string_view>& property_index() {
  static const std::unordered_map<std::string, std::string_view> index = [] {
    std::unordered_map<std::string, std::string_view> m;
    for (const auto& p : property_names()) m.emplace(normalize_header(p.name), p.field);
    return m;
  }();
  return index;
}

bool full_name(const std::string& normalized) {
  static const std::unordered_set<std::string> names = [] {
    std::unordered_set<std::string> out;
    for (auto n : full_name_headers()) out.insert(normalize_header(n));
    return out;
  }();
  return names.count(normalized) > 0;
}

bool login_name(const std::string& normalized) {
  static const std::unordered_set<std::string> names = [] {
    std::unordered_set<std::string> out;
    for (auto n : login_name_headers()) out.insert(normalize_header(n));
    return out;
  }();
  return names.count(normalized) > 0;
}

bool ascii_simple(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

std::string normalize_header(std::string_view header) {
  std::string out;
  if (ascii_simple(header)) {
    // ASCII needs no ICU: NFKC case fold is lower case, and there are no accents.
    for (char c : header) {
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
      else if (c == '#') out += "number";  // "Employee #" is "Employee number"
    }
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = U_SUCCESS(status) ? icu::Normalizer2::getNFDInstance(status) : nullptr;
  icu::UnicodeString s =
      icu::UnicodeString::fromUTF8(icu::StringPiece(header.data(), static_cast<int32_t>(header.size())));
  if (U_SUCCESS(status) && nfkc_cf && nfd) {
    icu::UnicodeString folded = nfkc_cf->normalize(s, status);
    icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(folded, status) : folded;
    if (U_SUCCESS(status)) s = decomposed;
  }
  icu::UnicodeString kept;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;  // accents
    if (u_isalnum(c)) kept.append(c);
    else if (c == '#') kept.append(icu::UnicodeString("number", -1, US_INV));  // as in the ASCII path
  }
  kept.toUTF8String(out);
  return out;
}

int Mapping::column_of(std::string_view field) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].field == field) return static_cast<int>(i);
  }
  return -1;
}

FieldSource Mapping::source_of(std::string_view field) const {
  const int c = column_of(field);
  if (c >= 0) return FieldSource{c, NamePart::whole};
  if (split_column >= 0) {
    const FieldSpec* f = find_field(field);
    if (f && f->part != NamePart::whole) return FieldSource{split_column, f->part};
  }
  return FieldSource{};
}

std::vector<std::string_view> Mapping::missing_required() const {
  std::vector<std::string_view> out;
  if (!mode) return out;
  for (auto f : mode->required) {
    if (source_of(f).column < 0) out.push_back(f);
  }
  return out;
}

namespace {

bool secret_field(std::string_view field) {
  const FieldSpec* f = find_field(field);
  return f && f->secret;
}

}  // namespace

bool secret_column(const ColumnMapping& column) {
  return (!column.field.empty() && secret_field(column.field)) || secret_header(column.header);
}

std::vector<uint32_t> secret_columns(const Mapping& mapping) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < mapping.columns.size(); ++i) {
    if (secret_column(mapping.columns[i])) out.push_back(static_cast<uint32_t>(i));
  }
  return out;
}

namespace {

// What a qualified header says: a field (with the rule that found it), or why it stays ignored.
struct Reading {
  std::string field;  // empty: ignored with the note
  std::string alias;  // the alias or property that matched
  std::string code;   // the note's message code: the rule, or why not
  std::string args;   // its arguments, packed
};

// A column's note as code + arguments, and its English text (the CLI's; the page formats the code).
void set_note(ColumnMapping& c, std::string_view code, std::string args = {}) {
  c.note_code = std::string(code);
  c.note_args = std::move(args);
  c.note = format_packed(c.note_code, c.note_args, &schema_label);
}

void clear_note(ColumnMapping& c) {
  c.note.clear();
  c.note_code.clear();
  c.note_args.clear();
}

// What a set_column / set_split_column call says: a note, or (ok false) why it was refused.
void say(SetColumnResult& r, bool ok, std::string_view code, std::string args = {}) {
  r.ok = ok;
  r.code = std::string(code);
  r.args = std::move(args);
  r.message = format_packed(r.code, r.args, &schema_label);
}

// One part of a header's text ("Legal Name", "First Name"), its words sorted by kind.
struct Part {
  std::string core;                // the words that are none of header_words_table(), written together
  std::vector<std::string> shown;  // core words as they are, for messages
  bool group = false;              // the whole part is a group word ("Legal Name")
};

// Sorts `words` into the part's core and the qualifiers (header_words_table); inside a SCIM filter
// (`filter`) the filter's syntax words are dropped.
void sort_words(const std::vector<std::string>& words, Part& part, std::vector<std::string>& read_past,
                std::vector<std::string>& keeps, std::vector<std::string>& changes, bool filter) {
  const WordIndex& index = word_index();
  std::string group;
  size_t groups = 0;
  for (size_t i = 0; i < words.size();) {
    size_t taken = 0;
    for (size_t n = std::min(index.longest, words.size() - i); n >= 1 && !taken; --n) {
      std::string joined;
      for (size_t k = 0; k < n; ++k) joined += words[i + k];
      auto it = index.kinds.find(joined);
      if (it == index.kinds.end()) continue;
      std::string shown = words[i];
      for (size_t k = 1; k < n; ++k) shown += " " + words[i + k];
      switch (it->second) {
        case HeaderWordKind::annotation: read_past.push_back(shown); break;
        case HeaderWordKind::keeps: keeps.push_back(shown); break;
        case HeaderWordKind::changes: changes.push_back(shown); break;
        case HeaderWordKind::group:
          // A group word is the field's own word unless the part holds only it ("Name" is a full name).
          group += joined;
          ++groups;
          part.core += joined;
          part.shown.push_back(shown);
          break;
        case HeaderWordKind::filler:
          if (!filter) {
            part.core += joined;
            part.shown.push_back(shown);
          }
          break;
      }
      taken = n;
    }
    if (!taken) {
      part.core += words[i];
      part.shown.push_back(words[i]);
      taken = 1;
    }
    i += taken;
  }
  part.group = groups > 0 && part.core == group;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& x : v) {
    if (!out.empty()) out += sep;
    out += x;
  }
  return out;
}

// Reads a header that is no alias as a whole: annotations, qualifiers, property names in brackets,
// SCIM paths and "group - field" labels (mapping/schema.cpp header_words_table, property_names).
// Nothing when it says nothing.
std::optional<Reading> read_qualified(std::string_view header) {
  const auto& aliases = alias_index();
  std::vector<std::string> read_past, keeps, changes;
  std::optional<std::string_view> property;  // a field, or "" for a full name
  std::string property_shown;
  // Brackets and parentheses: a property name, annotations or qualifiers, or a SCIM filter.
  std::string rest;
  bool scim = true;  // no space outside brackets, and a '.' or '[': emails[0].value, name.givenName
  bool scim_syntax = false;
  for (size_t i = 0; i < header.size(); ++i) {
    const char open = header[i];
    if (open == '[' || open == '(') {
      const char close = open == '[' ? ']' : ')';
      const size_t end = header.find(close, i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      const std::string_view inside = header.substr(i + 1, end - i - 1);
      if (open == '[' && i > 0 && header[i - 1] != ' ') scim_syntax = true;
      auto p = property_index().find(normalize_header(inside));
      if (p != property_index().end() && !property) {
        property = p->second;
        property_shown = std::string(inside);
      } else {
        Part part;
        const size_t past_before = read_past.size(), keeps_before = keeps.size(), changes_before = changes.size();
        sort_words(header_words(inside), part, read_past, keeps, changes, true);
        bool digits = !part.core.empty();
        for (char c : part.core) digits = digits && c >= '0' && c <= '9';
        const std::string written = std::string(1, open) + std::string(inside) + close;
        if (digits) {
          read_past.push_back(written);  // a SCIM index: emails[0]
        } else if (!part.core.empty()) {
          return std::nullopt;  // something else in brackets: not ours to read past
        } else if (keeps.size() == keeps_before && changes.size() == changes_before && read_past.size() > past_before) {
          // Only annotations ("[Required]", "(yes/no)"): shown as written.
          read_past.resize(past_before);
          read_past.push_back(written);
        }
      }
      rest.push_back(' ');
      i = end;
      continue;
    }
    if (open == ' ' || open == '\t') scim = false;
    if (open == '.') scim_syntax = true;
    rest.push_back(open);
  }
  scim = scim && scim_syntax;
  if (scim) {
    // The attribute path without its filters: "emails.value", "name.givenName".
    std::string path;
    for (char c : rest) {
      if (c != ' ') path.push_back(c);
    }
    while (!path.empty() && path.back() == '.') path.pop_back();
    auto p = property_index().find(normalize_header(path));
    if (p == property_index().end()) return std::nullopt;
    Reading r;
    if (p->second.empty()) {
      r.code = "header_full_name";
      return r;
    }
    if (!changes.empty()) {
      r.code = "header_qualifier_changes";
      r.args = pack_args({p->second, changes.front()});
      return r;
    }
    r.field = std::string(p->second);
    r.alias = path;
    r.code = "header_scim_path";
    r.args = pack_args({p->second, std::string(header)});
    return r;
  }
  // The text: "group - field" parts, each a core and qualifiers. A trailing '*' is punctuation and
  // normalize_header drops it.
  std::vector<Part> parts;
  size_t from = 0;
  while (from <= rest.size()) {
    size_t dash = rest.find(" - ", from);
    const std::string piece = rest.substr(from, dash == std::string::npos ? std::string::npos : dash - from);
    Part part;
    sort_words(header_words(piece), part, read_past, keeps, changes, false);
    if (!part.core.empty()) parts.push_back(std::move(part));
    if (dash == std::string::npos) break;
    from = dash + 3;
  }
  // The field is named by the last part; the parts before it are its groups ("Legal Name - First Name")
  // or name the same field ("Email - Primary Work" has one part with a core).
  std::optional<std::string_view> text;  // a field, or "" for a full name
  std::string text_alias, group_shown;
  if (!parts.empty()) {
    const Part& last = parts.back();
    auto it = aliases.find(last.core);
    if (it != aliases.end()) {
      text = it->second.field;
      // The field's own name reads as its label ("First name"), an alias as it is written in the table.
      const FieldSpec* f = find_field(it->second.field);
      text_alias = std::string(it->second.alias == it->second.field && f ? f->label : it->second.alias);
    } else if (full_name(last.core) && keeps.empty() && changes.empty()) {
      // Only a name as it is: "Business Name", "Login Name", "Other Name" are not a person's full name.
      text = std::string_view();
    } else if (!property) {
      // "Emergency Contact Email": a qualifier that changes the meaning before words that end in a
      // field's alias. Never a match; only the reason it is not one.
      if (!changes.empty()) {
        for (size_t from_word = 1; from_word < last.shown.size(); ++from_word) {
          std::string tail;
          for (size_t k = from_word; k < last.shown.size(); ++k) tail += normalize_header(last.shown[k]);
          auto t = aliases.find(tail);
          if (t == aliases.end()) continue;
          Reading r;
          r.code = "header_qualifier_changes";
          r.args = pack_args({t->second.field, changes.front()});
          return r;
        }
      }
      return std::nullopt;
    }
    for (size_t k = 0; k + 1 < parts.size(); ++k) {
      if (parts[k].group) {
        group_shown = joined(parts[k].shown, " ");
        continue;
      }
      auto g = aliases.find(parts[k].core);
      if (g == aliases.end() || !text || g->second.field != *text) return std::nullopt;
    }
  }
  Reading r;
  if (property) {
    // The property decides; a text that names another field makes the header contradict itself.
    if (text && !text->empty() && !property->empty() && *text != *property) return std::nullopt;
    if (property->empty()) {
      r.code = "header_full_name";
      return r;
    }
    if (!changes.empty()) {
      r.code = "header_qualifier_changes";
      r.args = pack_args({*property, changes.front()});
      return r;
    }
    r.field = std::string(*property);
    r.alias = property_shown;
    r.code = "header_property_name";
    r.args = pack_args({*property, property_shown});
    return r;
  }
  if (!text) return std::nullopt;
  if (text->empty()) {
    r.code = "header_full_name";
    return r;
  }
  if (!changes.empty()) {
    r.code = "header_qualifier_changes";
    r.args = pack_args({*text, changes.front()});
    return r;
  }
  if (!group_shown.empty()) {
    r.field = std::string(*text);
    r.alias = text_alias;
    r.code = "header_group_field";
    r.args = pack_args({*text, text_alias, group_shown});
    return r;
  }
  std::vector<std::string> past = read_past;
  for (const auto& k : keeps) past.push_back(k);
  if (past.empty()) return std::nullopt;  // the same words as the alias: nothing read past
  std::vector<std::string> quoted;
  quoted.reserve(past.size());
  for (const auto& p : past) quoted.push_back("\"" + p + "\"");
  r.field = std::string(*text);
  r.alias = text_alias;
  r.code = "header_read_past";
  r.args = pack_args({*text, text_alias, joined(quoted, ", ")});
  return r;
}

}  // namespace

Mapping auto_map(const ModeSpec& mode, const std::vector<std::string>& headers) {
  Mapping m;
  m.mode = &mode;
  const auto& index = alias_index();
  for (const auto& h : headers) {
    ColumnMapping c;
    c.header = h;
    auto it = index.find(normalize_header(h));
    if (it == index.end()) {
      c.status = ColumnStatus::ignored;
      std::optional<Reading> r = read_qualified(h);
      if (r && !r->field.empty() && !mode_has_field(mode, r->field)) {
        set_note(c, "field_not_in_mode", pack_args({r->field, mode.id}));
      } else if (r && !r->field.empty()) {
        const int other = m.column_of(r->field);
        if (other >= 0) {
          c.status = ColumnStatus::duplicate;
          set_note(c, "field_already_mapped", pack_args({h, r->field, m.columns[static_cast<size_t>(other)].header}));
        } else {
          c.status = ColumnStatus::matched;
          c.field = r->field;
          c.alias = r->alias;
          set_note(c, r->code, r->args);
        }
      } else if (r) {
        set_note(c, r->code, r->args);
      } else if (login_name(normalize_header(h))) {
        set_note(c, "header_login_name");
      }
    } else if (!mode_has_field(mode, it->second.field)) {
      c.status = ColumnStatus::ignored;
      set_note(c, "field_not_in_mode", pack_args({it->second.field, mode.id}));
    } else {
      const int other = m.column_of(it->second.field);
      if (other >= 0) {
        c.status = ColumnStatus::duplicate;
        set_note(c, "field_already_mapped",
                 pack_args({h, it->second.field, m.columns[static_cast<size_t>(other)].header}));
      } else {
        c.status = ColumnStatus::matched;
        c.field = std::string(it->second.field);
        c.alias = std::string(it->second.alias);
      }
    }
    m.columns.push_back(std::move(c));
  }
  return m;
}

SetColumnResult set_column(Mapping& mapping, size_t column, std::string_view field) {
  SetColumnResult r;
  if (column >= mapping.columns.size()) {
    say(r, false, "no_such_column", pack_args({std::to_string(column + 1)}));
    return r;
  }
  ColumnMapping& c = mapping.columns[column];
  // Mapping the split column, or a column to a name field, stops the split (the user chose otherwise).
  const FieldSpec* spec = field.empty() ? nullptr : find_field(field);
  const bool valid = field.empty() || (mapping.mode && mode_has_field(*mapping.mode, field));
  if (valid && mapping.split_column >= 0 &&
      (static_cast<int>(column) == mapping.split_column || (spec && spec->part != NamePart::whole))) {
    set_split_column(mapping, -1);
  }
  if (field.empty()) {
    c.field.clear();
    c.alias.clear();
    c.status = ColumnStatus::ignored;
    clear_note(c);
    return r;
  }
  if (!mapping.mode || !mode_has_field(*mapping.mode, field)) {
    say(r, false, "not_a_field_of_mode", pack_args({field, mapping.mode ? mapping.mode->id : std::string_view()}));
    return r;
  }
  if (c.field == field) return r;
  const int other = mapping.column_of(field);
  if (other >= 0) {
    ColumnMapping& o = mapping.columns[static_cast<size_t>(other)];
    say(r, true, "field_moved", pack_args({field, o.header, c.header}));
    r.moved_from = other;
    o.field.clear();
    o.alias.clear();
    o.status = ColumnStatus::ignored;
    set_note(o, "field_moved_away", pack_args({field, c.header}));
  }
  c.field = std::string(field);
  c.alias.clear();
  c.status = ColumnStatus::manual;
  clear_note(c);
  return r;
}

SetColumnResult set_split_column(Mapping& mapping, int column) {
  SetColumnResult r;
  if (column < 0) {
    if (mapping.split_column >= 0) {
      ColumnMapping& old = mapping.columns[static_cast<size_t>(mapping.split_column)];
      old.status = ColumnStatus::ignored;
      set_note(old, "header_full_name");  // what it was: a full name, not a field of its own
    }
    mapping.split_column = -1;
    return r;
  }
  if (static_cast<size_t>(column) >= mapping.columns.size()) {
    say(r, false, "no_such_column", pack_args({std::to_string(column + 1)}));
    return r;
  }
  std::vector<std::string_view> parts;
  if (mapping.mode) {
    for (const FieldSpec* f : mode_fields(*mapping.mode)) {
      if (f->part == NamePart::whole) continue;
      parts.push_back(f->name);
      const int mapped = mapping.column_of(f->name);
      if (mapped >= 0) {
        say(r, false, "name_split_field_mapped",
            pack_args({f->name, mapping.columns[static_cast<size_t>(mapped)].header}));
        return r;
      }
    }
  }
  if (parts.empty()) {
    say(r, false, "name_split_no_fields", pack_args({mapping.mode ? mapping.mode->id : std::string_view()}));
    return r;
  }
  ColumnMapping& c = mapping.columns[static_cast<size_t>(column)];
  if (!c.field.empty()) {
    say(r, false, "name_split_column_mapped", pack_args({c.header, c.field}));
    return r;
  }
  if (secret_column(c)) {  // a password never becomes a name shown in the preview or sent
    say(r, false, "name_split_column_secret", pack_args({c.header}));
    return r;
  }
  if (mapping.split_column >= 0 && mapping.split_column != column) set_split_column(mapping, -1);
  mapping.split_column = column;
  c.status = ColumnStatus::split;
  c.alias.clear();
  set_note(c, "column_split_name");
  return r;
}

const char* column_status_name(ColumnStatus s) {
  switch (s) {
    case ColumnStatus::matched: return "matched";
    case ColumnStatus::manual: return "manual";
    case ColumnStatus::duplicate: return "duplicate";
    case ColumnStatus::split: return "split";
    default: return "ignored";
  }
}

std::string mapping_to_json(const Mapping& mapping, bool compact) {
  // Written out by hand in the layout of dump(2) (or dump()): an ordered_json object looks its keys up
  // one by one, which made a file of 100,000 columns take tens of seconds.
  // A header that appears once maps to a field name; a header the file repeats maps to an array with
  // one entry per occurrence, in column order, so each keeps its own choice.
  std::unordered_map<std::string_view, std::vector<size_t>> columns_of;
  std::vector<std::string_view> order;
  for (size_t k = 0; k < mapping.columns.size(); ++k) {
    auto& list = columns_of[mapping.columns[k].header];
    if (list.empty()) order.push_back(mapping.columns[k].header);
    list.push_back(k);
  }
  auto str = [](std::string_view v) {
    return nlohmann::json(std::string(v)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const char* nl1 = compact ? "" : "\n  ";
  const char* nl2 = compact ? "" : "\n    ";
  const char* nl3 = compact ? "" : "\n      ";
  const char* colon = compact ? ":" : ": ";
  std::string out = "{";
  out += nl1;
  out += "\"mode\"";
  out += colon;
  out += str(mapping.mode ? std::string_view(mapping.mode->id) : std::string_view());
  out += ",";
  out += nl1;
  out += "\"columns\"";
  out += colon;
  out += "{";
  for (size_t i = 0; i < order.size(); ++i) {
    if (i) out += ",";
    out += nl2;
    out += str(order[i]);
    out += colon;
    const auto& list = columns_of[order[i]];
    if (list.size() == 1) {
      out += str(mapping.columns[list[0]].field);
      continue;
    }
    out += "[";
    for (size_t j = 0; j < list.size(); ++j) {
      if (j) out += ",";
      out += nl3;
      out += str(mapping.columns[list[j]].field);
    }
    out += compact ? "]" : "\n    ]";
  }
  if (!order.empty()) out += nl1;
  out += "}";
  if (mapping.split_column >= 0) {
    // The header of the column split into first and last name, and which of its occurrences.
    const std::string_view header = mapping.columns[static_cast<size_t>(mapping.split_column)].header;
    out += ",";
    out += nl1;
    out += "\"split_name\"";
    out += colon;
    out += str(header);
  }
  out += compact ? "}" : "\n}";
  return out;
}

namespace {

// The field a saved mapping gives the `occurrence`-th column (0-based) with this header: a string
// applies to every column with the header, an array entry to one. Null when it says nothing.
const nlohmann::json* saved_field(const nlohmann::json& value, size_t occurrence) {
  if (value.is_string()) return &value;
  if (value.is_array() && occurrence < value.size() && value[occurrence].is_string()) return &value[occurrence];
  return nullptr;
}

bool valid_columns(const nlohmann::json& cols) {
  if (!cols.is_object()) return false;
  for (const auto& v : cols) {
    if (v.is_string()) continue;
    if (!v.is_array()) return false;
    for (const auto& e : v) {
      if (!e.is_string()) return false;
    }
  }
  return true;
}

}  // namespace

Error apply_mapping_json(Mapping& mapping, std::string_view json) {
  auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("columns") || !valid_columns(j["columns"])) {
    return make_error("mapping_file_invalid");
  }
  if (j.contains("mode") && j["mode"].is_string() && mapping.mode && j["mode"].get<std::string>() != mapping.mode->id) {
    std::string packed = pack_args({j["mode"].get<std::string>(), mapping.mode->id});
    std::string text = format_packed("mapping_other_mode", packed, &schema_label);
    return Error{"mapping_other_mode", std::move(text), std::move(packed)};
  }
  const auto& cols = j["columns"];
  // The field the saved mapping gives each column (null: it says nothing of that column).
  std::vector<const nlohmann::json*> saved(mapping.columns.size(), nullptr);
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < mapping.columns.size(); ++i) {
    const std::string& header = mapping.columns[i].header;
    const size_t occurrence = seen[header]++;
    auto it = cols.find(header);
    if (it != cols.end()) saved[i] = saved_field(*it, occurrence);
  }
  // First clear the columns the saved mapping speaks of, then set them, so moves cannot cascade.
  for (size_t i = 0; i < mapping.columns.size(); ++i) {
    if (saved[i]) set_column(mapping, i, "");
  }
  for (size_t i = 0; i < mapping.columns.size(); ++i) {
    if (!saved[i]) continue;
    const std::string field = saved[i]->get<std::string>();
    if (field.empty()) continue;
    if (mapping.mode && mode_has_field(*mapping.mode, field)) set_column(mapping, i, field);
  }
  // "split_name": the header of a column to split into first and last name (its first occurrence).
  if (j.contains("split_name") && j["split_name"].is_string()) {
    const std::string header = j["split_name"].get<std::string>();
    for (size_t i = 0; i < mapping.columns.size(); ++i) {
      if (mapping.columns[i].header != header) continue;
      const SetColumnResult split = set_split_column(mapping, static_cast<int>(i));
      if (!split.ok) return Error{split.code, split.message, split.args};
      break;
    }
  }
  return {};
}

}  // namespace canopy
