// Header row -> mapping: auto_map, then a sequence of set_column calls (and a saved mapping applied),
// as the Mapping step does when the user works the dropdowns.
//
// Input: [mode byte] [op count byte] [ops: column byte, field byte]... [header row: cells split on ','
// or, when the mode byte's bit 2 is set, the rest is '\n'-separated headers]. Ops whose field byte is
// 0xFF apply a saved mapping (the JSON export of the current mapping, or the tail as raw JSON).
//
// Checks: every column has a status consistent with its field; a field is mapped at most once;
// matched columns really match their alias after normalisation; missing_required() is exactly the
// required fields without a column; set_column refuses what the mode does not take and moves a field
// instead of duplicating it; normalisation gives valid UTF-8 of letters and digits, the same for a
// header and its normal form; the JSON export applied to a fresh mapping gives the same fields.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"
#include "detect/encoding.h"
#include "fuzz_check.h"
#include "mapping/mapper.h"
#include "mapping/schema.h"

using namespace canopy;

namespace {

void check_mapping(const Mapping& m, const std::vector<std::string>& headers) {
  FUZZ_CHECK(m.mode != nullptr);
  FUZZ_CHECK(m.columns.size() == headers.size());
  std::set<std::string> seen;
  for (size_t i = 0; i < m.columns.size(); ++i) {
    const ColumnMapping& c = m.columns[i];
    FUZZ_CHECK(c.header == headers[i]);
    switch (c.status) {
      case ColumnStatus::matched:
        FUZZ_CHECK(!c.field.empty() && !c.alias.empty());
        if (c.note_code.empty()) {
          FUZZ_CHECK(normalize_header(c.alias) == normalize_header(c.header));
        } else {
          // Matched by a qualified-header rule ("First Name [Required]"): the note names the rule.
          FUZZ_CHECK(find_message(c.note_code) != nullptr);
          FUZZ_CHECK(!c.note.empty());
        }
        break;
      case ColumnStatus::manual: FUZZ_CHECK(!c.field.empty()); break;
      case ColumnStatus::ignored:
      case ColumnStatus::duplicate: FUZZ_CHECK(c.field.empty()); break;
      case ColumnStatus::split: FUZZ_CHECK(c.field.empty() && m.split_column == static_cast<int>(i)); break;
    }
    // The split column, and only it, says so.
    FUZZ_CHECK((c.status == ColumnStatus::split) == (m.split_column == static_cast<int>(i)));
    if (c.field.empty()) continue;
    FUZZ_CHECK(mode_has_field(*m.mode, c.field));
    FUZZ_CHECK(seen.insert(c.field).second);  // at most once
    FUZZ_CHECK(m.column_of(c.field) == static_cast<int>(i));
  }
  const auto missing = m.missing_required();
  size_t expected_missing = 0;
  for (auto f : m.mode->required) {
    const bool is_missing = std::find(missing.begin(), missing.end(), f) != missing.end();
    // A name field is given by a split full-name column, and then no column is mapped to it.
    const bool split_gives = m.split_column >= 0 && find_field(f)->part != NamePart::whole;
    if (split_gives) FUZZ_CHECK(seen.count(std::string(f)) == 0);
    FUZZ_CHECK(is_missing == (seen.count(std::string(f)) == 0 && !split_gives));
    expected_missing += is_missing;
  }
  FUZZ_CHECK(missing.size() == expected_missing);
}

bool valid_utf8(const std::string& s) { return find_invalid_utf8(s.data(), s.size()) == std::string::npos; }

void check_normalize(const std::string& header) {
  const std::string n = normalize_header(header);
  FUZZ_CHECK(valid_utf8(n));
  for (char c : n) FUZZ_CHECK(c != ' ' && c != '-' && c != '_' && c != '.' && !(c >= 'A' && c <= 'Z'));
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  canopy_fuzz::Bytes in(data, size);
  const uint8_t mode_byte = in.u8();
  const ModeSpec& mode = all_modes()[mode_byte % all_modes().size()];
  const auto fields = mode_fields(mode);
  const size_t nops = in.u8() % 32;
  std::vector<std::pair<uint8_t, uint8_t>> ops;
  for (size_t i = 0; i < nops; ++i) {
    const uint8_t col = in.u8();
    ops.emplace_back(col, in.u8());
  }
  const std::vector<std::string> headers = split(in.rest(), (mode_byte & 4) ? '\n' : ',');

  bool all_utf8 = true;
  for (const auto& h : headers) {
    check_normalize(h);
    all_utf8 = all_utf8 && valid_utf8(h);
  }
  Mapping m = auto_map(mode, headers);
  check_mapping(m, headers);

  for (const auto& [col, f] : ops) {
    const size_t column = col % (headers.size() + 1);  // one past the end now and then
    if (f == 0xFF) {
      if (!all_utf8) continue;  // JSON holds UTF-8 only; a decoded file's headers always are
      FUZZ_CHECK(apply_mapping_json(m, mapping_to_json(m)).code.empty());
      check_mapping(m, headers);
      continue;
    }
    if (f == 0xFE) {
      // Split a column's full names into first and last name (one past the end: stop splitting).
      const int target = column < headers.size() ? static_cast<int>(column) : -1;
      bool has_parts = false, part_mapped = false;
      for (const FieldSpec* spec : fields) {
        if (spec->part == NamePart::whole) continue;
        has_parts = true;
        part_mapped |= m.column_of(spec->name) >= 0;
      }
      const bool column_mapped = target >= 0 && !m.columns[column].field.empty();
      const SetColumnResult r = set_split_column(m, target);
      const bool secret = target >= 0 && secret_column(m.columns[column]);
      const bool refused = target >= 0 && (!has_parts || part_mapped || column_mapped || secret);
      FUZZ_CHECK(r.ok == !refused);
      if (!r.ok) FUZZ_CHECK(!r.message.empty());
      if (r.ok) FUZZ_CHECK(m.split_column == target);
      check_mapping(m, headers);
      continue;
    }
    // Field: one of the mode's, none (Ignore), or one the mode does not take.
    std::string_view field;
    const size_t k = f % (fields.size() + 2);
    if (k < fields.size()) {
      field = fields[k]->name;
    } else if (k == fields.size() + 1) {
      for (const FieldSpec& any : all_fields()) {
        if (!mode_has_field(mode, any.name)) field = any.name;
      }
      if (field.empty()) field = "no_such_field";
    }
    const int before = field.empty() ? -1 : m.column_of(field);
    const SetColumnResult r = set_column(m, column, field);
    if (column >= headers.size() || (!field.empty() && !mode_has_field(mode, field))) {
      FUZZ_CHECK(!r.ok && !r.message.empty());
    } else {
      FUZZ_CHECK(r.ok);
      if (!field.empty()) {
        FUZZ_CHECK(m.column_of(field) == static_cast<int>(column));
        FUZZ_CHECK(r.moved_from == (before >= 0 && before != static_cast<int>(column) ? before : -1));
      } else {
        FUZZ_CHECK(m.columns[column].field.empty());
      }
    }
    check_mapping(m, headers);
  }

  // The saved mapping (JSON, keyed by header) restores the same fields on a fresh mapping of the same
  // headers when they are unique and valid UTF-8 (a decoded file's headers always are).
  std::set<std::string> unique(headers.begin(), headers.end());
  if (all_utf8 && unique.size() == headers.size()) {
    const std::string json = mapping_to_json(m);
    Mapping fresh = auto_map(mode, headers);
    FUZZ_CHECK(apply_mapping_json(fresh, json).code.empty());
    check_mapping(fresh, headers);
    for (size_t i = 0; i < headers.size(); ++i) FUZZ_CHECK(fresh.columns[i].field == m.columns[i].field);
    FUZZ_CHECK(fresh.split_column == m.split_column);
    // And any text at all as a saved mapping is refused with a message or applied cleanly.
    const Error junk = apply_mapping_json(fresh, headers.empty() ? std::string() : headers.back());
    if (junk) FUZZ_CHECK(!junk.message.empty() && find_message(junk.code) != nullptr);
    check_mapping(fresh, headers);
  }
  return 0;
}
