// The CLI's HTTP: libcurl, one connection kept alive, 30 s per request. It only moves bytes; what a
// status means is the submit core's business (submit/submitter.h). (libcurl itself resends a request
// once when a kept-alive connection turns out to be dead before any answer; the resend carries the same
// Idempotency-Key and bytes, so it is as safe as the core's retries.)
#pragma once
#include <string>

namespace canopy::cli {

struct HttpResult {
  int status = 0;  // 0: no HTTP answer (network error or timeout)
  bool timeout = false;
  std::string body;
  std::string retry_after;   // raw Retry-After header value
  bool replayed = false;     // Idempotent-Replayed: true (the server answered from its idempotency store)
  bool reconnected = false;  // a kept-alive connection was replaced: libcurl may have resent the request
  std::string error;         // libcurl's words when status is 0
};

class Http {
 public:
  // `base` is the API's origin (and any path prefix before /api/v1). The token goes only into the
  // Authorization header.
  Http(std::string base, std::string token, long timeout_ms = 30000);
  ~Http();
  Http(const Http&) = delete;
  Http& operator=(const Http&) = delete;

  HttpResult get(const std::string& path);
  // An empty `idempotency_key` sends no Idempotency-Key header.
  HttpResult post_json(const std::string& path, const std::string& body, const std::string& idempotency_key);
  const std::string& base() const { return base_; }

 private:
  HttpResult perform(const std::string& path, const std::string* body, const std::string* key);
  std::string base_, token_;
  long timeout_ms_;
  void* curl_ = nullptr;
  bool connected_ = false;  // a transfer has completed on this handle (its connection may be reused)
};

// "http://host:8080/" -> "http://host:8080"; a trailing /api/v1 is dropped too (paths carry it).
// Empty when the URL is not http(s).
std::string normalize_api_base(const std::string& url);

// Percent-encodes a path segment.
std::string path_segment(const std::string& s);

}  // namespace canopy::cli
