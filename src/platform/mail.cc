#include "platform/mail.h"

#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "core/json_fields.h"
#include "core/token.h"
#include "platform/ratelimit.h"

namespace sportello::mail {

std::vector<Migration> migrations() {
  return {{110, "mail outbox",
           R"sql(
CREATE TABLE mail_outbox (
  id TEXT PRIMARY KEY,
  ente_id TEXT NOT NULL,
  dedup_key TEXT NOT NULL UNIQUE,
  to_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  attachments TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending','sending','sent','failed','cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  claimed_at BIGINT,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
)sql",
           ""}};
}

namespace {

std::string toBase64(std::string_view bin) {
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                    bin.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string fromBase64(std::string_view b64) {
  std::string out(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return {};
  }
  out.resize(len);
  return out;
}

std::string attachmentsJson(const std::vector<Attachment>& list) {
  Json arr = Json::array();
  for (const auto& a : list) {
    arr.push_back({{"filename", a.filename},
                   {"content_type", a.contentType},
                   {"content_b64", toBase64(a.content)}});
  }
  return arr.dump();
}

std::vector<Attachment> attachmentsFrom(const std::string& text) {
  std::vector<Attachment> out;
  Json arr = Json::parse(text, nullptr, false);
  if (!arr.is_array()) return out;
  for (const auto& a : arr) {
    out.push_back({a.value("filename", ""), a.value("content_type", "application/octet-stream"),
                   fromBase64(a.value("content_b64", ""))});
  }
  return out;
}

int64_t backoffMs(int attempts) {
  int64_t ms = 30'000;
  for (int i = 1; i < attempts && ms < 3'600'000; ++i) ms *= 2;
  return std::min<int64_t>(ms, 3'600'000);
}

std::string domainOf(const std::string& from) {
  std::string addr = mime::bareAddress(from);
  size_t at = addr.rfind('@');
  return at == std::string::npos ? "sportello.invalid" : addr.substr(at + 1);
}

}  // namespace

namespace {
std::atomic<int64_t> perRecipientPerDay{20};
}  // namespace

void setPerRecipientPerDay(int64_t n) {
  perRecipientPerDay = n;
}

Result<bool> enqueue(Tx& tx, const Mail& m) {
  if (!validAddress(m.to)) return makeError(Errc::kInvalid, "indirizzo email non valido", "email");
  if (m.dedupKey.empty() || m.dedupKey.size() > 200) {
    return makeError(Errc::kInternal, "mail: dedup key missing or too long");
  }
  if (m.subject.empty() || m.subject.size() > kMaxSubjectBytes ||
      m.subject.find_first_of("\r\n") != std::string::npos) {
    return makeError(Errc::kInternal, "mail: subject empty, too long or on several lines");
  }
  size_t total = m.text.size() + m.subject.size();
  for (const auto& a : m.attachments) total += a.content.size();
  if (total > kMaxMailBytes) return makeError(Errc::kInternal, "mail: message too large");
  int64_t now = tx.nowMs();
  // A mail already queued under its key counts once; a new one counts against its recipient.
  SP_ASSIGN(auto seen,
            tx.conn().query("SELECT 1 FROM mail_outbox WHERE dedup_key = ?", {m.dedupKey}));
  if (!seen.empty()) return false;
  std::string recipient = mime::bareAddress(m.to);
  std::transform(recipient.begin(), recipient.end(), recipient.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  ratelimit::Rule cap{"mail.recipient", perRecipientPerDay.load(), 86'400'000};
  SP_ASSIGN(int64_t wait, ratelimit::take(tx, cap, recipient));
  if (wait > 0) {
    spdlog::warn("mail to {} not queued: {} mails a day per recipient already ({})", m.to,
                 cap.limit, m.dedupKey);
    return false;
  }
  int64_t due = std::max(now, m.notBeforeMs);
  SP_ASSIGN(int64_t n,
            tx.conn().exec(
                "INSERT INTO mail_outbox (id, ente_id, dedup_key, to_addr, subject, body, "
                "attachments, state, attempts, not_before, next_attempt_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?) "
                "ON CONFLICT (dedup_key) DO NOTHING",
                {newId(), m.enteId, m.dedupKey, m.to, m.subject, m.text,
                 attachmentsJson(m.attachments), due, due, now}));
  return n > 0;
}

Result<bool> cancel(Tx& tx, const std::string& dedupKey) {
  SP_ASSIGN(int64_t n, tx.conn().exec("UPDATE mail_outbox SET state = 'cancelled', body = '', "
                                      "attachments = '[]' WHERE dedup_key = ? AND state = 'pending'",
                                      {dedupKey}));
  return n > 0;
}

Result<int64_t> purge(Tx& tx, int64_t beforeMs) {
  return tx.conn().exec(
      "DELETE FROM mail_outbox WHERE state IN ('sent', 'failed', 'cancelled') AND created_at < ?",
      {beforeMs});
}

Result<std::vector<OutboxEntry>> recent(sql::Connection& c, const std::string& enteId,
                                        int limit) {
  SP_ASSIGN(auto rows,
            c.query("SELECT id, ente_id, to_addr, subject, state, COALESCE(last_error, ''), "
                    "dedup_key, attempts, created_at, not_before, COALESCE(sent_at, 0) "
                    "FROM mail_outbox WHERE ente_id = ? ORDER BY created_at DESC, id LIMIT ?",
                    {enteId, int64_t{limit}}));
  std::vector<OutboxEntry> out;
  for (const auto& r : rows) {
    out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6),
                   static_cast<int>(r.i64(7)), r.i64(8), r.i64(9), r.i64(10)});
  }
  return out;
}

// ---- sender ----

