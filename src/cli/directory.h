// The directory check on the command line (preview/validate with --api, and submit): each chunk's
// emails are asked about with the session's requests (session/session.h directory_next), so rows whose
// email already has an identity or a pending invite are email_exists errors before anything is sent.
#pragma once
#include <string>

#include "cli/http.h"
#include "session/session.h"

namespace canopy::cli {

class DirectoryChecker {
 public:
  DirectoryChecker(Http& http, Scope_ids scope) : http_(http), scope_(std::move(scope)) {}

  // Asks about every email of a validated chunk; returns its stats afterwards. A request that keeps
  // failing (3 attempts) leaves the rest of the chunk unchecked, never blocked.
  Stats check(ImportSession& session);

  // Over the chunks so far: state is failed once any request gave up, checked when every email was
  // answered, not_checked before the first chunk.
  const DirectoryStatus& totals() const { return totals_; }
  size_t requests() const { return requests_; }

 private:
  Http& http_;
  Scope_ids scope_;
  DirectoryStatus totals_;
  size_t requests_ = 0;
};

// One line for the preview's header and the submit's summary: "not checked", what was found, or why
// the check could not be made.
std::string directory_line(const DirectoryStatus* d);

}  // namespace canopy::cli
