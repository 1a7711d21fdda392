// Row validation: field rules of SPEC.md's Preview section, lookups, pairing, duplicates, warnings.
// Every problem is an Issue (core/issue.h) with its catalogue message; nothing is thrown or printed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/issue.h"
#include "mapping/mapper.h"
#include "parse/table.h"
#include "validate/seen_values.h"

namespace canopy {

struct Lookups {
  enum class State : uint8_t { not_given, loaded, failed };
  State state = State::not_given;  // not_given (CLI without --lookups): lookup_not_verified warnings;
                                   // failed (page could not load them): lookups_unavailable errors
  std::unordered_set<std::string> roles, nodes, applications;  // UUIDs, lower case
  std::unordered_set<std::string> clients;                     // client_id strings, as given
  std::unordered_map<std::string, std::string> names;          // id (lower case) -> name, for display only
};

// What the API's directory check (identities/lookup) said exists in the scope, by email compare key
// (email_compare_key). Rows whose email is here are email_exists errors.
struct DirectoryEntry {
  std::string id;          // identity id, or invite id when `invite`
  bool invite = false;     // a pending invite rather than an identity
  std::string created_at;  // as the server sent it (ISO 8601)
};
struct Directory {
  std::unordered_map<std::string, DirectoryEntry> found;
  // Resuming a run that was cut off (a reload mid-submit): what the server created since this time
  // (ISO 8601, UTC, as the server writes created_at) is that run's work, so such rows are not
  // email_exists: they are sent again with the same idempotency keys and the server replays them.
  std::string resume_since;
};

enum class RowStatus : uint8_t { valid = 0, warning = 1, error = 2 };

struct RowCheck {
  RowStatus status = RowStatus::valid;
  uint32_t first_issue = 0;  // into Validation::issues
  uint32_t issue_count = 0;
  bool uses_lookups = false;  // a lookup field is non-empty (blocked while lookups are unavailable)
};

struct Validation {
  std::vector<RowCheck> rows;  // one per data row, in file order
  std::vector<Issue> issues;   // grouped by row, in row order (parse issues included)
  uint32_t valid = 0, warnings = 0, errors = 0;
};

// Validates every data row of `table` (records[1..]) under `mapping`. Parse issues already in
// table.issues are merged into their rows. With `seen`, duplicates of earlier calls' rows are found too
// (and this call's keys are added to it).
// With `directory`, rows whose email it holds are email_exists errors.
Validation validate_table(const Table& table, const Mapping& mapping, const Lookups& lookups,
                          SeenValues* seen = nullptr, const Directory* directory = nullptr);

// Marks the rows of a finished validation whose email `directory` holds as email_exists errors (once
// each; rows already marked are left alone) and updates their status and the counts. For answers of the
// directory check that arrive after validate_table: a second validate_table would meet a streamed
// file's earlier chunks again (SeenValues). Returns the number of rows newly marked.
size_t apply_directory(Validation& validation, const Table& table, const Mapping& mapping, const Directory& directory);

// The value the API receives for a cell: surrounding whitespace trimmed (ASCII and Unicode spaces).
std::string_view trim_value(std::string_view raw);

// "true"/"yes"/"y"/"1"/"on" -> true, "false"/"no"/"n"/"0"/"off" -> false (any case), "" -> true.
std::optional<bool> parse_send_email(std::string_view trimmed);

// Email check (WHATWG valid e-mail address, 254/64/63 limits, dot in domain, IDN via UTS #46).
// Not ok: the code, and the reason (a message code and its arguments, packed) that the email_invalid /
// email_too_long message ends with.
struct EmailVerdict {
  bool ok = true;
  std::string code;    // "email_invalid" | "email_too_long"
  std::string reason;  // packed, e.g. "email_domain_no_dot\x1f"
};
EmailVerdict check_email(std::string_view trimmed);

// How emails are compared (duplicates in the file, the directory check, the server's email_conflict):
// lower-cased, an international domain in its ASCII (xn--) form. Empty when the email is not valid.
std::string email_compare_key(std::string_view trimmed);

// 8-4-4-4-12 hex digits, any case.
bool is_uuid(std::string_view s);

}  // namespace canopy
