// Numbers as a spreadsheet shows them: a cell's value rendered with its number format, so that what the
// user sees is what is imported. An employee number formatted 00000 keeps its zeros ("00123"), a text
// format (@) keeps the digits, General never writes 1.23E+05 for a number the user typed in full, and a
// date or time is written in ISO 8601 (2026-03-01, 2026-03-01T09:30:00, 09:30:00) whatever its format.
#pragma once
#include <string>
#include <string_view>

namespace canopy::workbook {

// The format code of a built-in format id (ECMA-376 18.8.30), "" for ids with none ("General").
std::string_view builtin_format(int id);

// Whether `code` shows a date or a time (y, m, d, h, s outside quotes and brackets; [h], [mm], [ss]).
bool is_date_format(std::string_view code);

// The serial date `serial` (days since 1899-12-30, or since 1904-01-01 with date1904) as ISO 8601: a
// date, a date and time, or a time (when the format has no date part). Out of range: General.
std::string format_date(double serial, bool date1904, std::string_view code);

// An ISO 8601 date or date-time as a writer stores it (2021-03-01T00:00:00.000Z) the way a cell shows
// it: the date alone at midnight, else YYYY-MM-DDTHH:MM:SS (fractions of zero and a Z dropped). Text
// that is no such date comes back as it is.
std::string normalize_iso_datetime(std::string_view v);

// General: up to 15 significant digits, never an exponent (123456789012 stays 123456789012).
std::string format_general(double v);

// `v` rendered with the format code `code` ("" or "General": format_general). Handles sections
// (positive;negative;zero;text), literals ("EMP-"0000, \-, [$€-407]), digit placeholders 0 # ?, decimals,
// thousands separators, percent, scientific notation when the format asks for it, and dates.
std::string format_number(double v, std::string_view code, bool date1904 = false);

}  // namespace canopy::workbook
