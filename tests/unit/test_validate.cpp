// validate/: field rules, lookups, pairing, duplicates, warnings and merged parse issues (SPEC.md
// "Preview (validation)"), plus the email vectors in tests/vectors/email/isemail.tsv.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/messages.h"
#include "mapping/schema.h"
#include "validate/email.h"
#include "validate/issue_text.h"
#include "validate/text_scan.h"
#include "validate/validator.h"

using namespace canopy;

namespace {

// A hand-built Table (the reader is another module): records[0] is the header. Lines default to
// 1, 2, 3, ...; pass `lines` to give records the source lines a file with comments would have.
Table make_table(const std::vector<std::vector<std::string>>& records, std::vector<uint32_t> lines = {}) {
  Table t;
  for (size_t r = 0; r < records.size(); ++r) {
    Record rec{static_cast<uint32_t>(t.cells.size()), static_cast<uint32_t>(records[r].size()),
               lines.empty() ? static_cast<uint32_t>(r + 1) : lines[r]};
    for (const std::string& cell : records[r]) {
      t.cells.push_back(Cell{static_cast<uint32_t>(t.text.size()), static_cast<uint32_t>(cell.size())});
      t.text += cell;
    }
    t.records.push_back(rec);
  }
  t.lines = records.empty() ? 0 : t.records.back().line;
  return t;
}

// Headers that name a field of the mode map to it; anything else is ignored.
Mapping make_mapping(std::string_view mode_id, const std::vector<std::string>& headers) {
  Mapping m;
  m.mode = find_mode(mode_id);
  REQUIRE(m.mode != nullptr);
  for (const std::string& h : headers) {
    ColumnMapping c;
    c.header = h;
    if (mode_has_field(*m.mode, h)) {
      c.field = h;
      c.status = ColumnStatus::matched;
    }
    m.columns.push_back(c);
  }
  return m;
}

struct Fixture {
  std::vector<std::string> header;
  Table table;
  Mapping mapping;
  Fixture(std::string_view mode, std::vector<std::string> h, std::vector<std::vector<std::string>> rows,
          std::vector<uint32_t> lines = {})
      : header(std::move(h)) {
    rows.insert(rows.begin(), header);
    table = make_table(rows, std::move(lines));
    mapping = make_mapping(mode, header);
  }
  Validation run(const Lookups& lookups = Lookups{}) const { return validate_table(table, mapping, lookups); }
};

const std::string kRole = "5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01";
const std::string kNode = "8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01";
const std::string kApp = "a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a01";

Lookups loaded_lookups() {
  Lookups l;
  l.state = Lookups::State::loaded;
  l.roles = {kRole};
  l.nodes = {kNode};
  l.applications = {kApp};
  l.clients = {"dashboard-web"};
  return l;
}

std::vector<const Issue*> row_issues(const Validation& v, uint32_t row) {
  std::vector<const Issue*> out;
  const RowCheck& rc = v.rows.at(row);
  for (uint32_t i = 0; i < rc.issue_count; ++i) out.push_back(&v.issues.at(rc.first_issue + i));
  return out;
}

std::vector<std::string> row_codes(const Validation& v, uint32_t row) {
  std::vector<std::string> out;
  for (const Issue* i : row_issues(v, row)) out.push_back(i->code);
  return out;
}

const Issue* find_issue(const Validation& v, uint32_t row, std::string_view code) {
  for (const Issue* i : row_issues(v, row)) {
    if (i->code == code) return i;
  }
  return nullptr;
}

// Every issue belongs to exactly one row, rows are contiguous and in order, and the counts add up.
void check_invariants(const Validation& v) {
  uint32_t next = 0, valid = 0, warnings = 0, errors = 0;
  for (uint32_t r = 0; r < v.rows.size(); ++r) {
    const RowCheck& rc = v.rows[r];
    REQUIRE(rc.first_issue == next);
    next += rc.issue_count;
    RowStatus worst = RowStatus::valid;
    for (const Issue* i : row_issues(v, r)) {
      CHECK(i->row == r);
      CHECK(find_message(i->code) != nullptr);
      CHECK_FALSE(issue_message(*i).empty());
      CHECK(issue_message(*i) != i->code);
      if (i->severity == Severity::error) worst = RowStatus::error;
      else if (worst == RowStatus::valid) worst = RowStatus::warning;
    }
    CHECK(rc.status == worst);
    (rc.status == RowStatus::valid ? valid : rc.status == RowStatus::warning ? warnings : errors)++;
  }
  CHECK(v.valid == valid);
  CHECK(v.warnings == warnings);
  CHECK(v.errors == errors);
  CHECK(next <= v.issues.size());
}

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// Value helpers

TEST_CASE("trim_value strips ASCII and Unicode white space, nothing else", "[validate][trim]") {
  auto [raw, trimmed] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"   ", ""},
      {"a", "a"},
      {" a ", "a"},
      {"\t\r\n a b \n", "a b"},
      {"\v\fx\v", "x"},
      {"\xC2\xA0"
       "Ada\xC2\xA0",
       "Ada"},  // U+00A0 NO-BREAK SPACE
      {"\xE3\x80\x80"
       "Ada\xE3\x80\x80",
       "Ada"},  // U+3000 IDEOGRAPHIC SPACE
      {"\xEF\xBB\xBF"
       "Ada",
       "Ada"},                                                     // U+FEFF left by spreadsheets
      {"\xE2\x80\x83x\xE2\x80\xA9", "x"},                          // U+2003 EM SPACE, U+2029
      {"\xC2\x85x\xE1\x9A\x80", "x"},                              // U+0085, U+1680
      {"\xE2\x80\xAFx\xE2\x81\x9F", "x"},                          // U+202F, U+205F
      {"\xE2\x80\x8Bx\xE2\x80\x8B", "\xE2\x80\x8Bx\xE2\x80\x8B"},  // U+200B is not White_Space
      {"\xC3\xA9", "\xC3\xA9"},                                    // é: a lead byte C3 is not a space
      {"caf\xC3\xA9 \xC2\xA0", "caf\xC3\xA9"},
      {"\xE2\x80\x8C", "\xE2\x80\x8C"},  // U+200C ZWNJ stays
      {"a\xC2\xA0"
       "b",
       "a\xC2\xA0"
       "b"},  // inside: kept
  }));
  CAPTURE(raw);
  CHECK(trim_value(raw) == trimmed);
}

