#include "citizens/http_client.h"

#include <curl/curl.h>

#include <mutex>

namespace sportello::citizens {

namespace {

struct Sink {
  std::string* out;
  size_t max;
  bool tooLarge = false;
};

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  if (s->out->size() + size * n > s->max) {
    s->tooLarge = true;
    return 0;
  }
  s->out->append(data, size * n);
  return size * n;
}

bool startsWith(const std::string& s, const char* p) {
  return s.rfind(p, 0) == 0;
}

}  // namespace

bool fetchableUrl(const std::string& url) {
  if (startsWith(url, "https://")) return url.size() > 8;
  return startsWith(url, "http://127.0.0.1:") || startsWith(url, "http://127.0.0.1/") ||
         startsWith(url, "http://localhost:") || startsWith(url, "http://localhost/") ||
         startsWith(url, "http://[::1]");
}

Result<HttpAnswer> httpCall(const HttpCall& call) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!fetchableUrl(call.url)) {
    return makeError(Errc::kInvalid, "indirizzo del fornitore di identità non ammesso (serve https)");
  }
  CURL* curl = curl_easy_init();
  if (!curl) return makeError(Errc::kUnavailable, "fornitore di identità non raggiungibile");
  HttpAnswer ans;
  Sink sink{&ans.body, call.maxBytes};
  char err[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  if (!call.bearer.empty()) {
    headers = curl_slist_append(headers, ("Authorization: Bearer " + call.bearer).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, call.timeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Sportello");
  if (!call.form.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.form.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.form.size()));
  }
  if (!call.basicUser.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, call.basicUser.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, call.basicPassword.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &ans.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return makeError(Errc::kUnavailable, "fornitore di identità non raggiungibile");
  }
  return ans;
}

}  // namespace sportello::citizens
