#include "mapping/mapper.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

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

std::vector<std::string_view> Mapping::missing_required() const {
  std::vector<std::string_view> out;
  if (!mode) return out;
  for (auto f : mode->required) {
    if (column_of(f) < 0) out.push_back(f);
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
    } else if (!mode_has_field(mode, it->second.field)) {
      c.status = ColumnStatus::ignored;
      c.note = "Looks like " + std::string(it->second.field) + ", which " + std::string(mode.title) + " does not take.";
    } else {
      const int other = m.column_of(it->second.field);
      if (other >= 0) {
        c.status = ColumnStatus::duplicate;
        c.note =
            format_message("field_already_mapped", {h, it->second.field, m.columns[static_cast<size_t>(other)].header});
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
    r.ok = false;
    r.message = "There is no column " + std::to_string(column + 1) + ".";
    return r;
  }
  ColumnMapping& c = mapping.columns[column];
  if (field.empty()) {
    c.field.clear();
    c.alias.clear();
    c.status = ColumnStatus::ignored;
    c.note.clear();
    return r;
  }
  if (!mapping.mode || !mode_has_field(*mapping.mode, field)) {
    r.ok = false;
    r.message = std::string(field) + " is not a field of " +
                (mapping.mode ? std::string(mapping.mode->title) : "this mode") + ".";
    return r;
  }
  if (c.field == field) return r;
  const int other = mapping.column_of(field);
  if (other >= 0) {
    ColumnMapping& o = mapping.columns[static_cast<size_t>(other)];
    r.message = format_message("field_moved", {field, o.header, c.header});
    r.moved_from = other;
    o.field.clear();
    o.alias.clear();
    o.status = ColumnStatus::ignored;
    o.note = "Its field " + std::string(field) + " moved to column \"" + c.header + "\".";
  }
  c.field = std::string(field);
  c.alias.clear();
  c.status = ColumnStatus::manual;
  c.note.clear();
  return r;
}

const char* column_status_name(ColumnStatus s) {
  switch (s) {
    case ColumnStatus::matched: return "matched";
    case ColumnStatus::manual: return "manual";
    case ColumnStatus::duplicate: return "duplicate";
    default: return "ignored";
  }
}

std::string mapping_to_json(const Mapping& mapping) {
  nlohmann::ordered_json j;
  j["mode"] = mapping.mode ? std::string(mapping.mode->id) : std::string();
  // A header that appears once maps to a field name; a header the file repeats maps to an array with
  // one entry per occurrence, in column order, so each keeps its own choice.
  std::map<std::string, size_t> occurrences;
  for (const auto& c : mapping.columns) ++occurrences[c.header];
  nlohmann::ordered_json cols = nlohmann::ordered_json::object();
  for (const auto& c : mapping.columns) {
    if (occurrences[c.header] == 1) {
      cols[c.header] = c.field;
    } else {
      cols[c.header].push_back(c.field);
    }
  }
  j["columns"] = cols;
  return j.dump(2);
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

bool apply_mapping_json(Mapping& mapping, std::string_view json, std::string* message) {
  auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("columns") || !valid_columns(j["columns"])) {
    if (message)
      *message =
          "The mapping file is not valid: it needs {\"mode\": ..., \"columns\": {\"header\": \"field\"}} (a "
          "header the file repeats takes a list of fields, one per column).";
    return false;
  }
  if (j.contains("mode") && j["mode"].is_string() && mapping.mode && j["mode"].get<std::string>() != mapping.mode->id) {
    if (message)
      *message = "The mapping is for mode \"" + j["mode"].get<std::string>() + "\", not \"" +
                 std::string(mapping.mode->id) + "\".";
    return false;
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
  return true;
}

}  // namespace canopy