TEST_CASE("parse_send_email accepts the SPEC's words in any case", "[validate][send_email]") {
  auto [in, expected] = GENERATE(table<std::string, int>({
      {"", 1},
      {"true", 1},
      {"TRUE", 1},
      {"Yes", 1},
      {"y", 1},
      {"Y", 1},
      {"1", 1},
      {"on", 1},
      {"ON", 1},
      {"false", 0},
      {"False", 0},
      {"no", 0},
      {"N", 0},
      {"0", 0},
      {"off", 0},
      {"OfF", 0},
      {"maybe", -1},
      {"tru", -1},
      {"truee", -1},
      {"2", -1},
      {"yes please", -1},
      {"-1", -1},
      {"nein", -1},
      {"t", -1},
      {"f", -1},
      {"0.0", -1},
      {"\xC3\xBF"
       "es",
       -1},
  }));
  CAPTURE(in);
  const std::optional<bool> got = parse_send_email(in);
  if (expected < 0) {
    CHECK_FALSE(got.has_value());
  } else {
    REQUIRE(got.has_value());
    CHECK(*got == (expected == 1));
  }
}

TEST_CASE("is_uuid is 8-4-4-4-12 hex digits in any case", "[validate][uuid]") {
  auto [in, expected] = GENERATE(table<std::string, bool>({
      {"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01", true},
      {"5B0F7A53-3C1E-4D2A-9B47-2F6A1C9E8D01", true},
      {"00000000-0000-0000-0000-000000000000", true},
      {"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d0", false},    // 35
      {"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d011", false},  // 37
      {"5b0f7a533c1e-4d2a-9b47-2f6a1c9e8d01-", false},
      {"5b0f7a53-3c1e-4d2a-9b47_2f6a1c9e8d01", false},
      {"5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d0g", false},
      {"{5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01}", false},
      {"5b0f7a533c1e4d2a9b472f6a1c9e8d01", false},
      {"your-role-id", false},
      {"", false},
  }));
  CAPTURE(in);
  CHECK(is_uuid(in) == expected);
}

// ---------------------------------------------------------------------------------------------------
// Email

// A packed email reason (its code, then its arguments) in English.
static std::string reason_text(const std::string& packed) {
  if (packed.empty()) return {};
  const size_t end = packed.find(kArgEnd);
  return format_packed(std::string_view(packed).substr(0, end), std::string_view(packed).substr(end + 1));
}

TEST_CASE("check_email: WHATWG grammar, limits and reasons", "[validate][email]") {
  const std::string l64 = repeat("a", 64), l65 = repeat("a", 65);
  const std::string lab63 = repeat("b", 63), lab64 = repeat("b", 64);
  // 64 + 1 + (63 + 1 + 63 + 1 + 61) = 254; one more in the last label = 255.
  const std::string total254 = l64 + "@" + lab63 + "." + lab63 + "." + repeat("c", 61);
  const std::string total255 = l64 + "@" + lab63 + "." + lab63 + "." + repeat("c", 62);
  REQUIRE(total254.size() == 254);
  REQUIRE(total255.size() == 255);
  // "bücher." is 7 characters but "xn--bcher-kva." is 14: 50 + 1 + 14 * 14 + 7 = 254 in ASCII form.
  const std::string idn_domain = repeat(
                                     "b\xC3\xBC"
                                     "cher.",
                                     14) +
                                 "example";
  const std::string idn254 = repeat("a", 50) + "@" + idn_domain;
  const std::string idn255 = repeat("a", 51) + "@" + idn_domain;
  REQUIRE(idn255.size() < 254);  // short in UTF-8, too long for mail servers

  auto [address, code, reason] = GENERATE_COPY(table<std::string, std::string, std::string>({
      {"ada@example.com", "", ""},
      {"Ada.Lovelace+ops@Example.COM", "", ""},
      {"!#$%&'*+/=?^_`{|}~-@example.com", "", ""},
      {"a@b.co", "", ""},
      {"user@g--a.com", "", ""},
      {"user@255.255.255.255", "", ""},  // WHATWG accepts an all-digit domain
      {".a..b.@example.com", "", ""},    // WHATWG allows dots anywhere before @ (see isemail.tsv)
      {l64 + "@example.com", "", ""},
      {l65 + "@example.com", "email_invalid", "the part before @ is longer than 64 characters"},
      {"a@" + lab63 + ".com", "", ""},
      {"a@" + lab64 + ".com", "email_invalid", "a part of the domain between dots is longer than 63 characters"},
      {total254, "", ""},
      {total255, "email_too_long", "longer addresses cannot receive mail"},
      {"ada", "email_invalid", "there is no @"},
      {"ada.example.com", "email_invalid", "there is no @"},
      {"ada@@example.com", "email_invalid", "there is more than one @"},
      {"a@b@example.com", "email_invalid", "there is more than one @"},
      {"@example.com", "email_invalid", "there is nothing before the @"},
      {"ada@", "email_invalid", "there is nothing after the @"},
      {"ada lovelace@example.com", "email_invalid", "the part before @ contains a space"},
      {"ada@exam ple.com", "email_invalid", "the domain contains a space"},
      {"ada\t@example.com", "email_invalid", "the part before @ contains a tab"},
      {"ada\x01@example.com", "email_invalid", "the part before @ contains a control character"},
      {"ada@example.com\n", "email_invalid", "the domain contains a line break"},
      {"(ada)@example.com", "email_invalid", "the part before @ contains \"(\""},
      {"\"ada\"@example.com", "email_invalid", "the part before @ contains a quotation mark"},
      {"ada,b@example.com", "email_invalid", "the part before @ contains \",\""},
      {"ada@localhost", "email_invalid", "the domain needs a dot"},
      {"ada@example", "email_invalid", "the domain needs a dot"},
      {"ada@.example.com", "email_invalid", "the domain starts with a dot"},
      {"ada@example.com.", "email_invalid", "the domain ends with a dot"},
      {"ada@example..com", "email_invalid", "the domain has two dots in a row"},
      {"ada@-example.com", "email_invalid", "a part of the domain starts with a hyphen"},
      {"ada@example-.com", "email_invalid", "a part of the domain ends with a hyphen"},
      {"ada@exa_mple.com", "email_invalid",
       "the domain contains \"_\"; only letters, digits, hyphens and dots are allowed there"},
      {"ada@[192.168.0.1]", "email_invalid", "the domain contains \"[\""},
      {"ada@example.com:25", "email_invalid", "the domain contains \":\""},
      // Internationalised domains, via UTS #46.
      {"user@b\xC3\xBC"
       "cher.example",
       "", ""},
      {"user@xn--bcher-kva.example", "", ""},
      {"user@XN--BCHER-KVA.example", "", ""},
      {"user@B\xC3\x9C"
       "CHER.example",
       "", ""},
      {"user@b\xC3\xBC"
       "cher\xE3\x80\x82"
       "example",
       "", ""},  // U+3002 IDEOGRAPHIC FULL STOP
      {"user@stra\xC3\x9F"
       "e.de",
       "", ""},
      {"user@xn--zz.example", "email_invalid", "a part of the domain starting with xn-- is not valid punycode"},
      {"user@xn--.example", "email_invalid", "a part of the domain starting with xn-- is not valid punycode"},
      {"user@xn--abc-.example", "email_invalid", "a part of the domain starting with xn-- is not valid punycode"},
      {"user@-\xC3\xBC.com", "email_invalid", "a part of the domain starts with a hyphen"},
      {"user@b\xC3\xBC"
       "cher",
       "email_invalid", "the domain needs a dot"},
      {"user@b\xC3\xBC"
       " cher.example",
       "email_invalid", "the domain contains a space"},
      {"user@b\xC3\xBC"
       "cher_x.example",
       "email_invalid", "the domain contains \"_\""},
      {"user@a\xD7\x90.com", "email_invalid", "right-to-left"},  // Bidi rule
      {"user@a\xE2\x80\x8C"
       "b.\xC3\xBC.com",
       "email_invalid", "joiner"},  // ContextJ
      {"\xC3\xBCser@example.com", "email_invalid", "the part before @ contains \"\xC3\xBC\"; only unaccented letters"},
      {"user\xC2\xA0@example.com", "email_invalid", "the part before @ contains a space"},
      {"a@b\xC3\xBC"
       "cher." +
           repeat("x", 64),
       "email_invalid", "longer than 63 characters"},
      {idn254, "", ""},
      {idn255, "email_too_long", "xn--"},
  }));
  CAPTURE(address);
  const EmailVerdict v = check_email(address);
  CHECK(v.ok == code.empty());
  CHECK(v.code == code);
  if (reason.empty()) {
    CHECK(v.reason.empty());
  } else {
    CHECK_THAT(reason_text(v.reason), Catch::Contains(reason));
  }
}

