#include "core/messages.h"

#include <algorithm>
#include <charconv>
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
  {"file_too_large", E, "The file is {0} bytes; the limit is 10,485,760 bytes (10 MiB). Split it into files of at most 10,000 rows that each keep the header row, or import it with the canopy-import CLI, which has no size limit.", "g"},
  {"too_many_rows", E, "The file has {0} data rows; the limit is 10,000. Split it into files of at most 10,000 rows that each keep the header row, or import it with the canopy-import CLI, which has no row limit.", "g"},
  {"no_header", E, "The file has no header row: every line is blank or a # comment. Add a header row naming the columns (for example email,first_name,last_name)."},
  {"no_data_rows", E, "The file has a header row but no data rows. Add at least one row under the header and upload it again."},
  {"bad_header_line", E, "There is no line {0} with a header on it in this file (the line is past the last line, or only blank lines and comments follow it). Choose the line that holds the column names, or let the header be found.", "n"},
  {"binary_file", E, "The file has a NUL byte at byte {0}, so it looks like a binary file (an .xlsx workbook?) rather than CSV text. Save or export it as \"CSV UTF-8\" and upload that.", "n"},
  {"undecodable", E, "The file is not valid {0}: the bytes at offset {1} (line {2}) do not decode. Pick the encoding the file was saved in, or save it again as CSV UTF-8.", "vnn"},
  {"unknown_encoding", E, "\"{0}\" is not an encoding this importer can read. Choose one of the supported encodings by its name or one of its labels: UTF-8, UTF-16LE/BE, windows-1250 to 1258, windows-874, ISO-8859-2 to 16, KOI8-R/U, macintosh, IBM866, Shift_JIS, EUC-JP, ISO-2022-JP, GBK, gb18030, Big5 or EUC-KR."},
  {"encoding_unsure", W, "Not sure which encoding this file is in: it was read as {0}, but {1} reads its names differently. Check the names, then choose the encoding the file was saved in.", "vv"},
  {"worker_failed", E, "The import engine stopped ({0}). Reload the page and try again."},
  {"detectors_needed", E, "This file is not UTF-8, and telling which encoding it is in needs the encoding detectors, which could not be loaded. Check the network connection and choose the file again, or choose the file's encoding yourself."},
  {"tables_needed", E, "The decoding table {0} could not be loaded. Check the network connection and choose the file again.", "v"},
  {"bad_delimiter", E, "\"{0}\" is not a delimiter this importer supports. Choose comma, semicolon or tab."},
  {"out_of_memory", E, "The file needs more memory than this page may use ({0}). Split it into smaller files, or use the canopy-import CLI.", "m"},
  {"memory_bytes", E, "{0} bytes", "g"},
  {"memory_cells", E, "{0} cells", "g"},
  // Workbooks (src/workbook/): what the file is when it cannot be read as one.
  {"workbook_legacy_xls", E, "This is an Excel 97-2003 workbook (.xls), a binary format this importer does not read. Open it in Excel or LibreOffice, save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and upload that."},
  {"workbook_xlsb", E, "This is an Excel Binary Workbook (.xlsb), which this importer does not read. Open it in Excel, save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and upload that."},
  {"workbook_encrypted", E, "This workbook is encrypted with a password, so it cannot be read. Open it, remove the password (in Excel: File > Info > Protect Workbook > Encrypt with Password, then clear it), save it, and upload it again; or save the sheet as CSV UTF-8."},
  {"workbook_not_spreadsheet", E, "This file is a ZIP archive but not an Excel (.xlsx) or OpenDocument (.ods) workbook. Upload the spreadsheet itself, or a CSV file."},
  {"workbook_damaged", E, "The workbook cannot be read: {0}. Open it in Excel or LibreOffice and save it again, or save the sheet as CSV UTF-8, and upload that.", "m"},
  {"workbook_too_big", E, "The workbook unpacks to more than this importer reads ({0}); no spreadsheet of 10,000 rows does, so it may be a zip bomb. Save the sheet as CSV UTF-8 and upload that, or import it with the canopy-import CLI.", "m"},
  {"workbook_empty", E, "The workbook has no sheet with cells in it. Choose the workbook that holds the people, or add a header row and data rows to a sheet."},
  {"workbook_no_sheet", E, "The workbook has no sheet \"{0}\". Its sheets: {1}. Give a sheet's name or its number (1 is the first).", "vv"},
  {"sheet_empty", E, "Sheet \"{0}\" is empty. Choose another sheet, or add a header row and data rows to it.", "v"},
  {"workbook_needs_reader", E, "This file is an Excel or OpenDocument workbook, which load() does not read: read it with loadWorkbook() (the wizard and the CLI do), or save the sheet as CSV UTF-8."},
  // What is wrong with a workbook ('m' arguments of workbook_damaged and workbook_too_big, from
  // src/workbook/), what needed the memory (out_of_memory), and what was called too early (bad_state). A
  // part's name, a cell reference and a library's own words (expat's, zlib's) are values.
  {"workbook_zip_too_short", E, "the file is too short to be a ZIP archive"},
  {"workbook_unreadable", E, "the file cannot be read"},
  {"workbook_zip_no_end", E, "the end of the ZIP archive is missing (the file is truncated)"},
  {"workbook_zip_split", E, "the archive is split over several disks"},
  {"workbook_zip64_missing", E, "the ZIP64 end record is missing"},
  {"workbook_zip_entries", E, "it has {0} entries, the most is {1}", "gg"},
  {"workbook_cd_outside", E, "the central directory lies outside the file"},
  {"workbook_cd_too_large", E, "the central directory is larger than its entries"},
  {"workbook_cd_unreadable", E, "the central directory cannot be read"},
  {"workbook_cd_cut_short", E, "the central directory is cut short"},
  {"workbook_entry_no_name", E, "an entry has no name"},
  {"workbook_entry_name_nul", E, "an entry name holds a NUL byte"},
  {"workbook_entry_name_backslash", E, "an entry name holds a backslash"},
  {"workbook_entry_name_absolute", E, "an entry name is an absolute path"},
  {"workbook_entry_name_drive", E, "an entry name starts with a drive letter"},
  {"workbook_entry_name_climbs", E, "an entry name climbs out of the archive (..)"},
  {"workbook_entry_too_big", E, "{0} unpacks to {1} bytes, the most is {2}", "vgg"},
  {"workbook_entries_too_big", E, "the entries unpack to more than {0} bytes", "g"},
  {"workbook_entry_ratio", E, "{0} is compressed {1} to 1, the most is {2} to 1", "vgg"},
  {"workbook_entry_outside", E, "{0} lies outside the file (the file is truncated)"},
  {"workbook_entry_method", E, "{0} uses compression method {1}, which is neither stored nor deflate", "vn"},
  {"workbook_entry_no_header", E, "{0}: its local header is missing"},
  {"workbook_entry_truncated", E, "{0} is cut short (the file is truncated)"},
  {"workbook_entry_longer", E, "{0} unpacks to more bytes than its header says"},
  {"workbook_entry_sizes_differ", E, "{0} is stored uncompressed, but its two sizes differ"},
  {"workbook_entry_unreadable", E, "{0} cannot be read"},
  {"workbook_entry_data_short", E, "{0} is cut short (its compressed data ends early)"},
  {"workbook_entry_inflate", E, "{0} does not inflate ({1})", "vv"},
  {"workbook_entry_inflate_damaged", E, "{0} does not inflate (its compressed data is damaged)"},
  {"workbook_entry_shorter", E, "{0} unpacks to fewer bytes than its header says"},
  {"workbook_entry_crc", E, "{0} fails its CRC-32 check"},
  {"workbook_part_too_big", E, "{0} is {1} bytes, the most is {2}", "vgg"},
  {"workbook_strings_too_big", E, "its shared strings hold more than {0} bytes", "g"},
  {"workbook_row_repeat", E, "a row repeated {0} times stands for too many cells", "g"},
  {"workbook_xml_too_deep", E, "{0}: elements nest deeper than {1} levels", "vn"},
  {"workbook_xml_text_too_long", E, "{0}: a text holds more than {1} bytes", "vg"},
  {"workbook_xml_doctype", E, "{0}: it declares a DOCTYPE, which no workbook part has (entities are refused)"},
  {"workbook_xml_entity", E, "{0}: it declares an entity, which no workbook part has"},
  {"workbook_xml_error", E, "{0}: {1} at line {2}", "vvn"},
  {"workbook_part_missing", E, "the part {0} is missing"},
  {"workbook_main_part_missing", E, "the workbook part {0} is missing"},
  {"workbook_row_out_of_order", E, "a row number is out of order or past row {0}", "g"},
  {"workbook_row_twice", E, "row {0} appears twice", "n"},
  {"workbook_bad_cell_ref", E, "the cell reference \"{0}\" is malformed"},
  {"workbook_cell_past_column", E, "a cell lies past column {0}", "g"},
  {"workbook_no_shared_string", E, "a cell names shared string {0}, which is not there"},
  {"workbook_rows_out_of_order", E, "the rows of the sheet are out of order"},
  {"workbook_sheet_changed", E, "the sheet changed between two reads"},
  {"workbook_cells_out_of_order", E, "the cells of row {0} are out of order", "n"},
  {"memory_unzip", E, "to unpack the workbook"},
  {"memory_xml_parser", E, "to read the workbook's XML"},
  {"no_workbook_sheet", E, "No workbook is open, or it has no such sheet."},
  // Why the directory check failed (DirectoryStatus::reason_code); the transport's own words are a value.
  {"directory_no_answer", W, "the server did not answer"},
  {"directory_timeout", W, "the server did not answer within {0} s", "n"},
  {"directory_transport", W, "the connection failed: {0}"},
  {"directory_http", W, "the server answered HTTP {0}", "n"},
  {"directory_http_said", W, "the server answered HTTP {0}: {1}", "nv"},
  {"directory_not_items", W, "the server answered HTTP {0}, but not with an \"items\" list", "n"},
  // A call the page or an embedding app should not have made: the argument is one of the codes below
  // (or, from the CLI, a sentence of its own).
  {"bad_state", E, "{0} This is a bug in the page; reload it and try again.", "m"},
  {"bad_argument", E, "{0}", "m"},
  {"no_such_column", E, "There is no column {0}.", "n"},
  {"not_a_field_of_mode", E, "\"{0}\" is not a field of {1}. Choose one of its fields, or Ignore.", "vo"},
  {"no_such_mode", E, "There is no mode \"{0}\". Choose one of: {1}.", "vv"},
  {"upload_first", E, "Upload a file before choosing the mapping."},
  {"validate_first", E, "Validate the rows before submitting."},
  {"map_required_first", E, "Map every required field before submitting."},
  {"environment_id_needed", E, "This mode needs an environment id."},
  {"nothing_planned", E, "Nothing is planned to submit."},
  {"icu_data_empty", E, "The ICU data archive is empty."},
  {"icu_data_refused", E, "The ICU data archive was refused ({0})."},
  {"mapping_file_invalid", E, "The mapping file is not valid: it needs a \"mode\" and a \"columns\" object that gives each header its field (a header the file repeats takes a list of fields, one per column). Choose a mapping file saved by this importer."},
  {"mapping_other_mode", E, "This mapping was saved for {0}, not {1}. Choose a mapping saved for {1}, or start over in {0}.", "oo"},

  // Parsing: row issues.
  {"unterminated_quote", E, "The quoted cell that starts on line {0} is never closed. Close it with a \" (a quote inside a quoted cell is written twice: \"\"); the line was read as if the quote were plain text.", "n"},
  {"malformed_quotes", W, "Text follows the closing quote of a quoted cell; it was read as {0}. Check the cell.", "m"},
  {"too_few_cells", E, "This line has {0} cells but the header has {1}: a cell or a delimiter is missing, so the columns cannot be trusted. Fix the line and upload again.", "nn"},
  {"too_many_cells", E, "This line has {0} cells but the header has {1}, and the extra cells are not empty: an unquoted delimiter inside a value (\"Smith, John\") shifts the columns. Quote that value and upload again.", "nn"},
  {"extra_cells_ignored", W, "This line has {0} cells but the header has {1}; the extra cells are empty and were ignored.", "nn"},

  // Upload: notes about the file as a whole.
  {"failed_rows_upload", W, "This file is a failed-rows.csv from an earlier import: it holds the rows that were not imported, and its import_error column (why each one failed) is not imported."},
  {"failed_rows_left_out", W, "Left out of it: {0} (columns that held passwords). Add them back with their values before importing, or these people are created without a password."},

  // Layout: lines around the table that are skipped (parse/layout.h), always reported.
  {"preamble_skipped", W, "Lines above the header skipped: {0} ({1}). The header is line {2}; if the header is another line, choose that line (line 1 reads every line).", "nvn"},
  {"footer_skipped", W, "Lines under the data skipped as a report footer: {0} ({1}). They fit no column (totals, titles, notices); to read them as rows, keep the footer lines.", "nv"},

  // Mapping.
  {"required_field_unmapped", E, "No column is mapped to {0}, which {1} needs. Pick the column that holds it in the Mapping step."},
  {"field_already_mapped", W, "Column \"{0}\" would also map to {1}, which column \"{2}\" already has; it was left on Ignore.", "vfv"},
  {"field_not_in_mode", W, "Looks like {0}, which {1} does not take.", "fo"},
  {"field_moved", W, "{0} moved from column \"{1}\" to column \"{2}\"; \"{1}\" is now ignored.", "fvv"},
  {"field_moved_away", W, "Its field {0} moved to column \"{1}\".", "fv"},
  {"header_read_past", W, "Matched {0} as \"{1}\", reading past {2}: they do not change the meaning.", "fvv"},
  {"header_property_name", W, "Matched {0} by the property name [{1}] in the header.", "fv"},
  {"header_scim_path", W, "Matched {0} by the SCIM attribute path {1}.", "fv"},
  {"header_group_field", W, "Matched {0} as \"{1}\" under \"{2}\".", "fvv"},
  {"header_qualifier_changes", W, "Not mapped to {0}: \"{1}\" changes the meaning, it is not the person's own {0}. If this column is the one to import, map it to {0} yourself.", "lv"},
  {"header_login_name", W, "A login name is often an email address, but not always: map this column to Email yourself if it holds the emails."},
  {"header_full_name", W, "Holds a full name, which is never mapped to first or last name. Map first and last name from the columns that hold them."},
  {"column_looks_like_email", W, "Looks like {0}: {1} of the {2} values checked are valid email addresses. Map this column to {0} if it holds the people's emails.", "fgg"},
  {"column_split_name", W, "Split into first and last name: \"First Last\", \"First Middle Last\" and \"Last, First\" are read; any other form is left empty and shown as a warning on its row."},
  {"name_split_field_mapped", E, "{0} is already mapped from column \"{1}\". Set that column to Ignore first, then split the full names.", "fv"},
  {"name_split_no_fields", E, "{0} takes no first or last name, so there is nothing to split a full name into.", "o"},
  {"name_split_column_mapped", E, "Column \"{0}\" is mapped to {1}. Set it to Ignore first, then split its full names.", "vf"},
  {"name_split_column_secret", E, "Column \"{0}\" is headed like a password, so its values are never read as names. Split a column that holds the full names."},
  {"name_split_unsure", W, "\"{0}\" was not split into first and last name: {1}. Both are left empty; give them in their own columns, or fix this row.", "vm"},

  // Validation: row issues.
  {"required_missing", E, "{0} is required in this mode but the cell is empty.", "f"},
  {"email_invalid", E, "\"{0}\" is not a valid email address: {1}.", "vm"},
  {"email_too_long", E, "The email address is {0} characters long; the most is {1} ({2}).", "nnm"},
  {"name_too_long", E, "{0} is {1} characters long; the most is {2}.", "fnn"},
  {"name_control_chars", E, "{0} contains a control character (such as a tab or line break). Remove it.", "f"},
  {"password_too_short", E, "The password has {0} characters; it needs at least {1}.", "nn"},
  {"password_too_long", E, "The password is {0} bytes in UTF-8; the most is {1}.", "nn"},
  {"uuid_invalid", E, "{0} must be a UUID such as 3f2c1d5e-8a4b-4c7d-9e6f-1a2b3c4d5e6f, not \"{1}\".", "fv"},
  {"role_unknown", E, "Role {0} does not exist in this environment (its roles: {1}). Use the id of one of them, or leave role_id and node_id empty.", "vm"},
  {"node_unknown", E, "Node {0} does not exist in this environment (its nodes: {1}). Use the id of one of them, or leave role_id and node_id empty.", "vm"},
  {"client_unknown", E, "OAuth client \"{0}\" does not exist in this environment (its OAuth clients: {1}). Use the client_id of one of them, or leave the cell empty.", "vm"},
  {"application_unknown", E, "Application {0} does not exist in this account (its applications: {1}). Use the id of one of them, or leave the cell empty.", "vm"},
  {"role_without_node", E, "role_id is set but node_id is empty: a role is assigned on a node, so give both or neither."},
  {"node_without_role", E, "node_id is set but role_id is empty: a role is assigned on a node, so give both or neither."},
  {"send_email_invalid", E, "send_email must be true/false, yes/no, y/n, 1/0 or on/off (or empty for true), not \"{0}\"."},
  {"duplicate_email", E, "The email {0} already appears on line {1} (emails are compared without regard to case). Remove one of the two rows.", "vn"},
  {"duplicate_external_id", E, "The external_id {0} already appears on line {1}. Remove one of the two rows or give each its own id.", "vn"},
  {"lookups_unavailable", E, "{0} cannot be checked because the environment's lookups did not load. Press Retry in the banner; the row can be selected once they load.", "f"},
  {"lookup_not_verified", W, "{0} was not checked against the environment (no lookups were given); it is only known to be well-formed.", "f"},
  {"email_exists", E, "{0} already has {1}; the server would refuse this row. Leave it out of the file, or remove the existing one first and upload again.", "vm"},
  {"whitespace_trimmed", W, "Spaces around the {0} value were removed.", "l"},
  {"name_missing", W, "No {0} given; the invitee can fill it in when accepting.", "l"},

  // Submit and results.
  {"deselected", W, "Skipped: deselected at preview."},
  {"replayed", W, "Already created by an earlier attempt: the server replayed its answer, so this import did not create it again."},
  {"accept_link_withheld", W, "Invited, but the server no longer hands out this invite's accept link (it was accepted since, or the server restarted). Take it from the earlier attempt's results.csv, or delete the invite and invite again."},
  {"replayed_invite", W, "Already invited by an earlier attempt: the server replayed its answer, so this import did not invite again."},
  {"invalid_row", E, "Not sent: the row has errors ({0}). Fix them in the file and upload it again."},
  {"cancelled", W, "Skipped: the import was cancelled before this batch was sent."},
  {"unconfirmed", E, "The server did not confirm this row (attempts: {0}; last: {1}); it may or may not have been created. Retry the unconfirmed rows: they are resent with the same idempotency key, so nothing is created twice.", "nm"},
  {"retry_after_too_long", E, "The server answered HTTP {1} and asked to wait {0} seconds before the next attempt, longer than the {2} minutes this importer waits, so the batch was not sent again; its rows may or may not have been created. Retry the unconfirmed rows later: they are resent with the same idempotency key, so nothing is created twice.", "gnn"},
  {"http_error", E, "The server refused the batch with HTTP {0}: {1}", "nm"},
  {"idempotency_key_reused", E, "The server has already seen this batch's idempotency key with a different body, so the batch was not sent again. Re-upload the file to start a new import."},
  {"bad_response", E, "The server's answer could not be read ({0}); the row may or may not have been created. Retry the unconfirmed rows: they are resent with the same idempotency key, so nothing is created twice.", "m"},
  // What an attempt got (unconfirmed's last), what the server said (http_error), why an answer could
  // not be read (bad_response), and why a batch waits (Action::reason_code).
  {"last_http", E, "the last one got HTTP {0}", "n"},
  {"last_timeout", E, "the last one timed out"},
  {"last_network_error", E, "the last one failed with a network error"},
  {"cancelled_after", E, "{0}; the import was cancelled before the next attempt", "m"},
  {"server_said", E, "{0}", "v"},
  {"no_message", E, "no message"},
  {"response_not_json", E, "the body is not JSON"},
  {"response_not_object", E, "the body is not a JSON object"},
  {"response_no_results", E, "no \"results\" array"},
  {"response_count", E, "{0} results for {1} rows sent", "nn"},
  {"response_entry_not_object", E, "result {0} is not an object", "n"},
  {"response_no_row", E, "result {0} has no row number", "n"},
  {"response_row_unknown", E, "row {0} was not sent in this batch or is answered twice", "n"},
  {"response_no_status", E, "row {0} has no status", "n"},
  {"response_no_error_code", E, "row {0} has status error but no error code", "n"},
  {"response_unknown_status", E, "row {0} has the unknown status \"{1}\"", "nv"},
  {"response_unexpected_http", E, "unexpected HTTP {0}", "n"},
  {"wait_rate_limited", W, "rate limited (429)"},
  {"wait_in_flight", W, "batch still in flight on the server (409)"},
  {"wait_server_error", W, "server error ({0})", "n"},
  {"wait_bad_gateway", W, "bad gateway (502)"},
  {"wait_busy", W, "server busy (503)"},
  {"wait_gateway_timeout", W, "gateway timeout (504)"},
  {"wait_timeout", W, "timeout"},
  {"wait_network_error", W, "network error"},
  {"wait_response", W, "waiting for the response"},

  // Parts of other messages ('m' arguments): why an email address is not valid, how a character is named.
  {"lookup_names", E, "{0}"},
  {"lookup_names_more", E, "{0} and {1} more", "vg"},
  {"lookup_names_none", E, "none"},
  {"directory_identity", E, "an identity ({0}, created {1})", "vd"},
  {"directory_invite", E, "a pending invite ({0}, sent {1})", "vd"},
  {"masked_value", W, "a value that is not shown ({0} values are masked)", "l"},
  {"email_empty", E, "it is empty"},
  {"email_no_at", E, "there is no @"},
  {"email_two_at", E, "there is more than one @"},
  {"email_no_local", E, "there is nothing before the @"},
  {"email_no_domain", E, "there is nothing after the @"},
  {"email_local_char", E, "the part before @ contains {0}", "m"},
  {"email_local_char_ascii", E, "the part before @ contains {0}; only unaccented letters, digits and . ! # $ % & ' * + - / = ? ^ _ ` { | } ~ are allowed there", "m"},
  {"email_local_too_long", E, "the part before @ is longer than 64 characters"},
  {"email_domain_char", E, "the domain contains {0}", "m"},
  {"email_domain_char_ldh", E, "the domain contains {0}; only letters, digits, hyphens and dots are allowed there", "m"},
  {"email_domain_leading_dot", E, "the domain starts with a dot"},
  {"email_domain_trailing_dot", E, "the domain ends with a dot"},
  {"email_domain_double_dot", E, "the domain has two dots in a row"},
  {"email_label_leading_hyphen", E, "a part of the domain starts with a hyphen"},
  {"email_label_trailing_hyphen", E, "a part of the domain ends with a hyphen"},
  {"email_label_too_long", E, "a part of the domain between dots is longer than 63 characters"},
  {"email_domain_no_dot", E, "the domain needs a dot"},
  {"name_split_one_word", W, "it is one word"},
  {"name_split_many_words", W, "four or more words (or two last names) cannot be told apart"},
  {"name_split_commas", W, "it has more than one comma"},
  {"name_split_title", W, "it has a title or suffix (Dr., Jr., III)"},
  {"name_split_cjk", W, "Chinese, Japanese and Korean names are written family name first, often without a space"},
  {"email_idn_unavailable", E, "its international domain name could not be checked (the IDNA data is missing)"},
  {"email_domain_far_too_long", E, "the domain is far too long"},
  {"email_idn_unconvertible", E, "its international domain name could not be converted"},
  {"email_idn_punycode", E, "a part of the domain starting with xn-- is not valid punycode"},
  {"email_idn_disallowed", E, "the domain contains a character that domain names do not allow"},
  {"email_idn_combining_mark", E, "a part of the domain starts with a combining mark"},
  {"email_idn_bidi", E, "the domain mixes right-to-left and left-to-right text in a way domain names do not allow"},
  {"email_idn_contextj", E, "the domain has an invisible joiner character where domain names do not allow one"},
  {"email_idn_invalid", E, "the domain is not a valid international domain name"},
  {"email_too_long_idn", E, "counted with the domain in its ASCII xn-- form, as mail servers see it"},
  {"email_too_long_plain", E, "longer addresses cannot receive mail"},
  {"char_tab", E, "a tab"},
  {"char_line_break", E, "a line break"},
  {"char_space", E, "a space"},
  {"char_control", E, "a control character"},
  {"char_quote", E, "a quotation mark"},
  {"char_not_utf8", E, "a byte that is not UTF-8"},
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

