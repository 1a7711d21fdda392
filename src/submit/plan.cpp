#include "submit/plan.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace canopy {
namespace {

// ---- SHA-256 (FIPS 180-4). Streaming, so the key can hash length-prefixed parts without copying the
// body into one buffer.
class Sha256 {
 public:
  void update(const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    total_ += n;
    while (n > 0) {
      size_t take = std::min(n, sizeof(buf_) - used_);
      std::memcpy(buf_ + used_, p, take);
      used_ += take;
      p += take;
      n -= take;
      if (used_ == sizeof(buf_)) {
        block(buf_);
        used_ = 0;
      }
    }
  }
  void update(std::string_view s) { update(s.data(), s.size()); }

  std::array<uint8_t, 32> finish() {
    uint64_t bits = total_ * 8;
    uint8_t pad = 0x80;
    update(&pad, 1);
    uint8_t zero = 0;
    while (used_ != 56) update(&zero, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    update(len, 8);
    std::array<uint8_t, 32> out{};
    for (int i = 0; i < 8; ++i) {
      for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(h_[i] >> (24 - 8 * j));
    }
    return out;
  }

 private:
  static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

  void block(const uint8_t* p) {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = (uint32_t{p[4 * i]} << 24) | (uint32_t{p[4 * i + 1]} << 16) | (uint32_t{p[4 * i + 2]} << 8) |
             uint32_t{p[4 * i + 3]};
    }
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = h + s1 + ch + k[i] + w[i];
      uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h_[0] += a, h_[1] += b, h_[2] += c, h_[3] += d, h_[4] += e, h_[5] += f, h_[6] += g, h_[7] += h;
  }

  uint32_t h_[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint8_t buf_[64] = {};
  size_t used_ = 0;
  uint64_t total_ = 0;
};

constexpr char kHex[] = "0123456789abcdef";

// Each part as an 8-byte big-endian length then its bytes: ("ab","c") and ("a","bc") hash differently.
void update_prefixed(Sha256& h, std::string_view part) {
  uint8_t len[8];
  uint64_t n = part.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(n >> (56 - 8 * i));
  h.update(len, 8);
  h.update(part);
}

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when it is not one.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  size_t n = s.size() - i;
  auto cont = [&](size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return n >= 2 && cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// A JSON string per RFC 8259: quote, backslash and C0 controls escaped, other UTF-8 kept as is. The
// table is already UTF-8; a stray invalid byte becomes U+FFFD so the body is always valid JSON.
void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence(s, i);
      if (n == 0) {
        out.append("\xEF\xBF\xBD");
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out.push_back('"');
}

// Ids go into a URL path: anything but RFC 3986 unreserved characters is percent-encoded, so an id
// can never add a path segment or a query.
std::string path_segment(std::string_view id) {
  std::string out;
  for (char ch : id) {
    auto c = static_cast<uint8_t>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back("0123456789ABCDEF"[c >> 4]);
      out.push_back("0123456789ABCDEF"[c & 15]);
    }
  }
  return out;
}

std::string fill_path(std::string_view endpoint, const Scope_ids& scope) {
  std::string out;
  for (size_t i = 0; i < endpoint.size();) {
    if (endpoint.substr(i, 16) == "{environment_id}") {
      out += path_segment(scope.environment_id);
      i += 16;
    } else if (endpoint.substr(i, 12) == "{account_id}") {
      out += path_segment(scope.account_id);
      i += 12;
    } else {
      out.push_back(endpoint[i++]);
    }
  }
  return out;
}

void append_row(std::string& body, const ModeSpec& mode, const std::vector<const FieldSpec*>& fields,
                const RowPayload& row) {
  body += "{\"row\":";
  body += std::to_string(row.row);
  // Mode order whatever order the caller used; fields outside the mode and repeats are never sent.
  for (const FieldSpec* f : fields) {
    if (!f) continue;
    const std::string* value = nullptr;
    for (const auto& kv : row.values) {
      if (kv.first == f->name) {
        value = &kv.second;
        break;
      }
    }
    if (!value) continue;
    if (value->empty() && !mode_requires(mode, f->name)) continue;
    body.push_back(',');
    append_json_string(body, f->name);
    body.push_back(':');
    const std::optional<bool> b = f->kind == FieldKind::send_email ? boolean_word(*value) : std::nullopt;
    if (b == true) {
      body += "true";
    } else if (b == false) {
      body += "false";
    } else {
      // Not a boolean word (the validator blocks those): sent as text so the server rejects the row
      // rather than the planner guessing a value.
      append_json_string(body, *value);
    }
  }
  body.push_back('}');
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  auto d = h.finish();
  std::string out;
  out.reserve(64);
  for (uint8_t b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string idempotency_key(std::string_view mode, const Scope_ids& scope, std::string_view body) {
  Sha256 h;
  update_prefixed(h, "canopy-csv-import/idempotency-key/v1");
  update_prefixed(h, mode);
  update_prefixed(h, scope.account_id);
  update_prefixed(h, scope.environment_id);
  update_prefixed(h, body);
  auto d = h.finish();
  d[6] = static_cast<uint8_t>((d[6] & 0x0F) | 0x80);  // version 8 (custom, RFC 9562)
  d[8] = static_cast<uint8_t>((d[8] & 0x3F) | 0x80);  // variant 10 (RFC 4122)
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[d[i] >> 4]);
    out.push_back(kHex[d[i] & 15]);
  }
  return out;
}

std::vector<Batch> plan_batches(const ModeSpec& mode, const Scope_ids& scope, const std::vector<RowPayload>& rows,
                                size_t batch_size) {
  if (batch_size == 0 || batch_size > kMaxBatchRows) batch_size = kMaxBatchRows;
  const auto fields = mode_fields(mode);
  const std::string path = fill_path(mode.endpoint, scope);
  std::vector<Batch> out;
  out.reserve((rows.size() + batch_size - 1) / batch_size);
  for (size_t start = 0; start < rows.size(); start += batch_size) {
    size_t end = std::min(rows.size(), start + batch_size);
    Batch b;
    b.body = "{\"rows\":[";
    for (size_t i = start; i < end; ++i) {
      if (i > start) b.body.push_back(',');
      append_row(b.body, mode, fields, rows[i]);
      b.indices.push_back(rows[i].index);
      b.rows.push_back(rows[i].row);
    }
    b.body += "]}";
    b.idempotency_key = idempotency_key(mode.id, scope, b.body);
    b.path = path;
    out.push_back(std::move(b));
  }
  return out;
}

std::string endpoint_path(std::string_view endpoint, const Scope_ids& scope) { return fill_path(endpoint, scope); }

}  // namespace canopy