namespace {

// The TSV's address escapes: \\ and \xHH (see the file's header).
std::string unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (i + 3 < s.size() && s[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      FAIL("bad escape in " << s);
    }
  }
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

}  // namespace

TEST_CASE("check_email matches every documented verdict in the isemail vectors", "[validate][email][vectors]") {
  std::ifstream in(CANOPY_SOURCE_DIR "/tests/vectors/email/isemail.tsv", std::ios::binary);
  REQUIRE(in.good());
  std::string line;
  size_t cases = 0, rfc_invalid = 0, accepted = 0, looser = 0;
  bool header = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      REQUIRE(line == "address\tisemail\tours\tnote");
      header = true;
      continue;
    }
    const std::vector<std::string> cells = split_tabs(line);
    REQUIRE(cells.size() == 4);
    const std::string address = unescape(cells[0]);
    const int diagnosis = std::stoi(cells[1]);
    const std::string& ours = cells[2];
    const std::string& note = cells[3];
    INFO("line: " << line);
    REQUIRE((ours == "valid" || ours == "email_invalid" || ours == "email_too_long"));
    ++cases;

    const EmailVerdict v = check_email(address);
    CHECK(v.ok == (ours == "valid"));
    if (ours != "valid") CHECK(v.code == ours);

    // isemail: 16+ fails its default threshold, 65+ is invalid for SMTP, 128+ invalid for any purpose.
    if (diagnosis >= 16) ++rfc_invalid;
    if (ours == "valid") ++accepted;
    if (diagnosis >= 16 && ours == "valid") {
      // The only accepted RFC failures are WHATWG's deliberate looseness (dots before @), noted as such.
      CHECK_THAT(note, Catch::StartsWith("whatwg-looser:"));
      ++looser;
    }
    if (diagnosis >= 66 && diagnosis <= 69) CHECK_FALSE(v.ok);         // too long anywhere: never accepted
    if (diagnosis < 16 && ours != "valid") CHECK_FALSE(note.empty());  // stricter than RFC: says why
  }
  CHECK(header);
  CHECK(cases >= 150);
  CHECK(rfc_invalid >= 100);
  CHECK(accepted >= 30);
  CHECK(looser <= 5);
}

TEST_CASE("the one-pass email check gives the full grammar's verdict on every input", "[validate][email]") {
  // check_email_detail accepts plain ASCII addresses in one pass and sends everything else through
  // check_email_grammar: generated addresses near every rule's edge must get identical results.
  uint32_t seed = 20261127;
  auto rnd = [&](uint32_t m) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % m;
  };
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           "0",
                                           ".",
                                           "-",
                                           "@",
                                           "xn--",
                                           "XN--",
                                           "x",
                                           "n",
                                           "_",
                                           "+",
                                           " ",
                                           "\t",
                                           "é",
                                           "example",
                                           "com",
                                           "..",
                                           "-.",
                                           ".-",
                                           "a-b",
                                           "xn--bcher-kva",
                                           std::string(60, 'l'),
                                           std::string(63, 'm'),
                                           std::string(64, 'k')};
  std::string scratch_a, scratch_b;
  size_t plain = 0, other = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const uint32_t parts = 1 + rnd(12);
    for (uint32_t k = 0; k < parts; ++k) s += pieces[rnd(static_cast<uint32_t>(pieces.size()))];
    if (rnd(3) == 0) {
      // Near misses of an address: local@label.label
      s = s.substr(0, rnd(70)) + "@" + pieces[rnd(static_cast<uint32_t>(pieces.size()))] + "." +
          s.substr(std::min<size_t>(rnd(40), s.size()));
    } else if (rnd(2) == 0) {
      // Addresses built from plausible parts, some of them over a limit or breaking a label rule.
      static const std::vector<std::string> locals = {"a",
                                                      "John.Smith",
                                                      "x+tag",
                                                      "o'brien",
                                                      ".a.",
                                                      std::string(64, 'q'),
                                                      std::string(65, 'q'),
                                                      "#!$%&*/=?^_`{|}~-"};
      static const std::vector<std::string> labels = {"example",
                                                      "com",
                                                      "a",
                                                      "a-b",
                                                      "A1",
                                                      "xn--",
                                                      "xn--bcher-kva",
                                                      "-a",
                                                      "a-",
                                                      "9",
                                                      std::string(63, 'd'),
                                                      std::string(64, 'd'),
                                                      ""};
      s = locals[rnd(static_cast<uint32_t>(locals.size()))] + "@";
      const uint32_t n = 1 + rnd(5);
      for (uint32_t k = 0; k < n; ++k) s += (k ? "." : "") + labels[rnd(static_cast<uint32_t>(labels.size()))];
    }
    const detail::EmailCheck fast = detail::check_email_detail(s, scratch_a);
    const detail::EmailCheck full = detail::check_email_grammar(s, scratch_b);
    INFO("address: " << s);
    REQUIRE(fast.status == full.status);
    REQUIRE(fast.reason == full.reason);
    REQUIRE(fast.length == full.length);
    REQUIRE(fast.idn == full.idn);
    CHECK_FALSE(full.lower_ascii);
    if (fast.lower_ascii) {
      REQUIRE(fast.status == detail::EmailCheck::Status::ok);
      REQUIRE(std::none_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c & 0x80); }));
      ++plain;
    } else {
      ++other;
    }
  }
  CHECK(plain > 3000);
  CHECK(other > 5000);
}

