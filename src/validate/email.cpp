// Email addresses: the WHATWG "valid e-mail address" grammar (HTML, forms section) with the SMTP length
// limits, a mandatory dot in the domain, and internationalised domains via UTS #46.
//
// WHATWG deliberately differs from RFC 5321/5322: no quoted local parts, no comments or folding
// whitespace, no [IP] literals, no non-ASCII local parts (all rejected here), and dots anywhere in the
// local part (".a", "a.", "a..b" are accepted, as browsers' <input type=email> accepts them).
// tests/vectors/email/isemail.tsv records each difference against isemail's RFC verdicts.
#include "validate/email.h"

#include <unicode/uidna.h>
#include <unicode/utf8.h>

#include <array>

#include "core/messages.h"
#include "validate/text_scan.h"
#include "validate/validator.h"

namespace canopy {
namespace detail {
namespace {

constexpr size_t kMaxAddress = 254;  // RFC 5321 path limit less the angle brackets
constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxLabel = 63;

// WHATWG local part: atext and '.', i.e. [a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-].
constexpr std::array<bool, 256> make_local_table() {
  std::array<bool, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = true;
  for (char c : std::string_view(".!#$%&'*+/=?^_`{|}~-")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kLocalChar = make_local_table();

// For the one-pass check: a byte's roles.
constexpr uint8_t kInLocal = 1, kLetterDigit = 2, kCapital = 4;
constexpr std::array<uint8_t, 256> make_class_table() {
  std::array<uint8_t, 256> t{};
  for (size_t c = 0; c < 256; ++c) t[c] = kLocalChar[c] ? kInLocal : 0;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] |= kLetterDigit;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] |= kLetterDigit | kCapital;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] |= kLetterDigit;
  return t;
}
constexpr std::array<uint8_t, 256> kClass = make_class_table();

bool is_alnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// How a character is named in a reason: a message code ("char_space", "char_tab") or the character
// itself in quotes ("\"(\"", "\"ü\"").
std::string describe_char(std::string_view s, size_t i) {
  if (space_at(s, i) != 0) {
    const unsigned char b = byte_at(s, i);
    if (b == '\t') return "char_tab";
    if (b == '\n' || b == '\r') return "char_line_break";
    return "char_space";
  }
  const unsigned char b = byte_at(s, i);
  if (b < 0x20 || b == 0x7F) return "char_control";
  if (b == '"') return "char_quote";
  if (b < 0x80) return std::string("\"") + static_cast<char>(b) + "\"";
  int32_t pos = static_cast<int32_t>(i);
  UChar32 c = 0;
  U8_NEXT(s.data(), pos, static_cast<int32_t>(s.size()), c);
  if (c < 0) return "char_not_utf8";
  if (c <= 0x9F) return "char_control";
  return "\"" + std::string(s.substr(i, static_cast<size_t>(pos) - i)) + "\"";
}

// A reason is a message code and its arguments, packed (core/messages.h).
std::string reason(std::string_view code, std::string_view arg = {}) {
  return arg.empty() ? pack_args({code}) : pack_args({code, arg});
}

EmailCheck invalid(std::string packed) {
  EmailCheck r;
  r.status = EmailCheck::Status::invalid;
  r.reason = std::move(packed);
  return r;
}

// The WHATWG domain grammar, applied to the ASCII form: LDH labels of 1..63 characters, no hyphen at
// either end, joined by single dots; and (our rule) at least one dot. Empty when it holds.
std::string domain_problem(std::string_view d) {
  for (size_t i = 0; i < d.size(); ++i) {
    const unsigned char c = byte_at(d, i);
    if (is_alnum(c) || c == '-' || c == '.') continue;
    if (c == ' ' || c < 0x20 || c == 0x7F) return reason("email_domain_char", describe_char(d, i));
    return reason("email_domain_char_ldh", describe_char(d, i));
  }
  if (d.front() == '.') return reason("email_domain_leading_dot");
  if (d.back() == '.') return reason("email_domain_trailing_dot");
  size_t start = 0;
  bool dot = false;
  for (;;) {
    const size_t end = d.find('.', start);
    const std::string_view label = d.substr(start, end == std::string_view::npos ? d.size() - start : end - start);
    if (label.empty()) return reason("email_domain_double_dot");
    if (label.front() == '-') return reason("email_label_leading_hyphen");
    if (label.back() == '-') return reason("email_label_trailing_hyphen");
    if (label.size() > kMaxLabel) return reason("email_label_too_long");
    if (end == std::string_view::npos) break;
    dot = true;
    start = end + 1;
  }
  if (!dot) return reason("email_domain_no_dot");
  return {};
}

// UTS #46 is needed for non-ASCII domains, and for ASCII ones with an xn-- label, whose punycode must
// decode to a valid label.
bool needs_uts46(std::string_view d) {
  for (size_t i = 0; i < d.size(); ++i) {
    const unsigned char c = byte_at(d, i);
    if (c >= 0x80) return true;
    if ((i == 0 || d[i - 1] == '.') && i + 4 <= d.size() && ascii_lower(d[i]) == 'x' && ascii_lower(d[i + 1]) == 'n' &&
        d[i + 2] == '-' && d[i + 3] == '-')
      return true;
  }
  return false;
}

const UIDNA* uts46() {
  // Nontransitional (ß and ς stay themselves), with the Bidi and ContextJ checks of IDNA2008.
  // STD3 rules are off, as in the URL standard: the ASCII grammar after conversion rejects "_" and
  // the like with a reason that names the character.
  static const UIDNA* const idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* p = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ, &status);
    return U_SUCCESS(status) ? p : nullptr;
  }();
  return idna;
}

