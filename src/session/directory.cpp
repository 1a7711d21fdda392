// The directory check of the Preview step (SPEC.md): ask the API which of the file's emails already have
// an identity or a pending invite in the scope, in requests of at most 1,000, and mark those rows. The
// session decides what to ask and what an answer means; the caller only moves the bytes.
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "session/session.h"
#include "submit/plan.h"

namespace canopy {
namespace {

using json = nlohmann::json;

const FieldSpec* email_field(const ModeSpec& mode) {
  for (const FieldSpec* f : mode_fields(mode)) {
    if (f->kind == FieldKind::email) return f;
  }
  return nullptr;
}

// {"error":{"message":..}} of a refusal, for the banner; empty when the body has none.
std::string server_message(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_object()) return {};
  auto e = j.find("error");
  if (e == j.end() || !e->is_object()) return {};
  auto m = e->find("message");
  return m != e->end() && m->is_string() ? m->get<std::string>() : std::string();
}

// The items of a 200 answer, or false when it breaks the contract.
bool read_items(std::string_view body, std::vector<std::pair<std::string, DirectoryEntry>>* out) {
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_object()) return false;
  auto items = j.find("items");
  if (items == j.end() || !items->is_array()) return false;
  for (const json& it : *items) {
    if (!it.is_object()) return false;
    auto email = it.find("email");
    if (email == it.end() || !email->is_string()) return false;
    auto str = [&](const char* name) {
      auto v = it.find(name);
      return v != it.end() && v->is_string() ? v->get<std::string>() : std::string();
    };
    DirectoryEntry e;
    const std::string identity = str("identity_id"), invite = str("invite_id");
    if (identity.empty() && invite.empty()) return false;
    e.invite = identity.empty();
    e.id = e.invite ? invite : identity;
    e.created_at = str("created_at");
    out->emplace_back(email->get<std::string>(), std::move(e));
  }
  return true;
}

}  // namespace

const char* directory_state_name(DirectoryStatus::State s) {
  switch (s) {
    case DirectoryStatus::State::not_checked: return "not_checked";
    case DirectoryStatus::State::checking: return "checking";
    case DirectoryStatus::State::checked: return "checked";
    case DirectoryStatus::State::failed: return "failed";
  }
  return "not_checked";
}

std::optional<DirectoryRequest> ImportSession::directory_next(const Scope_ids& scope) {
  if (!table_ || !mapping_.mode || !validated_) return std::nullopt;
  const FieldSpec* field = email_field(*mapping_.mode);
  const int column = field ? mapping_.column_of(field->name) : -1;
  if (column < 0) return std::nullopt;
  if (mapping_.mode->scope == Scope::environment && scope.environment_id.empty()) return std::nullopt;
  if (!directory_keys_ready_) {
    // Distinct valid emails in file order, so the rows on screen first are answered first.
    std::unordered_set<std::string> seen;
    directory_keys_.clear();
    for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
      std::string key = email_compare_key(trim_value(table_->cell(i + 1, static_cast<uint32_t>(column))));
      if (key.empty() || !seen.insert(key).second) continue;
      directory_keys_.push_back(std::move(key));
    }
    directory_keys_ready_ = true;
    directory_cursor_ = 0;
  }
  if (directory_in_flight_.empty()) {
    while (directory_cursor_ < directory_keys_.size() && directory_in_flight_.size() < kMaxDirectoryEmails) {
      const std::string& key = directory_keys_[directory_cursor_++];
      if (!directory_asked_.count(key)) directory_in_flight_.push_back(key);
    }
  }
  if (directory_in_flight_.empty()) return std::nullopt;
  DirectoryRequest r;
  r.path = endpoint_path(mapping_.mode->directory_endpoint, scope);
  r.body = json{{"emails", directory_in_flight_}}.dump();
  r.emails = directory_in_flight_.size();
  return r;
}

Stats ImportSession::directory_response(int status, std::string_view body, unsigned timeout_s) {
  if (directory_in_flight_.empty()) return stats();
  std::vector<std::pair<std::string, DirectoryEntry>> items;
  if (status < 200 || status > 299 || !read_items(body, &items)) {
    directory_failed_ = true;
    const std::string http = std::to_string(status);
    if (status == 0) {
      directory_reason_ = timeout_s      ? make_error("directory_timeout", {std::to_string(timeout_s)})
                          : body.empty() ? make_error("directory_no_answer")
                                         : make_error("directory_transport", {body});
    } else if (status >= 200 && status <= 299) {
      directory_reason_ = make_error("directory_not_items", {http});
    } else {
      const std::string m = server_message(body);
      directory_reason_ =
          m.empty() ? make_error("directory_http", {http}) : make_error("directory_http_said", {http, m});
    }
    return stats();
  }
  directory_failed_ = false;
  directory_reason_ = Error{};
  const std::unordered_set<std::string> asked(directory_in_flight_.begin(), directory_in_flight_.end());
  size_t added = 0;
  for (auto& [email, entry] : items) {
    std::string key = email_compare_key(email);
    if (!asked.count(key)) continue;  // only what was asked: an answer cannot block other rows
    added += directory_.found.insert_or_assign(std::move(key), std::move(entry)).second ? 1 : 0;
  }
  for (std::string& key : directory_in_flight_) directory_asked_.insert(std::move(key));
  directory_in_flight_.clear();
  if (added && !submitter_) {
    apply_directory(validation_, *table_, mapping_, directory_);
    filter_cache_.clear();
    for (uint32_t i = 0; i < validation_.rows.size(); ++i) {
      if (validation_.rows[i].status == RowStatus::error) selected_[i] = 0;
    }
  }
  return stats();
}

DirectoryStatus ImportSession::directory_status() const {
  DirectoryStatus d;
  d.reason_code = directory_reason_.code;
  d.reason_args = directory_reason_.args;
  d.reason = directory_reason_.message;
  for (const Issue& is : validation_.issues) d.found += is.code == "email_exists" ? 1 : 0;
  if (!directory_keys_ready_) {
    d.state = directory_failed_ ? DirectoryStatus::State::failed : DirectoryStatus::State::not_checked;
    return d;
  }
  d.emails = directory_keys_.size();
  for (const std::string& key : directory_keys_) d.checked += directory_asked_.count(key);
  using State = DirectoryStatus::State;
  if (directory_failed_) d.state = State::failed;
  else if (d.checked == d.emails) d.state = State::checked;
  else if (d.checked > 0 || !directory_in_flight_.empty()) d.state = State::checking;
  else d.state = State::not_checked;
  return d;
}

}  // namespace canopy
