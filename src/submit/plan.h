// Batch planning: selected rows in file order, at most 200 per batch, one byte-exact JSON body each,
// and an idempotency key derived from (mode, scope ids, body) so a resend can never create twice.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/schema.h"

namespace canopy {

constexpr size_t kMaxBatchRows = 200;

// One row to send: its data-row index, the source row number sent as "row", and its mapped values.
struct RowPayload {
  uint32_t index;  // data-row index (0-based, file order)
  uint32_t row;    // source row number (line in the file)
  // (field, value); the body lists them in the mode's field order whatever their order here, and leaves
  // out fields not in the mode and empty optional values. send_email holds "true"/"false" (any of the
  // validator's boolean words) and goes out as a JSON boolean.
  std::vector<std::pair<std::string_view, std::string>> values;
};

struct Scope_ids {
  std::string account_id;
  std::string environment_id;  // empty for account scope
};

struct Batch {
  std::vector<uint32_t> indices;  // data-row indices in this batch
  std::vector<uint32_t> rows;     // their source row numbers, same order
  std::string body;               // {"rows":[{"row":N,"email":"...",...},...]} exactly as sent
  std::string idempotency_key;    // UUID form (version 8 bits) of SHA-256(mode, scope ids, body)
  std::string path;               // endpoint path with ids filled in
};

// Rows stay in the given order (file order). batch_size 0 or above kMaxBatchRows means kMaxBatchRows.
// Strings are escaped per RFC 8259, non-ASCII UTF-8 kept as is (an invalid byte becomes U+FFFD).
// Ids are percent-encoded into the path ({environment_id}, {account_id}).
std::vector<Batch> plan_batches(const ModeSpec& mode, const Scope_ids& scope, const std::vector<RowPayload>& rows,
                                size_t batch_size = kMaxBatchRows);

// An endpoint of the modes table with its {environment_id} / {account_id} filled in, percent-encoded.
std::string endpoint_path(std::string_view endpoint, const Scope_ids& scope);

// SHA-256 of the input as 64 lower-case hex digits (exposed for tests against known vectors).
std::string sha256_hex(std::string_view data);
// SHA-256 over a domain tag, mode id, account id, environment id and body, each prefixed with its
// 64-bit big-endian length (no two inputs collide by concatenation), as a lower-case 8-4-4-4-12 UUID
// with version 8 and the RFC 4122 variant bits set.
std::string idempotency_key(std::string_view mode, const Scope_ids& scope, std::string_view body);

}  // namespace canopy
