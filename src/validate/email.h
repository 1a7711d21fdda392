// Private to validate/: the email check with what the row validator needs beyond EmailVerdict (the
// address's length and the ASCII form of an internationalised domain, for duplicate detection).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace canopy::detail {

struct EmailCheck {
  enum class Status : uint8_t { ok, invalid, too_long };
  Status status = Status::ok;
  std::string reason;        // a message code and its arguments, packed (core/messages.h); empty when ok
  size_t length = 0;         // of the address with the domain in ASCII form (what the 254 limit counts)
  bool idn = false;          // the domain went through UTS #46; its ASCII form is in *ascii_domain
  bool lower_ascii = false;  // ok, ASCII without capitals: the address is its own duplicate key
};

// `ascii_domain` is scratch owned by the caller (its capacity is reused); it is only written when the
// domain needs UTS #46 processing (non-ASCII, or an xn-- label to verify).
// Most addresses are plain ASCII: one pass over the bytes accepts those, and anything it does not
// accept goes through check_email_grammar, which decides and explains.
EmailCheck check_email_detail(std::string_view trimmed, std::string& ascii_domain);

// The whole grammar, step by step, with the reason for a rejection (and never lower_ascii). The
// verdict of check_email_detail for every input; tests hold the two to that.
EmailCheck check_email_grammar(std::string_view trimmed, std::string& ascii_domain);

}  // namespace canopy::detail
