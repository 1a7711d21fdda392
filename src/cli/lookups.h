// Lookups for the CLI: from a JSON file (--lookups) or from the API (--lookups-from-api). Both give the
// validator the same Lookups the wizard loads when it opens.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "session/session.h"
#include "validate/validator.h"

namespace canopy::cli {

// {"roles": [...], "nodes": [...], "oauth_clients": [...], "applications": [...]}. Each list is what the
// API's lookup endpoint returns (an {"items": [...]} object or its items array, objects with "id" or,
// for OAuth clients, "client_id") or a plain array of id strings. A list that is left out stays empty;
// `notes` says which, because every id of that kind will then be reported unknown.
Result<Lookups> parse_lookups_json(std::string_view json, std::vector<std::string>* notes);

// The first role, node, OAuth client and application of a --lookups file (same shapes as above), for
// `sample --lookups`: the sample then uses the scope's ids. A list left out or empty gives "".
Result<SampleIds> sample_ids_json(std::string_view json);

// Adds one API answer ({"items": [...]}) to `set`; `key` is "id" or "client_id". False when the body
// does not have that shape.
bool add_lookup_items(std::string_view body, const char* key, bool lower, std::unordered_set<std::string>* set);

}  // namespace canopy::cli