TEST_CASE("scan_text counts code points and finds control characters as ICU does", "[validate][names]") {
  uint32_t seed = 7;
  auto rnd = [&](uint32_t m) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % m;
  };
  // ASCII, C0 and DEL, C1 (U+0080, U+009F) beside its neighbours (U+00A0, U+00C2 "Â"), longer sequences.
  const std::vector<std::string> pieces = {"a", "Z",        "\x01",     "\t",       "\x1F",     "\x7F", " ", "~",
                                           "é", "\xC2\x80", "\xC2\x9F", "\xC2\xA0", "\xC3\x82", "€",    "😀"};
  for (int i = 0; i < 50000; ++i) {
    std::string s;
    for (uint32_t k = rnd(30); k > 0; --k) s += pieces[rnd(static_cast<uint32_t>(pieces.size()))];
    size_t expected_points = 0;
    bool expected_control = false;
    for (int32_t at = 0; at < static_cast<int32_t>(s.size());) {
      UChar32 c = 0;
      U8_NEXT(s.data(), at, static_cast<int32_t>(s.size()), c);
      ++expected_points;
      expected_control |= u_charType(c) == U_CONTROL_CHAR;
    }
    const detail::TextScan t = detail::scan_text(s);
    INFO("text bytes: " << s.size());
    REQUIRE(t.code_points == expected_points);
    REQUIRE(t.control == expected_control);
  }
}

// ---------------------------------------------------------------------------------------------------
// validate_table

TEST_CASE("valid rows have no issues: the sample rows of every mode validate", "[validate][table]") {
  for (const ModeSpec& mode : all_modes()) {
    CAPTURE(mode.id);
    std::vector<std::string> header;
    for (const FieldSpec* f : mode_fields(mode)) header.emplace_back(f->name);
    std::vector<std::vector<std::string>> rows;
    for (const auto& ex : mode.examples) {
      std::vector<std::string> row;
      for (const std::string& field : header) row.emplace_back(example_value(ex, field));
      rows.push_back(std::move(row));
    }
    Fixture fx(mode.id, header, rows);
    const Validation v = fx.run(loaded_lookups());
    check_invariants(v);
    CHECK(v.errors == 0);
    for (uint32_t r = 0; r < v.rows.size(); ++r) {
      for (const Issue* i : row_issues(v, r)) {
        CAPTURE(i->code, issue_message(*i));
        CHECK(i->severity == Severity::warning);  // only name_missing for empty invite names
        CHECK(i->code == "name_missing");
      }
    }
  }
}

TEST_CASE("issue fields: row index, source line, column, field, catalogue message", "[validate][table]") {
  // Source lines 1, 4, 5: comments in between, so row index and line differ.
  Fixture fx("create", {"email", "first_name", "last_name"},
             {{"ada@example.com", "Ada", "Lovelace"}, {"not-an-email", "Grace", "Hopper"}}, {1, 4, 5});
  const Validation v = fx.run();
  check_invariants(v);
  REQUIRE(v.rows.size() == 2);
  CHECK(v.rows[0].status == RowStatus::valid);
  CHECK(v.rows[0].issue_count == 0);
  REQUIRE(row_codes(v, 1) == std::vector<std::string>{"email_invalid"});
  const Issue& i = v.issues[v.rows[1].first_issue];
  CHECK(i.row == 1);
  CHECK(i.line == 5);
  CHECK(i.column == 0);
  CHECK(i.field == "email");
  CHECK(i.severity == Severity::error);
  CHECK(issue_message(i) == "\"not-an-email\" is not a valid email address: there is no @.");
  CHECK(v.valid == 1);
  CHECK(v.errors == 1);
}

TEST_CASE("required fields must be non-empty", "[validate][table][required]") {
  Fixture fx(
      "create", {"email", "first_name", "last_name", "external_id"},
      {{"", "Ada", "Lovelace", ""}, {"ada@example.com", "", " ", ""}, {"grace@example.com", "Grace", "Hopper", ""}});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0) == std::vector<std::string>{"required_missing"});
  CHECK(issue_message(*find_issue(v, 0, "required_missing")) ==
        "Email is required in this mode but the cell is empty.");
  // A cell of spaces is empty once trimmed (and the trim is reported).
  CHECK(row_codes(v, 1) == std::vector<std::string>{"required_missing", "whitespace_trimmed", "required_missing"});
  CHECK(row_issues(v, 1)[0]->field == "first_name");
  CHECK(row_issues(v, 1)[2]->field == "last_name");
  CHECK(v.rows[2].status == RowStatus::valid);
}

TEST_CASE("a required field no column maps to is missing on every row", "[validate][table][required]") {
  Fixture fx("create", {"email", "first_name"}, {{"ada@example.com", "Ada"}});
  const Validation v = fx.run();
  check_invariants(v);
  REQUIRE(row_codes(v, 0) == std::vector<std::string>{"required_missing"});
  CHECK(row_issues(v, 0)[0]->column == -1);
  CHECK(row_issues(v, 0)[0]->field == "last_name");
}

TEST_CASE("email issues in a table, and the cell is trimmed first", "[validate][table][email]") {
  Fixture fx("invite", {"email"},
             {{" ada@example.com "},
              {"ada@localhost"},
              {repeat("a", 65) + "@example.com"},
              {repeat("a", 64) + "@" + repeat("b", 63) + "." + repeat("b", 63) + "." + repeat("c", 62)}});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0) == std::vector<std::string>{"whitespace_trimmed"});
  CHECK(v.rows[0].status == RowStatus::warning);
  CHECK(issue_message(*find_issue(v, 0, "whitespace_trimmed")) == "Spaces around the email value were removed.");
  CHECK(issue_message(*find_issue(v, 1, "email_invalid")) ==
        "\"ada@localhost\" is not a valid email address: the domain needs a dot.");
  CHECK_THAT(issue_message(*find_issue(v, 2, "email_invalid")), Catch::Contains("longer than 64 characters"));
  REQUIRE(find_issue(v, 3, "email_too_long") != nullptr);
  CHECK_THAT(issue_message(*find_issue(v, 3, "email_too_long")),
             Catch::StartsWith("The email address is 255 characters long; the most is 254"));
}