std::string pack_args(std::initializer_list<std::string_view> args) {
  std::string out;
  for (std::string_view a : args) append_arg(out, a);
  return out;
}

void append_arg(std::string& packed, std::string_view arg) {
  const auto plain = [](unsigned char c) { return c >= 0x20 && c != 0x7f; };
  if (arg.size() <= kMaxArgBytes && std::all_of(arg.begin(), arg.end(), plain)) {
    packed.append(arg);
  } else {
    // A message is one line of text: a line break shows as "↵", a tab as "⇥", any other control
    // character (kArgEnd included) as U+FFFD; a long value is cut at a character boundary, with "…".
    size_t end = std::min(arg.size(), kMaxArgBytes);
    while (end < arg.size() && end > 0 && (static_cast<unsigned char>(arg[end]) & 0xC0) == 0x80) --end;
    for (size_t i = 0; i < end; ++i) {
      const auto c = static_cast<unsigned char>(arg[i]);
      if (plain(c)) {
        packed.push_back(arg[i]);
      } else if (c == '\r' || c == '\n') {
        packed.append("\u21B5");
        if (c == '\r' && i + 1 < end && arg[i + 1] == '\n') ++i;
      } else if (c == '\t') {
        packed.append("\u21E5");
      } else {
        packed.append("\uFFFD");
      }
    }
    if (end < arg.size()) packed.append("\u2026");
  }
  packed.push_back(kArgEnd);
}

