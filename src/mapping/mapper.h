// Header mapping: normalise each header with ICU and look it up exactly in the alias table. No fuzzy
// matching. Each field is mapped at most once.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "mapping/schema.h"
#include "mapping/secret.h"

namespace canopy {

// NFKC case fold, accents stripped (NFD, drop combining marks), then only letters and digits kept:
// "E-Mail" -> "email", "Ｅ－ｍａｉｌ" -> "email", "Prénom" -> "prenom". A "#" reads as "number"
// ("Employee #" -> "employeenumber").
std::string normalize_header(std::string_view header);

// split: the column's full names give first and last name (Mapping::split_column); its field stays empty.
enum class ColumnStatus : uint8_t { matched, manual, ignored, duplicate, split };

struct ColumnMapping {
  std::string header;  // as in the file
  std::string field;   // mapped field name, empty when ignored
  std::string alias;   // the alias that matched (for "matched")
  ColumnStatus status = ColumnStatus::ignored;
  std::string note;  // why: duplicate of which column, moved from where
  // The note as a catalogue code and packed arguments (core/messages.h), when it is one: the rule a
  // qualified header matched by, or why it stays ignored (the page writes it in the user's language).
  std::string note_code;
  std::string note_args;
};

// Where a field's values come from: a column, and the part of its full names for a split one.
struct FieldSource {
  int column = -1;  // -1 when nothing gives the field
  NamePart part = NamePart::whole;
};

struct Mapping {
  const ModeSpec* mode = nullptr;
  std::vector<ColumnMapping> columns;
  // The column whose full names are split into the first and last name fields (the user's explicit
  // choice, never automatic); -1 when none.
  int split_column = -1;

  int column_of(std::string_view field) const;             // -1 when no column is mapped to it
  FieldSource source_of(std::string_view field) const;     // a mapped column, or the split column's part
  std::vector<std::string_view> missing_required() const;  // a field given by the split is not missing
};

Mapping auto_map(const ModeSpec& mode, const std::vector<std::string>& headers);

// A column that holds secrets (passwords): mapped to a secret field, or headed like one (secret_header)
// whether mapped or not (a "Password" column of an invite file, a "Password 2" on Ignore). Masked wherever cells are
// shown, never exported.
bool secret_column(const ColumnMapping& column);
// The indices of the secret columns.
std::vector<uint32_t> secret_columns(const Mapping& mapping);

// Sets a column to `field`, or to Ignore when field is empty. If another column had that field it goes
// to Ignore and the returned note says so. Refused (ok false) for a field not in the mode.
struct SetColumnResult {
  bool ok = true;
  std::string code;     // the note ("field_moved") or why it was refused, a catalogue code; empty: nothing to say
  std::string args;     // its arguments, packed (core/messages.h)
  std::string message;  // the same in English (the CLI's)
  int moved_from = -1;
};
SetColumnResult set_column(Mapping& mapping, size_t column, std::string_view field);

// Splits `column`'s full names into the mode's first and last name fields (column -1: stops splitting).
// Refused, with why, when the mode has no name fields, a column is mapped to one of them already, or the
// column is mapped to a field. Mapping a name field or the split column later stops the split.
SetColumnResult set_split_column(Mapping& mapping, int column);

const char* column_status_name(ColumnStatus s);

// JSON export/import of a confirmed mapping: {"mode":"create","columns":{"E-Mail":"email",...}}. A header
// the file repeats maps to a list, one field per occurrence in column order: {"Name":["first_name",
// "last_name"]}. ("" is Ignore; a plain string still applies to every column with that header.)
// `compact`: on one line (as dump()); otherwise indented by two spaces (as dump(2)).
std::string mapping_to_json(const Mapping& mapping, bool compact = false);
// Applies a saved mapping to `mapping` (same mode); headers not in the file are ignored. Refused
// (mapping_file_invalid, mapping_other_mode, or why its split_name cannot be split) when the JSON cannot
// be read or names another mode.
Error apply_mapping_json(Mapping& mapping, std::string_view json);

}  // namespace canopy
