#include "cli/directory.h"

#include <chrono>
#include <thread>

#include "cli/chunked.h"

namespace canopy::cli {

Stats DirectoryChecker::check(ImportSession& session) {
  int attempts = 0;
  for (;;) {
    const auto request = session.directory_next(scope_);
    if (!request) break;
    const HttpResult r = http_.post_json(request->path, request->body, "");
    ++requests_;
    session.directory_response(r.status, r.status ? std::string_view(r.body) : std::string_view(r.error));
    if (session.directory_status().state != DirectoryStatus::State::failed) {
      attempts = 0;
      continue;
    }
    const bool transient = r.status == 0 || r.status == 429 || r.status >= 500;
    if (!transient || ++attempts >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1000 << (attempts - 1)));
  }
  const DirectoryStatus d = session.directory_status();
  totals_.emails += d.emails;
  totals_.checked += d.checked;
  totals_.found += d.found;
  if (d.state == DirectoryStatus::State::failed) {
    totals_.state = DirectoryStatus::State::failed;
    if (totals_.reason_code.empty()) {
      totals_.reason_code = d.reason_code;
      totals_.reason_args = d.reason_args;
      totals_.reason = d.reason;
    }
  } else if (totals_.state != DirectoryStatus::State::failed) {
    totals_.state =
        totals_.checked == totals_.emails ? DirectoryStatus::State::checked : DirectoryStatus::State::checking;
  }
  return session.stats();
}

std::string directory_line(const DirectoryStatus* d) {
  if (!d || d->state == DirectoryStatus::State::not_checked) {
    return "not checked: existing identities and invites are found only when the rows are sent; pass --api URL "
           "(and --environment ID) to check first.";
  }
  if (d->state == DirectoryStatus::State::failed) {
    return "could not be checked (" + d->reason + "); " + with_commas(d->checked) + " of " + with_commas(d->emails) +
           " emails were. Rows are not blocked: the server still refuses emails that exist (email_conflict).";
  }
  return with_commas(d->checked) + " emails checked, " + with_commas(d->found) +
         (d->found == 1 ? " row already exists" : " rows already exist") + " in the scope (email_exists).";
}

}  // namespace canopy::cli