std::vector<std::string_view> unpack_args(std::string_view packed) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i < packed.size(); ++i) {
    if (packed[i] != kArgEnd) continue;
    out.push_back(packed.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

std::string with_thousands(unsigned long long v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

namespace {

// A 'g' argument as a number: digits only, parsed without allocating or throwing (the wasm build has no
// exceptions, and std::stoull throws on an out-of-range figure).
bool parse_count(std::string_view s, unsigned long long* v) {
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, *v);
  return ec == std::errc() && p == end;
}

void format_into(std::string& out, const MessageEntry& m, const std::vector<std::string_view>& args, size_t first,
                 LabelFn label) {
  const char* t = m.text;
  const size_t n = std::strlen(t);
  const size_t kinds = std::strlen(m.args);
  for (size_t i = 0; i < n; ++i) {
    if (t[i] == '{' && i + 2 < n && t[i + 1] >= '0' && t[i + 1] <= '9' && t[i + 2] == '}') {
      const auto k = static_cast<size_t>(t[i + 1] - '0');
      i += 2;
      if (first + k >= args.size()) continue;
      const std::string_view a = args[first + k];
      const char kind = k < kinds ? m.args[k] : 'v';
      unsigned long long count = 0;
      if (kind == 'g' && parse_count(a, &count)) {
        out += with_thousands(count);
      } else if (kind == 'd' && a.size() >= 10 && a[4] == '-' && a[7] == '-') {
        out.append(a.substr(0, 10));  // the date of an ISO 8601 time: what a person needs to tell them apart
      } else if ((kind == 'f' || kind == 'l' || kind == 'o') && label) {
        out += label(kind, a);
      } else if (const MessageEntry* sub = kind == 'm' ? find_message(a) : nullptr) {
        format_into(out, *sub, args, first + k + 1, label);
      } else {
        out.append(a);
      }
    } else {
      out.push_back(t[i]);
    }
  }
}

}  // namespace

std::string format_packed(std::string_view code, std::string_view packed, LabelFn label) {
  const MessageEntry* m = find_message(code);
  if (!m) return std::string(code);
  std::string out;
  out.reserve(std::strlen(m->text) + 32);
  format_into(out, *m, unpack_args(packed), 0, label);
  return out;
}

std::string format_message(std::string_view code, std::initializer_list<std::string_view> args) {
  return format_packed(code, pack_args(args));
}

}  // namespace canopy