// Converts `domain` to ASCII into `out`. Empty when it converted, else the reason.
std::string to_ascii_domain(std::string_view domain, std::string& out) {
  const UIDNA* idna = uts46();
  if (!idna) return reason("email_idn_unavailable");
  if (domain.size() > 0xFFFF) return reason("email_domain_far_too_long");
  if (out.size() < 256) out.resize(256);
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uidna_nameToASCII_UTF8(idna, domain.data(), static_cast<int32_t>(domain.size()), &out[0],
                                     static_cast<int32_t>(out.size()), &info, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    out.resize(static_cast<size_t>(n));
    info = UIDNA_INFO_INITIALIZER;
    status = U_ZERO_ERROR;
    n = uidna_nameToASCII_UTF8(idna, domain.data(), static_cast<int32_t>(domain.size()), &out[0],
                               static_cast<int32_t>(out.size()), &info, &status);
  }
  if (U_FAILURE(status)) return reason("email_idn_unconvertible");
  out.resize(static_cast<size_t>(n));
  // Lengths, empty labels and hyphens in positions 3-4 are left to the ASCII grammar (the URL standard
  // does not check hyphens either, and "ab--cd" is a valid WHATWG label).
  constexpr uint32_t kLeftToGrammar =
      UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_HYPHEN_3_4;
  const uint32_t errors = info.errors & ~kLeftToGrammar;
  if (errors == 0) return {};
  if (errors & (UIDNA_ERROR_PUNYCODE | UIDNA_ERROR_INVALID_ACE_LABEL)) return reason("email_idn_punycode");
  if (errors & UIDNA_ERROR_LEADING_HYPHEN) return reason("email_label_leading_hyphen");
  if (errors & UIDNA_ERROR_TRAILING_HYPHEN) return reason("email_label_trailing_hyphen");
  if (errors & UIDNA_ERROR_DISALLOWED) return reason("email_idn_disallowed");
  if (errors & UIDNA_ERROR_LEADING_COMBINING_MARK) return reason("email_idn_combining_mark");
  if (errors & UIDNA_ERROR_BIDI) return reason("email_idn_bidi");
  if (errors & UIDNA_ERROR_CONTEXTJ) return reason("email_idn_contextj");
  return reason("email_idn_invalid");
}