TEST_CASE("names: 100 characters counted as code points, no control characters", "[validate][table][names]") {
  const std::string e100 = repeat("\xC3\xA9", 100);  // 100 characters, 200 bytes
  const std::string e101 = repeat("\xC3\xA9", 101);
  auto [first, codes] = GENERATE_COPY(table<std::string, std::vector<std::string>>({
      {"Ada", {}},
      {"<img src=x onerror=alert(1)>", {}},  // only text; the page inserts it with textContent
      {"Ren\xC3\xA9"
       "e O'Brien-Smith",
       {}},
      {"\xE5\xBC\xB5\xE5\x81\x89", {}},
      {repeat("a", 100), {}},
      {repeat("a", 101), {"name_too_long"}},
      {e100, {}},
      {e101, {"name_too_long"}},
      {"Ada\tLovelace", {"name_control_chars"}},
      {"Ada\nLovelace", {"name_control_chars"}},
      {"Ada\rLovelace", {"name_control_chars"}},
      {"Ada\x7F", {"name_control_chars"}},
      {"Ada\xC2\x85"
       "x",
       {"name_control_chars"}},  // U+0085 is Cc
      {"Ada\xC2\x9F"
       "x",
       {"name_control_chars"}},  // U+009F is Cc
      {"Ada\xC2\xA0"
       "x",
       {}},  // U+00A0 is not
      {"Ada\xE2\x80\x8B"
       "x",
       {}},  // U+200B is Cf, not Cc
      {std::string("A\0da", 4), {"name_control_chars"}},
      {repeat("a", 100) + "\t", {"whitespace_trimmed"}},  // a trailing tab is trimmed, not kept
      {repeat("a", 101) + "\x01", {"name_control_chars", "name_too_long"}},
  }));
  CAPTURE(first);
  Fixture fx("create", {"email", "first_name", "last_name"}, {{"ada@example.com", first, "Lovelace"}});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0) == codes);
  if (const Issue* i = find_issue(v, 0, "name_too_long")) {
    CHECK(i->field == "first_name");
    CHECK(i->column == 1);
    CHECK_THAT(issue_message(*i),
               Catch::StartsWith("First name is 10") && Catch::EndsWith("characters long; the most is 100."));
  }
  if (const Issue* i = find_issue(v, 0, "name_control_chars"))
    CHECK_THAT(issue_message(*i), Catch::StartsWith("First name contains"));
}

TEST_CASE("invite mode: empty names are warnings, not errors", "[validate][table][names]") {
  Fixture fx("invite", {"email", "first_name", "last_name"},
             {{"ada@example.com", "", "Lovelace"}, {"grace@example.com", "Grace", ""}, {"alan@example.com", "", ""}});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0) == std::vector<std::string>{"name_missing"});
  CHECK(issue_message(*find_issue(v, 0, "name_missing")) ==
        "No first name given; the invitee can fill it in when accepting.");
  CHECK(row_codes(v, 1) == std::vector<std::string>{"name_missing"});
  CHECK(row_issues(v, 1)[0]->field == "last_name");
  CHECK(row_codes(v, 2) == std::vector<std::string>{"name_missing", "name_missing"});
  CHECK(v.warnings == 3);
  CHECK(v.errors == 0);
}

TEST_CASE("password: at least 8 characters, at most 72 UTF-8 bytes: never in a message",
          "[validate][table][password]") {
  auto [password, codes] = GENERATE_COPY(table<std::string, std::vector<std::string>>({
      {"", {}},  // optional
      {"1234567", {"password_too_short"}},
      {"12345678", {}},
      {repeat("\xC3\xA9", 7), {"password_too_short"}},          // 14 bytes but 7 characters
      {repeat("\xC3\xA9", 8), {}},                              // 16 bytes, 8 characters
      {repeat("\xF0\x9F\x94\x91", 7), {"password_too_short"}},  // 7 keys emoji, 28 bytes
      {repeat("x", 72), {}},
      {repeat("x", 73), {"password_too_long"}},
      {repeat("\xE2\x82\xAC", 24), {}},                     // 24 characters, 72 bytes
      {repeat("\xE2\x82\xAC", 25), {"password_too_long"}},  // 25 characters, 75 bytes
      {" Sup3r-secret ", {"whitespace_trimmed"}},
  }));
  CAPTURE(password);
  Fixture fx("create", {"email", "first_name", "last_name", "password"},
             {{"ada@example.com", "Ada", "Lovelace", password}});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0) == codes);
  if (const Issue* i = find_issue(v, 0, "password_too_short")) {
    CHECK(issue_message(*i) == "The password has 7 characters; it needs at least 8.");
  }
  if (const Issue* i = find_issue(v, 0, "password_too_long")) {
    CHECK(issue_message(*i) ==
          "The password is " + std::to_string(password.size()) + " bytes in UTF-8; the most is 72.");
  }
  const std::string trimmed(trim_value(password));
  if (trimmed.size() >= 4) {
    for (const Issue& i : v.issues) CHECK(issue_message(i).find(trimmed) == std::string::npos);
  }
}

TEST_CASE("a parse issue that quotes a password cell is masked", "[validate][table][password][parse]") {
  Fixture fx("create", {"email", "first_name", "last_name", "password"},
             {{"ada@example.com", "Ada", "Lovelace", "hunter2hunter2\"x"}});
  Issue parse;
  parse.code = "malformed_quotes";
  parse.severity = Severity::warning;
  parse.row = 0;
  parse.line = 2;
  parse.column = 3;
  parse.args = pack_args({"hunter2hunter2\"x"});
  fx.table.issues.push_back(parse);
  const Validation v = fx.run();
  check_invariants(v);
  REQUIRE(row_codes(v, 0) == std::vector<std::string>{"malformed_quotes"});
  for (const Issue& i : v.issues) CHECK(issue_message(i).find("hunter2") == std::string::npos);
  CHECK(row_issues(v, 0)[0]->field == "password");
}

TEST_CASE("ids: UUID format, then existence in the lookups", "[validate][table][lookups]") {
  const std::string unknown_uuid = "11111111-2222-4333-8444-555555555555";
  std::string upper_role = kRole;
  std::transform(upper_role.begin(), upper_role.end(), upper_role.begin(),
                 [](char c) { return static_cast<char>(std::toupper(c)); });
  auto [role, node, client, codes] =
      GENERATE_COPY(table<std::string, std::string, std::string, std::vector<std::string>>({
          {kRole, kNode, "dashboard-web", {}},
          {upper_role, kNode, "", {}},  // compared lower-cased
          {"your-role-id", "your-node-id", "", {"uuid_invalid", "uuid_invalid"}},
          {unknown_uuid, kNode, "", {"role_unknown"}},
          {kRole, unknown_uuid, "", {"node_unknown"}},
          {"", "", "your-oauth-client-id", {"client_unknown"}},
          {"", "", "Dashboard-Web", {"client_unknown"}},  // client_ids are compared as given
          {"", "", " dashboard-web ", {"whitespace_trimmed"}},
      }));
  CAPTURE(role, node, client);
  Fixture fx("invite", {"email", "role_id", "node_id", "client_id"}, {{"ada@example.com", role, node, client}});
  const Validation v = fx.run(loaded_lookups());
  check_invariants(v);
  CHECK(row_codes(v, 0) == codes);
  CHECK(v.rows[0].uses_lookups == !(role.empty() && node.empty() && client.empty()));
  if (const Issue* i = find_issue(v, 0, "uuid_invalid")) {
    CHECK(i->field == "role_id");
    CHECK(i->column == 1);
    CHECK(issue_message(*i) ==
          "Role ID must be a UUID such as 3f2c1d5e-8a4b-4c7d-9e6f-1a2b3c4d5e6f, not \"your-role-id\".");
  }
  if (const Issue* i = find_issue(v, 0, "client_unknown")) {
    CHECK(issue_message(*i) == "OAuth client \"" + client +
                                   "\" does not exist in this environment (its OAuth clients: dashboard-web). Use "
                                   "the client_id of one of them, or leave the cell empty.");
  }
}

