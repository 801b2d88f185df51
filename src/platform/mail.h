// Outgoing email: a durable outbox in the database, sent by a background sender through an
// SMTP server with libcurl.
//
// A capability enqueues a mail inside its own write transaction (`enqueue(tx, …)`): if the
// transaction rolls back nothing is sent, if it commits the mail is never lost (it waits in
// `mail_outbox` across restarts until the SMTP server accepts it). Each mail has a unique
// `dedupKey`, so a job that runs twice (a reminder scheduler after a restart, a retried
// request) enqueues it once. The sender claims a due mail with a compare-and-set
// (pending → sending) before talking to the server, so two nodes never send the same row;
// a mail left "sending" by a crash is retried after kStaleClaimMs with the same Message-ID
// (the only window in which a receiver may see it twice, and can tell by that id).
// After delivery the body and attachments are erased (minimal personal data); recipient,
// subject and times stay for the audit trail.
//
// Thread-safety: enqueue/cancel run on the store's writer (inside a Tx); MailSender owns one
// thread and is safe to start/stop from the main thread.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/mime.h"
#include "platform/database.h"

namespace sportello::mail {

using Attachment = mime::Attachment;

struct Mail {
  std::string enteId;     // the ente it belongs to
  std::string to;         // one address (validAddress)
  std::string subject;    // UTF-8, one line
  std::string text;       // text/plain body, UTF-8
  std::string dedupKey;   // unique; a second enqueue with the same key is ignored
  int64_t notBeforeMs = 0;  // not sent before this instant (reminders); 0 = as soon as possible
  std::vector<Attachment> attachments;
};

inline bool validAddress(std::string_view s) { return mime::validAddress(s); }

// Size limits checked by enqueue (kInvalid beyond them).
inline constexpr size_t kMaxSubjectBytes = 998;
inline constexpr size_t kMaxMailBytes = 2 << 20;
// Attempts before a mail is marked failed; the wait doubles from 30 s up to one hour.
inline constexpr int kMaxAttempts = 12;
// A claim older than this is considered abandoned by a crashed sender.
inline constexpr int64_t kStaleClaimMs = 10 * 60 * 1000;

std::vector<Migration> migrations();

// Inside the caller's write transaction. Returns false when a mail with the same dedupKey
// exists already (sent or not), or when its recipient already got the day's cap of mails
// (setPerRecipientPerDay; the mail is then skipped and logged, and the caller's use case
// goes on). kInvalid for a bad address, an empty key or subject, a subject with a line
// break, or a mail over kMaxMailBytes.
Result<bool> enqueue(Tx& tx, const Mail& m);

// Mails queued per recipient address (case-insensitive) in a sliding day, on every node
// (platform/ratelimit.h); 0 = no cap. Default 20. Set once, before serving.
void setPerRecipientPerDay(int64_t n);

// Drops a mail not yet sent (e.g. the reminder of a cancelled booking). Returns whether one
// was dropped. The key stays taken: a replacement (a rescheduled reminder) needs a new key,
// e.g. one that includes the new time.
Result<bool> cancel(Tx& tx, const std::string& dedupKey);

// Retention: deletes the rows of mail delivered, failed or cancelled before `beforeMs`
// (recipient and subject are personal data too). Pending mail is never deleted.
Result<int64_t> purge(Tx& tx, int64_t beforeMs);

// One row of the outbox, as the sender and operators see it.
struct OutboxEntry {
  std::string id, enteId, to, subject, state, lastError, dedupKey;
  int attempts = 0;
  int64_t createdAt = 0, notBefore = 0, sentAt = 0;
};
// An ente's most recent entries, newest first (the admin's outbox view).
Result<std::vector<OutboxEntry>> recent(sql::Connection& c, const std::string& enteId, int limit);

struct SenderOptions {
  std::string smtpUrl;  // empty: nothing is sent, mails wait
  std::string from;
  std::string user, password;
  int pollMs = 1000;
  int timeoutSeconds = 30;
};

// Sends due mails in the background on its own thread (network and disk waits never block
// the I/O threads).
class MailSender {
 public:
  MailSender(Database& db, const Clock& clock, SenderOptions opts);
  ~MailSender();  // stops
  void start();
  void stop();
  // Wakes the sender now (after a commit that enqueued a mail).
  void poke();
  // Sends what is due now, on the calling thread; returns how many were delivered. Tests
  // and the thread use it.
  int runOnce();

 private:
  void loop();
  Status deliver(const std::string& id, const std::string& to, const std::string& raw);

  Database& db_;
  const Clock& clock_;
  SenderOptions opts_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;   // GUARDED_BY(mu_)
  bool poked_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace sportello::mail