MailSender::MailSender(Database& db, const Clock& clock, SenderOptions opts)
    : db_(db), clock_(clock), opts_(std::move(opts)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

MailSender::~MailSender() { stop(); }

void MailSender::start() {
  if (thread_.joinable()) return;
  if (opts_.smtpUrl.empty()) {
    spdlog::warn("smtp_url is not set: outgoing mail waits in the outbox");
    return;
  }
  thread_ = std::thread([this] { loop(); });
}

void MailSender::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailSender::poke() {
  {
    std::lock_guard lk(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void MailSender::loop() {
  for (;;) {
    int sent = runOnce();
    std::unique_lock lk(mu_);
    if (stop_) return;
    if (sent > 0) continue;  // more may be due
    cv_.wait_for(lk, std::chrono::milliseconds(opts_.pollMs), [this] { return stop_ || poked_; });
    poked_ = false;
    if (stop_) return;
  }
}

namespace {

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t readPayload(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t left = u->data->size() - u->pos;
  size_t len = std::min(left, size * n);
  std::memcpy(buf, u->data->data() + u->pos, len);
  u->pos += len;
  return len;
}

}  // namespace

Status MailSender::deliver(const std::string& id, const std::string& to, const std::string& raw) {
  CURL* curl = curl_easy_init();
  if (!curl) return makeError(Errc::kUnavailable, "curl_easy_init failed");
  Upload up{&raw};
  char err[CURL_ERROR_SIZE] = {0};
  std::string from = "<" + mime::bareAddress(opts_.from) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, opts_.smtpUrl.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, readPayload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(opts_.timeoutSeconds));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
  // STARTTLS when the server offers it (smtps:// is TLS from the start).
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  if (!opts_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, opts_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, opts_.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return makeError(Errc::kUnavailable,
                     std::string(curl_easy_strerror(rc)) + (err[0] ? std::string(": ") + err : ""));
  }
  return okStatus();
}

int MailSender::runOnce() {
  if (opts_.smtpUrl.empty()) return 0;
  int64_t now = clock_.nowMs();
  // Claims abandoned by a crashed sender go back to pending.
  auto reset = [now](Tx& tx) -> Result<int64_t> {
    return tx.conn().exec(
        "UPDATE mail_outbox SET state = 'pending' WHERE state = 'sending' AND claimed_at < ?",
        {now - kStaleClaimMs});
  };
  (void)db_.writeSync<int64_t>(reset);
  auto due = db_.readSync<std::vector<std::string>>(
      [now](sql::Connection& c) -> Result<std::vector<std::string>> {
        SP_ASSIGN(auto rows, c.query("SELECT id FROM mail_outbox WHERE state = 'pending' AND "
                                     "next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 20",
                                     {now}));
        std::vector<std::string> ids;
        for (const auto& r : rows) ids.push_back(r.str(0));
        return ids;
      });
  if (!due.ok()) {
    spdlog::warn("mail: cannot read the outbox: {}", due.error().message);
    return 0;
  }
  int sent = 0;
  for (const auto& id : *due) {
    struct Claimed {
      std::string ente, to, subject, body, attachments;
      int attempts = 0;
    };
    auto claim = [id, now](Tx& tx) -> Result<Claimed> {
      SP_ASSIGN(int64_t n, tx.conn().exec("UPDATE mail_outbox SET state = 'sending', claimed_at = "
                                          "?, attempts = attempts + 1 WHERE id = ? AND state = "
                                          "'pending'",
                                          {now, id}));
      if (n == 0) return makeError(Errc::kConflict, "taken");
      SP_ASSIGN(auto r, tx.conn().one("SELECT ente_id, to_addr, subject, body, attachments, "
                                      "attempts FROM mail_outbox WHERE id = ?",
                                      {id}, "mail"));
      return Claimed{r.str(0), r.str(1), r.str(2), r.str(3), r.str(4), static_cast<int>(r.i64(5))};
    };
    auto c = db_.writeSync<Claimed>(claim);
    if (!c.ok()) continue;  // another node claimed it, or the database is unavailable
    mime::Message m;
    m.from = opts_.from;
    m.to = c->to;
    m.subject = c->subject;
    m.messageId = id + "@" + domainOf(opts_.from);
    m.dateMs = clock_.nowMs();
    m.text = c->body;
    m.attachments = attachmentsFrom(c->attachments);
    m.boundary = "=_sportello_" + randomBase32(12);
    auto raw = mime::build(m);
    Status st = raw.ok() ? deliver(id, c->to, *raw) : Status(raw.error());
    int64_t after = clock_.nowMs();
    int attempts = c->attempts;
    std::string error = st.ok() ? "" : st.error().message;
    bool permanent = !raw.ok();
    auto finish = [id, after, attempts, error, permanent](Tx& tx) -> Result<int64_t> {
      if (error.empty()) {
        return tx.conn().exec("UPDATE mail_outbox SET state = 'sent', sent_at = ?, body = '', "
                              "attachments = '[]', last_error = NULL WHERE id = ?",
                              {after, id});
      }
      bool failed = permanent || attempts >= kMaxAttempts;
      return tx.conn().exec(
          "UPDATE mail_outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
          {std::string(failed ? "failed" : "pending"), after + backoffMs(attempts), error, id});
    };
    auto f = db_.writeSync<int64_t>(finish);
    if (!f.ok()) spdlog::warn("mail {}: cannot record the outcome: {}", id, f.error().message);
    if (st.ok()) {
      ++sent;
      spdlog::info("mail {} sent (ente {})", id, c->ente);
    } else {
      spdlog::warn("mail {} not sent (attempt {}): {}", id, attempts, error);
    }
  }
  return sent;
}

}  // namespace sportello::mail