TEST_CASE("an unknown id says which ones exist: names, sorted, at most ten, or none", "[validate][table][lookups]") {
  Lookups l = loaded_lookups();
  l.names = {{kRole, "Admin"}};
  // Twelve nodes: two with names, the rest shown by id; sorted, the first ten named and "2 more".
  std::vector<std::string> nodes;
  for (int i = 0; i < 12; ++i) {
    char id[37];
    std::snprintf(id, sizeof id, "%08d-0000-4000-8000-000000000000", i);
    nodes.emplace_back(id);
  }
  l.nodes = {nodes.begin(), nodes.end()};
  l.names[nodes[3]] = "Zurich office";
  l.names[nodes[7]] = "Berlin office";
  l.roles.insert("99999999-0000-4000-8000-000000000000");  // a role the lookups give no name
  l.applications.clear();
  const std::string unknown = "11111111-2222-4333-8444-555555555555";
  Fixture fx("invite", {"email", "role_id", "node_id"}, {{"ada@example.com", unknown, unknown}});
  const Validation v = fx.run(l);
  check_invariants(v);
  REQUIRE(row_codes(v, 0) == std::vector<std::string>{"role_unknown", "node_unknown"});
  CHECK(issue_message(*find_issue(v, 0, "role_unknown")) ==
        "Role " + unknown +
            " does not exist in this environment (its roles: 99999999-0000-4000-8000-000000000000, Admin). Use the id "
            "of one of them, or leave role_id and node_id empty.");
  std::vector<std::string> shown;
  for (int i = 0; i < 12; ++i) {
    if (i != 3 && i != 7) shown.push_back(nodes[static_cast<size_t>(i)]);
  }
  shown.push_back("Berlin office");
  shown.push_back("Zurich office");
  std::sort(shown.begin(), shown.end());
  // As many whole names as fit a message argument (200 bytes, less room for the count): 36-byte ids, so
  // four of them and "8 more".
  std::string list;
  for (size_t i = 0; i < 4; ++i) list += (i ? ", " : "") + shown[i];
  CHECK(issue_message(*find_issue(v, 0, "node_unknown")) ==
        "Node " + unknown + " does not exist in this environment (its nodes: " + list +
            " and 8 more). Use the id of one of them, or leave role_id and node_id empty.");
  // Short names: at most ten of them.
  Lookups named = loaded_lookups();
  named.roles.clear();
  for (int i = 0; i < 12; ++i) {
    char id[37];
    std::snprintf(id, sizeof id, "%08d-0000-4000-8000-00000000000%d", i, i % 10);
    named.roles.insert(id);
    named.names[id] = "R" + std::to_string(10 + i);
  }
  const Validation vn = fx.run(named);
  CHECK(issue_message(*find_issue(vn, 0, "role_unknown")) ==
        "Role " + unknown +
            " does not exist in this environment (its roles: R10, R11, R12, R13, R14, R15, R16, R17, R18, R19 and 2 "
            "more). Use the id of one of them, or leave role_id and node_id empty.");

  Fixture acc("account", {"email", "first_name", "last_name", "application_id"},
              {{"a@example.com", "A", "B", unknown}});
  const Validation va = acc.run(l);
  CHECK(issue_message(*find_issue(va, 0, "application_unknown")) ==
        "Application " + unknown +
            " does not exist in this account (its applications: none). Use the id of one of them, or leave the cell "
            "empty.");
}

TEST_CASE("application_id in account mode", "[validate][table][lookups]") {
  Fixture fx("account", {"email", "first_name", "last_name", "application_id"},
             {{"a@example.com", "A", "B", kApp},
              {"b@example.com", "A", "B", "11111111-2222-4333-8444-555555555555"},
              {"c@example.com", "A", "B", "app-1"},
              {"d@example.com", "A", "B", ""}});
  const Validation v = fx.run(loaded_lookups());
  check_invariants(v);
  CHECK(row_codes(v, 0).empty());
  CHECK(row_codes(v, 1) == std::vector<std::string>{"application_unknown"});
  CHECK(row_codes(v, 2) == std::vector<std::string>{"uuid_invalid"});
  CHECK(row_codes(v, 3).empty());
  CHECK(v.rows[0].uses_lookups);
  CHECK_FALSE(v.rows[3].uses_lookups);
}

TEST_CASE("lookup states: loaded checks, failed blocks, not given warns", "[validate][table][lookups]") {
  Fixture fx("create", {"email", "first_name", "last_name", "role_id", "node_id", "client_id"},
             {{"a@example.com", "A", "B", kRole, kNode, "dashboard-web"},
              {"b@example.com", "A", "B", "", "", ""},
              {"c@example.com", "A", "B", "bogus", kNode, ""}});
  SECTION("loaded") {
    const Validation v = fx.run(loaded_lookups());
    check_invariants(v);
    CHECK(row_codes(v, 0).empty());
    CHECK(v.rows[0].uses_lookups);
    CHECK(row_codes(v, 2) == std::vector<std::string>{"uuid_invalid"});
  }
  SECTION("failed") {
    Lookups l;
    l.state = Lookups::State::failed;
    const Validation v = fx.run(l);
    check_invariants(v);
    CHECK(row_codes(v, 0) ==
          std::vector<std::string>{"lookups_unavailable", "lookups_unavailable", "lookups_unavailable"});
    CHECK(v.rows[0].status == RowStatus::error);
    CHECK(v.rows[0].uses_lookups);
    CHECK_THAT(issue_message(*find_issue(v, 0, "lookups_unavailable")),
               Catch::StartsWith("Role ID cannot be checked because the environment's lookups did not load."));
    CHECK(row_codes(v, 1).empty());  // uses no lookup field: can be submitted
    CHECK_FALSE(v.rows[1].uses_lookups);
    // A malformed id is wrong whatever the lookups say.
    CHECK(row_codes(v, 2) == std::vector<std::string>{"uuid_invalid", "lookups_unavailable"});
  }
  SECTION("not given") {
    const Validation v = fx.run(Lookups{});
    check_invariants(v);
    CHECK(row_codes(v, 0) ==
          std::vector<std::string>{"lookup_not_verified", "lookup_not_verified", "lookup_not_verified"});
    CHECK(v.rows[0].status == RowStatus::warning);
    CHECK(row_codes(v, 2) == std::vector<std::string>{"uuid_invalid", "lookup_not_verified"});
    CHECK(v.rows[2].status == RowStatus::error);
  }
}