// The common case in one pass over the bytes: an ASCII address within the length limits whose domain
// is LDH labels of 1..63 characters with no hyphen at either end, at least one dot, and no xn-- label
// (punycode must go through UTS #46). True only when check_email_grammar would accept it too.
bool plain_ascii_email(std::string_view s, EmailCheck& r) {
  const size_t n = s.size();
  if (n == 0 || n > kMaxAddress) return false;
  size_t i = 0;
  uint8_t seen = 0;
  for (; i < n; ++i) {
    const uint8_t c = kClass[byte_at(s, i)];
    if (!(c & kInLocal)) break;
    seen |= c;
  }
  if (i == 0 || i > kMaxLocal || i == n || s[i] != '@') return false;
  size_t label = 0;
  bool dot = false;
  char prev = '@';
  for (++i; i < n; ++i) {
    const char ch = s[i];
    const uint8_t c = kClass[static_cast<unsigned char>(ch)];
    if (c & kLetterDigit) {
      if (label == 0 && (ch | 0x20) == 'x' && i + 3 < n && (s[i + 1] | 0x20) == 'n' && s[i + 2] == '-' &&
          s[i + 3] == '-')
        return false;
      seen |= c;
      ++label;
    } else if (ch == '-') {
      if (label == 0) return false;
      ++label;
    } else if (ch == '.') {
      if (label == 0 || prev == '-') return false;
      dot = true;
      label = 0;
    } else {
      return false;
    }
    if (label > kMaxLabel) return false;
    prev = ch;
  }
  if (label == 0 || prev == '-' || !dot) return false;
  r.length = n;
  r.lower_ascii = !(seen & kCapital);
  return true;
}

}  // namespace

EmailCheck check_email_detail(std::string_view s, std::string& ascii_domain) {
  EmailCheck r;
  if (plain_ascii_email(s, r)) return r;
  return check_email_grammar(s, ascii_domain);
}

EmailCheck check_email_grammar(std::string_view s, std::string& ascii_domain) {
  if (s.empty()) return invalid(reason("email_empty"));
  const size_t at = s.find('@');
  if (at == std::string_view::npos) return invalid(reason("email_no_at"));
  if (s.find('@', at + 1) != std::string_view::npos) return invalid(reason("email_two_at"));
  const std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  if (local.empty()) return invalid(reason("email_no_local"));
  if (domain.empty()) return invalid(reason("email_no_domain"));

  for (size_t i = 0; i < local.size(); ++i) {
    const unsigned char c = byte_at(local, i);
    if (kLocalChar[c]) continue;
    if (c < 0x80 || space_at(local, i) != 0) return invalid(reason("email_local_char", describe_char(local, i)));
    return invalid(reason("email_local_char_ascii", describe_char(local, i)));
  }
  if (local.size() > kMaxLocal) return invalid(reason("email_local_too_long"));

  EmailCheck r;
  std::string_view ascii = domain;
  if (needs_uts46(domain)) {
    // An ASCII space or control character is reported as such, before UTS #46 maps anything.
    for (size_t i = 0; i < domain.size(); ++i) {
      const unsigned char c = byte_at(domain, i);
      if (c == ' ' || c < 0x20 || c == 0x7F) return invalid(reason("email_domain_char", describe_char(domain, i)));
    }
    std::string problem = to_ascii_domain(domain, ascii_domain);
    if (!problem.empty()) return invalid(std::move(problem));
    ascii = ascii_domain;
    r.idn = true;
  }
  std::string problem = domain_problem(ascii);
  if (!problem.empty()) return invalid(std::move(problem));

  r.length = local.size() + 1 + ascii.size();
  if (r.length > kMaxAddress) {
    r.status = EmailCheck::Status::too_long;
    r.reason = reason(r.idn ? "email_too_long_idn" : "email_too_long_plain");
  }
  return r;
}

}  // namespace detail

EmailVerdict check_email(std::string_view trimmed) {
  std::string scratch;
  detail::EmailCheck c = detail::check_email_detail(trimmed, scratch);
  EmailVerdict v;
  if (c.status == detail::EmailCheck::Status::ok) return v;
  v.ok = false;
  v.code = c.status == detail::EmailCheck::Status::too_long ? "email_too_long" : "email_invalid";
  v.reason = std::move(c.reason);
  return v;
}

}  // namespace canopy
