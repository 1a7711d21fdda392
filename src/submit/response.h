// The response contract, read: what the server's answer to one batch says about each row sent. A 2xx
// body is {"results":[{"row":N,"status":"created"|"invited"|"error","id":..,"error":{"code":..,
// "message":..}}]}, exactly one result per row sent; a body that deviates is reported as a problem,
// never guessed at (the submitter then makes the batch unconfirmed: the server may have created rows).
// Also the words of a status line and an error answer's code and message.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace canopy {

enum class Outcome : uint8_t {
  pending,      // not sent yet / in flight
  created,      // server said created
  invited,      // server said invited
  replayed,     // server said created/invited in a replayed answer to an earlier attempt, not this run's
  failed,       // server (or a 4xx) said error for this row
  unconfirmed,  // retries exhausted: may or may not exist on the server
  cancelled,    // skipped after cancel
  deselected,   // skipped at preview (filled in by the session, never planned)
};
const char* outcome_name(Outcome o);

struct RowOutcome {
  Outcome outcome = Outcome::pending;
  std::string id;           // identity or invite id
  std::string code;         // error code (server's, or ours: http_error, unconfirmed, ...)
  std::string message;      // server's message or catalogue text (English)
  std::string args;         // for our codes: the message's arguments, packed (core/messages.h)
  std::string accept_link;  // invite with send_email=false
};

// The reason phrase of a status a server commonly answers ("Service Unavailable"), "" for others.
const char* status_phrase(int status);

// An error answer's code and message: {"error":{"code":..,"message":..}}, also tolerating
// {"error":"code"} and a top-level "message". Leaves either untouched when the body does not say it.
void error_of_body(std::string_view body, std::string* code, std::string* message);

// Reads a 2xx body into one outcome per row sent (`rows`: the rows' numbers as the body sent them, in
// order); on any deviation from the contract returns false with what was wrong in `problem`: a
// catalogue code (response_not_json, response_count, ...) and its arguments, packed, as bad_response's
// nested ('m') argument.
bool read_results(std::string_view body, const std::vector<uint32_t>& rows, std::vector<RowOutcome>* out,
                  std::string* problem);

}  // namespace canopy
