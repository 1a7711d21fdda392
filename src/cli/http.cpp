#include "cli/http.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace canopy::cli {
namespace {

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<HttpResult*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a 100 Continue)
    r->retry_after.clear();
    r->replayed = false;
  }
  // The value of header `name` (lower case, with the colon) when this line is that header.
  auto value_of = [&line](const std::string& name, std::string* out) {
    if (line.size() <= name.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    }
    std::string v = line.substr(name.size());
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ' || v.back() == '\t')) v.pop_back();
    size_t k = 0;
    while (k < v.size() && (v[k] == ' ' || v[k] == '\t')) ++k;
    *out = v.substr(k);
    return true;
  };
  std::string v;
  if (value_of("retry-after:", &v)) r->retry_after = v;
  if (value_of("idempotent-replayed:", &v)) r->replayed = v == "true";
  return size * n;
}

}  // namespace

std::string normalize_api_base(const std::string& url) {
  std::string u = url;
  if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) return {};
  while (!u.empty() && u.back() == '/') u.pop_back();
  const std::string suffix = "/api/v1";
  if (u.size() > suffix.size() && u.compare(u.size() - suffix.size(), suffix.size(), suffix) == 0) {
    u.resize(u.size() - suffix.size());
  }
  return u;
}

std::string path_segment(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

Http::Http(std::string base, std::string token, long timeout_ms)
    : base_(std::move(base)), token_(std::move(token)), timeout_ms_(timeout_ms) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

Http::~Http() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult Http::get(const std::string& path) { return perform(path, nullptr, nullptr); }

HttpResult Http::post_json(const std::string& path, const std::string& body, const std::string& key) {
  return perform(path, &body, &key);
}

HttpResult Http::perform(const std::string& path, const std::string* body, const std::string* key) {
  HttpResult r;
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) {
    r.error = "libcurl could not start";
    return r;
  }
  curl_easy_reset(c);
  const std::string url = base_ + path;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  const std::string auth = "Authorization: Bearer " + token_;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip before each batch
  std::string key_header;
  if (body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    if (key && !key->empty()) {  // the directory check is read-only and takes none
      key_header = "Idempotency-Key: " + *key;
      headers = curl_slist_append(headers, key_header.c_str());
    }
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "canopy-import/0.1");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms_, 10000L));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.timeout = rc == CURLE_OPERATION_TIMEDOUT;
    r.error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    r.body.clear();
    return r;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  // libcurl resends once, by itself, when a reused connection dies before the answer: if the first
  // send reached the server, its replay is this run's own rows. A new connection after an earlier
  // transfer is the only trace of that.
  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  r.reconnected = connected_ && connects > 0;
  connected_ = true;
  r.status = static_cast<int>(status);
  return r;
}

}  // namespace canopy::cli
