#include "validate/suggest.h"

#include <algorithm>

#include "core/messages.h"
#include "validate/issue_text.h"
#include "validate/validator.h"

namespace canopy {
namespace {

// A column whose header said nothing, or only that it is a login name.
bool open_to_suggestion(const ColumnMapping& c) {
  if (c.status != ColumnStatus::ignored || !c.field.empty() || secret_column(c)) return false;
  return c.note_code.empty() || c.note_code == "header_login_name";
}

// Counts the sampled values valid for a field of this kind (only email is told by its form).
Suggestion score(const Table& table, uint32_t column, const FieldSpec& field) {
  Suggestion s{column, field.name, "column_looks_like_email", 0, 0};
  const size_t last = std::min<size_t>(table.records.size(), size_t{kSuggestSampleRows} + 1);
  for (size_t r = 1; r < last; ++r) {
    const Record& rec = table.records[r];
    if (column >= rec.cell_count) continue;
    const std::string_view v = trim_value(table.cell(rec, column));
    if (v.empty()) continue;
    ++s.sampled;
    if (field.kind == FieldKind::email && check_email(v).ok) ++s.valid;
  }
  return s;
}

}  // namespace

std::vector<Suggestion> suggest_columns(const Mapping& mapping, const Table& table) {
  std::vector<Suggestion> out;
  if (!mapping.mode || table.records.size() < 2) return out;
  for (std::string_view name : mapping.missing_required()) {
    const FieldSpec* field = find_field(name);
    if (!field || field->kind != FieldKind::email) continue;
    Suggestion best;
    for (uint32_t c = 0; c < mapping.columns.size() && c < table.columns(); ++c) {
      if (!open_to_suggestion(mapping.columns[c])) continue;
      const Suggestion s = score(table, c, *field);
      if (s.sampled == 0 || s.valid * 100 < s.sampled * kSuggestPercent) continue;
      // The most valid values wins; on a tie, the leftmost column (already in `best`).
      if (best.field.empty() || s.valid > best.valid) best = s;
    }
    if (!best.field.empty()) out.push_back(best);
  }
  return out;
}

std::string suggestion_args(const Suggestion& s) {
  return pack_args({s.field, std::to_string(s.valid), std::to_string(s.sampled)});
}

std::string suggestion_message(const Suggestion& s) { return format_packed(s.code, suggestion_args(s), &schema_label); }

}  // namespace canopy