TEST_CASE("role_id and node_id come together", "[validate][table][pairing]") {
  Fixture fx("invite", {"email", "role_id", "node_id"},
             {{"a@example.com", kRole, ""},
              {"b@example.com", "", kNode},
              {"c@example.com", kRole, kNode},
              {"d@example.com", "", ""},
              {"e@example.com", "not-a-uuid", " "}});
  const Validation v = fx.run(loaded_lookups());
  check_invariants(v);
  CHECK(row_codes(v, 0) == std::vector<std::string>{"role_without_node"});
  CHECK(row_issues(v, 0)[0]->column == 1);
  CHECK(row_issues(v, 0)[0]->line == 2);
  CHECK(row_codes(v, 1) == std::vector<std::string>{"node_without_role"});
  CHECK(row_issues(v, 1)[0]->column == 2);
  CHECK(row_codes(v, 2).empty());
  CHECK(row_codes(v, 3).empty());
  CHECK(row_codes(v, 4) == std::vector<std::string>{"uuid_invalid", "whitespace_trimmed", "role_without_node"});
  CHECK(v.rows[0].status == RowStatus::error);
}

TEST_CASE("role_id mapped without a node_id column still needs its node", "[validate][table][pairing]") {
  Fixture fx("create", {"email", "first_name", "last_name", "role_id"}, {{"a@example.com", "A", "B", kRole}});
  const Validation v = fx.run(loaded_lookups());
  CHECK(row_codes(v, 0) == std::vector<std::string>{"role_without_node"});
}

TEST_CASE("send_email cells", "[validate][table][send_email]") {
  auto [cell, codes] = GENERATE(table<std::string, std::vector<std::string>>({
      {"", {}},
      {"true", {}},
      {"FALSE", {}},
      {"Yes", {}},
      {"n", {}},
      {"1", {}},
      {"0", {}},
      {"On", {}},
      {"off", {}},
      {" no ", {"whitespace_trimmed"}},
      {"maybe", {"send_email_invalid"}},
      {"2", {"send_email_invalid"}},
      {"ja", {"send_email_invalid"}},
  }));
  CAPTURE(cell);
  Fixture fx("invite", {"email", "send_email"}, {{"ada@example.com", cell}});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0) == codes);
  if (const Issue* i = find_issue(v, 0, "send_email_invalid"))
    CHECK(issue_message(*i) ==
          "send_email must be true/false, yes/no, y/n, 1/0 or on/off (or empty for true), not \"" + cell + "\".");
}

TEST_CASE("duplicate emails: case-insensitive, error on later rows naming the first row's line",
          "[validate][table][duplicates]") {
  Fixture fx("invite", {"email"},
             {{"Ada@Example.com"},
              {"grace@example.com"},
              {"ada@example.COM"},
              {" ADA@EXAMPLE.COM "},
              {"user@b\xC3\xBC"
               "cher.example"},
              {"USER@xn--bcher-kva.example"},
              {"ada@example.co"},
              {"ada.@example.com"}},
             {1, 3, 4, 7, 8, 10, 11, 12, 13});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0).empty());
  CHECK(row_codes(v, 1).empty());
  REQUIRE(row_codes(v, 2) == std::vector<std::string>{"duplicate_email"});
  const Issue& d = *row_issues(v, 2)[0];
  CHECK(d.line == 7);
  CHECK(d.column == 0);
  CHECK(d.severity == Severity::error);
  CHECK(issue_message(d) ==  // line 3, not row 0
        "The email ada@example.COM already appears on line 3 (emails are compared without regard to case). Remove "
        "one of the two rows.");
  CHECK(row_codes(v, 3) == std::vector<std::string>{"whitespace_trimmed", "duplicate_email"});
  CHECK_THAT(issue_message(*find_issue(v, 3, "duplicate_email")), Catch::Contains("line 3"));
  CHECK(row_codes(v, 4).empty());
  REQUIRE(row_codes(v, 5) == std::vector<std::string>{"duplicate_email"});  // IDN compared in ASCII form
  CHECK_THAT(issue_message(*row_issues(v, 5)[0]), Catch::Contains("line 10"));
  CHECK(row_codes(v, 6).empty());
  CHECK(row_codes(v, 7).empty());
  CHECK(v.errors == 3);
}

TEST_CASE("invalid emails take no part in duplicate detection", "[validate][table][duplicates]") {
  Fixture fx("invite", {"email"}, {{"ada@localhost"}, {"ada@localhost"}, {"ada@example.com"}});
  const Validation v = fx.run();
  CHECK(row_codes(v, 1) == std::vector<std::string>{"email_invalid"});
  CHECK(row_codes(v, 2).empty());
}

TEST_CASE("duplicate external_id: trimmed, exact", "[validate][table][duplicates]") {
  Fixture fx("create", {"email", "first_name", "last_name", "external_id"},
             {{"a@example.com", "A", "B", "HR-1001"},
              {"b@example.com", "A", "B", "hr-1001"},
              {"c@example.com", "A", "B", " HR-1001"},
              {"d@example.com", "A", "B", ""},
              {"e@example.com", "A", "B", ""},
              {"f@example.com", "A", "B", "HR-1001"}},
             {2, 3, 4, 5, 6, 7, 9});
  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0).empty());
  CHECK(row_codes(v, 1).empty());  // exact comparison: case matters
  CHECK(row_codes(v, 2) == std::vector<std::string>{"whitespace_trimmed", "duplicate_external_id"});
  CHECK(issue_message(*find_issue(v, 2, "duplicate_external_id")) ==
        "The external_id HR-1001 already appears on line 3. Remove one of the two rows or give each its own id.");
  CHECK(row_codes(v, 3).empty());  // empty ids are not duplicates of each other
  CHECK(row_codes(v, 4).empty());
  CHECK(row_codes(v, 5) == std::vector<std::string>{"duplicate_external_id"});
  CHECK(find_issue(v, 5, "duplicate_external_id")->line == 9);
}

TEST_CASE("whitespace_trimmed once per mapped cell: unmapped columns are not looked at",
          "[validate][table][whitespace]") {
  Fixture fx("create", {"email", "first_name", "last_name", "notes"},
             {{"ada@example.com",
               "\xC2\xA0"
               "Ada\xE3\x80\x80",
               " \t Lovelace \t ", "  junk  "}});
  const Validation v = fx.run();
  check_invariants(v);
  REQUIRE(row_codes(v, 0) == std::vector<std::string>{"whitespace_trimmed", "whitespace_trimmed"});
  CHECK(row_issues(v, 0)[0]->column == 1);
  CHECK(issue_message(*row_issues(v, 0)[0]) == "Spaces around the first name value were removed.");
  CHECK(row_issues(v, 0)[1]->column == 2);
  CHECK(v.rows[0].status == RowStatus::warning);
}

