#include "submit/response.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "core/messages.h"

namespace canopy {
namespace {

using json = nlohmann::json;

constexpr size_t kNone = std::numeric_limits<size_t>::max();

bool read_row_number(const json& v, uint32_t* out) {
  if (v.is_number_unsigned()) {
    uint64_t n = v.get<uint64_t>();
    if (n > 0xFFFFFFFFu) return false;
    *out = static_cast<uint32_t>(n);
    return true;
  }
  if (v.is_number_integer()) {
    int64_t n = v.get<int64_t>();
    if (n < 0 || n > 0xFFFFFFFFll) return false;
    *out = static_cast<uint32_t>(n);
    return true;
  }
  return false;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::pending: return "pending";
    case Outcome::created: return "created";
    case Outcome::invited: return "invited";
    case Outcome::replayed: return "replayed";
    case Outcome::failed: return "failed";
    case Outcome::unconfirmed: return "unconfirmed";
    case Outcome::cancelled: return "cancelled";
    case Outcome::deselected: return "deselected";
  }
  return "pending";
}

const char* status_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

void error_of_body(std::string_view body, std::string* code, std::string* message) {
  json j = json::parse(body.data(), body.data() + body.size(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  auto e = j.find("error");
  if (e != j.end() && e->is_object()) {
    auto c = e->find("code");
    if (c != e->end() && c->is_string()) *code = c->get<std::string>();
    auto m = e->find("message");
    if (m != e->end() && m->is_string()) *message = m->get<std::string>();
  } else if (e != j.end() && e->is_string()) {
    *code = e->get<std::string>();
  }
  if (message->empty()) {
    auto m = j.find("message");
    if (m != j.end() && m->is_string()) *message = m->get<std::string>();
  }
}

bool read_results(std::string_view body, const std::vector<uint32_t>& rows, std::vector<RowOutcome>* out,
                  std::string* problem) {
  json j = json::parse(body.data(), body.data() + body.size(), nullptr, false);
  if (j.is_discarded()) return *problem = pack_args({"response_not_json"}), false;
  if (!j.is_object()) return *problem = pack_args({"response_not_object"}), false;
  auto results = j.find("results");
  if (results == j.end() || !results->is_array()) return *problem = pack_args({"response_no_results"}), false;
  const size_t n = rows.size();
  if (results->size() != n) {
    *problem = pack_args({"response_count", std::to_string(results->size()), std::to_string(n)});
    return false;
  }
  out->assign(n, RowOutcome{});
  std::vector<bool> taken(n, false);
  for (size_t i = 0; i < n; ++i) {
    const json& r = (*results)[i];
    if (!r.is_object()) return *problem = pack_args({"response_entry_not_object", std::to_string(i + 1)}), false;
    auto rv = r.find("row");
    uint32_t row = 0;
    if (rv == r.end() || !read_row_number(*rv, &row)) {
      return *problem = pack_args({"response_no_row", std::to_string(i + 1)}), false;
    }
    // Same order is the contract; matching by row number tolerates a reordered answer.
    size_t pos = kNone;
    if (!taken[i] && rows[i] == row) {
      pos = i;
    } else {
      for (size_t k = 0; k < n; ++k) {
        if (!taken[k] && rows[k] == row) {
          pos = k;
          break;
        }
      }
    }
    if (pos == kNone) {
      return *problem = pack_args({"response_row_unknown", std::to_string(row)}), false;
    }
    taken[pos] = true;
    RowOutcome& o = (*out)[pos];
    auto st = r.find("status");
    if (st == r.end() || !st->is_string()) {
      return *problem = pack_args({"response_no_status", std::to_string(row)}), false;
    }
    const std::string& status = st->get_ref<const std::string&>();
    if (status == "created" || status == "invited") {
      o.outcome = status == "created" ? Outcome::created : Outcome::invited;
      auto id = r.find("id");
      if (id != r.end() && id->is_string()) o.id = id->get<std::string>();
      else if (id != r.end() && id->is_number_integer()) o.id = id->dump();
      auto link = r.find("accept_link");
      if (link != r.end() && link->is_string()) o.accept_link = link->get<std::string>();
      auto withheld = r.find("accept_link_withheld");
      if (o.accept_link.empty() && withheld != r.end() && withheld->is_boolean() && withheld->get<bool>()) {
        o.code = "accept_link_withheld";  // a replay that no longer hands the link out: say so
        o.message = format_message(o.code);
      }
    } else if (status == "error") {
      auto e = r.find("error");
      auto code = e != r.end() && e->is_object() ? e->find("code") : r.end();
      if (e == r.end() || !e->is_object() || code == e->end() || !code->is_string()) {
        return *problem = pack_args({"response_no_error_code", std::to_string(row)}), false;
      }
      o.outcome = Outcome::failed;
      o.code = code->get<std::string>();
      auto m = e->find("message");
      if (m != e->end() && m->is_string()) o.message = m->get<std::string>();
    } else {
      return *problem = pack_args({"response_unknown_status", std::to_string(row), status}), false;
    }
  }
  return true;
}

}  // namespace canopy
