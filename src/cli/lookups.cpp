#include "cli/lookups.h"

#include <nlohmann/json.hpp>

namespace canopy::cli {
namespace {

using json = nlohmann::json;

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// One list in any accepted shape. Returns false with `problem` set when it is something else.
bool add_list(const json& v, const char* key, bool lower, std::unordered_set<std::string>* set, std::string* problem) {
  const json* list = &v;
  if (v.is_object()) {
    auto items = v.find("items");
    if (items == v.end()) return *problem = "an object without \"items\"", false;
    list = &*items;
  }
  if (!list->is_array()) return *problem = "not a list", false;
  for (const json& item : *list) {
    if (item.is_string()) {
      set->insert(lower ? lower_ascii(item.get<std::string>()) : item.get<std::string>());
      continue;
    }
    if (item.is_object()) {
      auto id = item.find(key);
      if (id == item.end() && std::string_view(key) == "client_id") id = item.find("id");
      if (id != item.end() && id->is_string()) {
        set->insert(lower ? lower_ascii(id->get<std::string>()) : id->get<std::string>());
        continue;
      }
    }
    *problem = std::string("an entry without a string \"") + key + "\"";
    return false;
  }
  return true;
}

}  // namespace

Result<Lookups> parse_lookups_json(std::string_view text, std::vector<std::string>* notes) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error{"bad_lookups",
                 "The lookups file is not a JSON object. It needs {\"roles\": [...], \"nodes\": [...], "
                 "\"oauth_clients\": [...], \"applications\": [...]} with the items the API's lookup endpoints "
                 "return, or plain lists of ids."};
  }
  Lookups l;
  l.state = Lookups::State::loaded;
  struct Kind {
    std::vector<const char*> names;
    const char* key;
    bool lower;
    std::unordered_set<std::string>* set;
  };
  const Kind kinds[] = {
      {{"roles"}, "id", true, &l.roles},
      {{"nodes"}, "id", true, &l.nodes},
      {{"oauth_clients", "oauth-clients", "clients"}, "client_id", false, &l.clients},
      {{"applications"}, "id", true, &l.applications},
  };
  for (const Kind& k : kinds) {
    const json* found = nullptr;
    for (const char* name : k.names) {
      auto it = j.find(name);
      if (it != j.end()) {
        found = &*it;
        break;
      }
    }
    if (!found) {
      if (notes) notes->push_back(k.names[0]);
      continue;
    }
    std::string problem;
    if (!add_list(*found, k.key, k.lower, k.set, &problem)) {
      return Error{"bad_lookups", std::string("The lookups file's \"") + k.names[0] + "\" is " + problem +
                                      ". Give the API's {\"items\": [...]} answer, its items, or a list of ids."};
    }
  }
  return l;
}

Result<SampleIds> sample_ids_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error{"bad_lookups", "The lookups file is not a JSON object (see canopy-import preview --help)."};
  }
  auto first = [&j](std::initializer_list<const char*> names, const char* key) -> std::string {
    for (const char* name : names) {
      auto it = j.find(name);
      if (it == j.end()) continue;
      const json* list = &*it;
      if (list->is_object() && list->contains("items")) list = &(*list)["items"];
      if (!list->is_array() || list->empty()) return {};
      const json& item = list->front();
      if (item.is_string()) return item.get<std::string>();
      if (item.is_object()) {
        auto id = item.find(key);
        if (id == item.end()) id = item.find("id");
        if (id != item.end() && id->is_string()) return id->get<std::string>();
      }
      return {};
    }
    return {};
  };
  SampleIds ids;
  ids.role = first({"roles"}, "id");
  ids.node = first({"nodes"}, "id");
  ids.client = first({"oauth_clients", "oauth-clients", "clients"}, "client_id");
  ids.application = first({"applications"}, "id");
  return ids;
}

bool add_lookup_items(std::string_view body, const char* key, bool lower, std::unordered_set<std::string>* set) {
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded()) return false;
  std::string problem;
  return add_list(j, key, lower, set, &problem);
}

}  // namespace canopy::cli
