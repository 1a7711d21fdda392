#include "core/messages.h"

#include <cstring>

namespace canopy {
namespace {

constexpr Severity E = Severity::error;
constexpr Severity W = Severity::warning;

// clang-format off
const MessageEntry kMessages[] = {
  // Fatal: the file as a whole.
  {"file_unreadable", E, "The file could not be read: it may have been moved, changed or deleted after it was chosen. Choose the file again."},
  {"file_empty", E, "The file is empty. Choose a CSV file with a header row and at least one data row."},
  {"file_too_large", E, "The file is {0} bytes; the limit is 10,485,760 bytes (10 MiB). Split it into files of at most 10,000 rows that each keep the header row, or import it with the canopy-import CLI, which has no size limit."},
  {"too_many_rows", E, "The file has {0} data rows; the limit is 10,000. Split it into files of at most 10,000 rows that each keep the header row, or import it with the canopy-import CLI, which has no row limit."},
  {"no_header", E, "The file has no header row: every line is blank or a # comment. Add a header row naming the columns (for example email,first_name,last_name)."},
  {"no_data_rows", E, "The file has a header row but no data rows. Add at least one row under the header and upload it again."},
  {"binary_file", E, "The file has a NUL byte at byte {0}, so it looks like a binary file (an .xlsx workbook?) rather than CSV text. Save or export it as \"CSV UTF-8\" and upload that."},
  {"undecodable", E, "The file is not valid {0}: the bytes at offset {1} do not decode. Pick the encoding the file was saved in, or save it again as CSV UTF-8."},
  {"unknown_encoding", E, "\"{0}\" is not an encoding this importer can read. Choose one of: UTF-8, UTF-16LE, UTF-16BE, windows-1252, ISO-8859-1, ISO-8859-2, ISO-8859-15, windows-1250, windows-1251, Shift_JIS, EUC-JP."},
  {"bad_delimiter", E, "\"{0}\" is not a delimiter this importer supports. Choose comma, semicolon or tab."},
  {"out_of_memory", E, "The file needs more memory than this page may use ({0}). Split it into smaller files, or use the canopy-import CLI."},
  {"bad_state", E, "{0} This is a bug in the page; reload it and try again."},
  {"bad_argument", E, "{0}"},

  // Parsing: row issues.
  {"unterminated_quote", E, "The quoted cell that starts on line {0} is never closed. Close it with a \" (a quote inside a quoted cell is written twice: \"\"); the line was read as if the quote were plain text."},
  {"malformed_quotes", W, "Text follows the closing quote of a quoted cell; it was read as {0}. Check the cell."},
  {"too_few_cells", E, "This line has {0} cells but the header has {1}: a cell or a delimiter is missing, so the columns cannot be trusted. Fix the line and upload again."},
  {"too_many_cells", E, "This line has {0} cells but the header has {1}, and the extra cells are not empty: an unquoted delimiter inside a value (\"Smith, John\") shifts the columns. Quote that value and upload again."},
  {"extra_cells_ignored", W, "This line has {0} cells but the header has {1}; the extra cells are empty and were ignored."},

  // Mapping.
  {"required_field_unmapped", E, "No column is mapped to {0}, which {1} needs. Pick the column that holds it in the Mapping step."},
  {"field_already_mapped", W, "Column \"{0}\" would also map to {1}, which column \"{2}\" already has; it was left on Ignore."},
  {"field_moved", W, "{0} moved from column \"{1}\" to column \"{2}\"; \"{1}\" is now ignored."},

  // Validation: row issues.
  {"required_missing", E, "{0} is required in this mode but the cell is empty."},
  {"email_invalid", E, "\"{0}\" is not a valid email address: {1}."},
  {"email_too_long", E, "The email address is {0} characters long; the most is {1} ({2})."},
  {"name_too_long", E, "{0} is {1} characters long; the most is 100."},
  {"name_control_chars", E, "{0} contains a control character (such as a tab or line break). Remove it."},
  {"password_too_short", E, "The password has {0} characters; it needs at least 8."},
  {"password_too_long", E, "The password is {0} bytes in UTF-8; the most is 72."},
  {"uuid_invalid", E, "{0} must be a UUID such as 3f2c1d5e-8a4b-4c7d-9e6f-1a2b3c4d5e6f, not \"{1}\"."},
  {"role_unknown", E, "Role {0} does not exist in this environment. Use the id of one of its roles, or leave role_id and node_id empty."},
  {"node_unknown", E, "Node {0} does not exist in this environment. Use the id of one of its nodes, or leave role_id and node_id empty."},
  {"client_unknown", E, "OAuth client \"{0}\" does not exist in this environment. Use the client_id of one of its OAuth clients, or leave the cell empty."},
  {"application_unknown", E, "Application {0} does not exist in this account. Use the id of one of its applications, or leave the cell empty."},
  {"role_without_node", E, "role_id is set but node_id is empty: a role is assigned on a node, so give both or neither."},
  {"node_without_role", E, "node_id is set but role_id is empty: a role is assigned on a node, so give both or neither."},
  {"send_email_invalid", E, "send_email must be true/false, yes/no, y/n, 1/0 or on/off (or empty for true), not \"{0}\"."},
  {"duplicate_email", E, "The email {0} already appears on line {1} (emails are compared without regard to case). Remove one of the two rows."},
  {"duplicate_external_id", E, "The external_id {0} already appears on line {1}. Remove one of the two rows or give each its own id."},
  {"lookups_unavailable", E, "{0} cannot be checked because the environment's lookups did not load. Press Retry in the banner; the row can be selected once they load."},
  {"lookup_not_verified", W, "{0} was not checked against the environment (no lookups were given); it is only known to be well-formed."},
  {"whitespace_trimmed", W, "Spaces around the {0} value were removed."},
  {"name_missing", W, "No {0} given; the invitee can fill it in when accepting."},

  // Submit and results.
  {"deselected", W, "Skipped: deselected at preview."},
  {"invalid_row", E, "Not sent: the row has errors ({0}). Fix them in the file and upload it again."},
  {"cancelled", W, "Skipped: the import was cancelled before this batch was sent."},
  {"unconfirmed", E, "The server did not confirm this row (attempts: {0}; last: {1}); it may or may not have been created. Press \"Retry unconfirmed\": it resends with the same idempotency key, so nothing is created twice."},
  {"http_error", E, "The server refused the batch with HTTP {0}: {1}"},
  {"idempotency_key_reused", E, "The server has already seen this batch's idempotency key with a different body, so the batch was not sent again. Re-upload the file to start a new import."},
  {"bad_response", E, "The server's answer could not be read ({0}); the row may or may not have been created. Press \"Retry unconfirmed\"."},
};
// clang-format on

}  // namespace

const MessageEntry* find_message(std::string_view code) {
  for (const auto& m : kMessages) {
    if (code == m.code) return &m;
  }
  return nullptr;
}

const MessageEntry* message_table(size_t* count) {
  *count = sizeof(kMessages) / sizeof(kMessages[0]);
  return kMessages;
}

std::string format_message(std::string_view code, std::initializer_list<std::string_view> args) {
  const MessageEntry* m = find_message(code);
  if (!m) return std::string(code);
  std::string out;
  const char* t = m->text;
  size_t n = std::strlen(t);
  out.reserve(n + 32);
  for (size_t i = 0; i < n; ++i) {
    if (t[i] == '{' && i + 2 < n && t[i + 1] >= '0' && t[i + 1] <= '9' && t[i + 2] == '}') {
      size_t k = static_cast<size_t>(t[i + 1] - '0');
      if (k < args.size()) out.append(*(args.begin() + k));
      i += 2;
    } else {
      out.push_back(t[i]);
    }
  }
  return out;
}

std::string with_thousands(unsigned long long v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace canopy