TEST_CASE("parse issues are merged into their rows, in row order", "[validate][table][parse]") {
  Fixture fx("create", {"email", "first_name", "last_name"},
             {{"ada@example.com", "Ada", "Lovelace"},
              {"grace@example.com", "Grace"},
              {"alan@example.com", "Alan", "Turing"},
              {"kat@example.com", "Kat", "Johnson"}});
  auto parse_issue = [](std::string code, uint32_t row, uint32_t line, std::initializer_list<std::string_view> args) {
    Issue i;
    i.code = code;
    i.severity = find_message(code)->severity;
    i.row = row;
    i.line = line;
    i.args = pack_args(args);
    return i;
  };
  // Out of order on purpose, plus a file-level one.
  fx.table.issues.push_back(parse_issue("extra_cells_ignored", 2, 4, {"4", "3"}));
  fx.table.issues.push_back(parse_issue("too_few_cells", 1, 3, {"2", "3"}));
  fx.table.issues.push_back(parse_issue("malformed_quotes", 2, 4, {"x"}));
  Issue file_level = parse_issue("unterminated_quote", 3, 5, {"5"});
  fx.table.issues.push_back(file_level);
  file_level.row = kNoRow;
  file_level.code = "bad_state";
  file_level.args = pack_args({"test"});
  fx.table.issues.push_back(file_level);

  const Validation v = fx.run();
  check_invariants(v);
  CHECK(row_codes(v, 0).empty());
  // The short row still gets its cell checks: its missing last_name is reported too.
  CHECK(row_codes(v, 1) == std::vector<std::string>{"too_few_cells", "required_missing"});
  CHECK(v.rows[1].status == RowStatus::error);
  CHECK(row_codes(v, 2) == std::vector<std::string>{"extra_cells_ignored", "malformed_quotes"});
  CHECK(v.rows[2].status == RowStatus::warning);
  CHECK(row_codes(v, 3) == std::vector<std::string>{"unterminated_quote"});
  CHECK(v.rows[3].status == RowStatus::error);
  CHECK(row_issues(v, 3)[0]->line == 5);
  // The file-level issue comes after every row's issues and belongs to none.
  REQUIRE(v.issues.size() == 6);
  CHECK(v.issues.back().code == "bad_state");
  CHECK(v.issues.back().row == kNoRow);
  CHECK(v.valid == 1);
  CHECK(v.warnings == 1);
  CHECK(v.errors == 2);
}

TEST_CASE("an empty table and a header-only table", "[validate][table]") {
  Table empty;
  const Validation v0 = validate_table(empty, make_mapping("invite", {}), Lookups{});
  CHECK(v0.rows.empty());
  CHECK(v0.issues.empty());
  Fixture fx("invite", {"email"}, {});
  const Validation v1 = fx.run();
  CHECK(v1.rows.empty());
  CHECK(v1.valid + v1.warnings + v1.errors == 0);
}

TEST_CASE("10,000 rows: every row checked, the duplicate at the very end found", "[validate][table]") {
  // Speed is measured by `npm run bench`, not here.
  std::vector<std::vector<std::string>> rows;
  rows.reserve(10000);
  for (int i = 0; i < 10000; ++i) {
    const std::string n = std::to_string(i);
    rows.push_back({"person" + n + "@example.com", "First" + n, "Last" + n, "Password-" + n, kRole, kNode,
                    "dashboard-web", "HR-" + n});
  }
  rows[9999][0] = "Person0@Example.com";  // one duplicate at the very end
  Fixture fx("create",
             {"email", "first_name", "last_name", "password", "role_id", "node_id", "client_id", "external_id"},
             std::move(rows));
  const Validation v = fx.run(loaded_lookups());
  CHECK(v.rows.size() == 10000);
  CHECK(v.valid == 9999);
  CHECK(v.errors == 1);
  CHECK(row_codes(v, 9999) == std::vector<std::string>{"duplicate_email"});
}

TEST_CASE("issues are a code plus arguments: the English text is made only when asked for", "[validate][messages]") {
  Fixture fx("invite", {"email", "first_name", "last_name"},
             {{" ada@example.com ", "Ada", ""}, {"a\tb@example.com", "B", "C"}, {"x@localhost", "X", "Y"}});
  const Validation v = fx.run();
  const Issue& trimmed = *find_issue(v, 0, "whitespace_trimmed");
  // Field names, not labels: the page shows them in its own language.
  CHECK(trimmed.args == std::string("email\x1f"));
  CHECK(issue_message(trimmed) == "Spaces around the email value were removed.");
  const Issue& missing = *find_issue(v, 0, "name_missing");
  CHECK(unpack_args(missing.args) == std::vector<std::string_view>{"last_name"});
  CHECK(issue_message(missing) == "No last name given; the invitee can fill it in when accepting.");
  // The reason is a message of its own, with its own argument (a character named by a code).
  const Issue& tab = *find_issue(v, 1, "email_invalid");
  // The value is quoted as one line: the tab shows as "⇥" (core/messages.h, kMaxArgBytes).
  CHECK(unpack_args(tab.args) == std::vector<std::string_view>{"a\xE2\x87\xA5"
                                                               "b@example.com",
                                                               "email_local_char", "char_tab"});
  CHECK(issue_message(tab) ==
        "\"a\xE2\x87\xA5"
        "b@example.com\" is not a valid email address: the part before @ contains a tab.");
  CHECK(issue_message(*find_issue(v, 2, "email_invalid")) ==
        "\"x@localhost\" is not a valid email address: the domain needs a dot.");
}

TEST_CASE("the catalogue: argument kinds fit their templates, nested codes exist", "[validate][messages]") {
  size_t n = 0;
  const MessageEntry* table = message_table(&n);
  REQUIRE(n > 50);
  for (size_t i = 0; i < n; ++i) {
    const MessageEntry& m = table[i];
    CAPTURE(m.code);
    const std::string kinds = m.args;
    CHECK(kinds.find_first_not_of("vngfldom") == std::string::npos);
    const size_t m_at = kinds.find('m');
    CHECK((m_at == std::string::npos || m_at == kinds.size() - 1));
    // Every {k} the template uses is within the kinds (or taken as a plain value when the kinds stop early).
    const std::string text = m.text;
    for (size_t p = text.find('{'); p != std::string::npos; p = text.find('{', p + 1)) {
      if (p + 2 < text.size() && text[p + 1] >= '0' && text[p + 1] <= '9' && text[p + 2] == '}') {
        CHECK((kinds.empty() || static_cast<size_t>(text[p + 1] - '0') < kinds.size()));
      }
    }
    for (size_t j = 0; j < i; ++j) CHECK(std::string(table[j].code) != m.code);
  }
  // A 'g' number is grouped in English; a plain value is left as it is.
  CHECK(format_message("too_many_rows", {"12345"}).rfind("The file has 12,345 data rows;", 0) == 0);
  CHECK(format_message("duplicate_email", {"a@b.co", "25001"}).find("line 25001 ") != std::string::npos);
  // An unknown code gives itself, so a missing entry shows instead of vanishing.
  CHECK(format_message("no_such_code") == "no_such_code");
}
