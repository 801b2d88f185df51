// Server configuration. Sources, lowest to highest precedence:
//   built-in defaults < TOML file < environment (SPORTELLO_*) < command-line
//   flags.
// Every source is first read into a flat key → text map (keys like "port",
// "log_level"), the maps are merged by precedence, then parsed and checked once
// (loadConfig).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace sportello {

// Limits on anonymous writes, mail and logins, counted in the database so they hold across
// nodes (platform/ratelimit.h; docs/SECURITY.md, "Limits"). 0 = no limit.
struct Limits {
  // "Lascia un messaggio" (offline messages; each opens a case and mails the contact).
  int64_t callbackRequestsPerAddressPerHour = 5;
  int64_t callbackRequestsPerContactPerDay = 3;
  // Chat: messages a citizen sends.
  int64_t chatMessagesPerVisitPerHour = 120;
  int64_t chatMessagesPerAddressPerHour = 300;
  // A case's tracking page: "add information" and attachments.
  int64_t caseInfoPerCasePerDay = 20;
  int64_t caseInfoPerAddressPerHour = 30;
  int64_t caseAttachmentsPerCase = 10;
  int64_t caseAttachmentBytesPerCase = 10 << 20;
  int64_t caseAttachmentsPerAddressPerHour = 20;
  // Outgoing mail per recipient address (mails over it are not queued).
  int64_t mailsPerRecipientPerDay = 20;
  // Login: progressive delay per (account, address) after the free failures, doubling from
  // 1 s up to the cap; and ceilings of failures per account (from anywhere) and per address.
  int64_t loginFreeFailures = 3;
  int64_t loginMaxDelaySeconds = 900;
  int64_t loginFailuresPerAccountPerHour = 100;
  int64_t loginFailuresPerAddressPerHour = 300;
  // Queue: phone tickets per client address.
  int64_t phoneTicketsPerAddressPerHour = 6;
  // Knowledge base: "Ti è stato utile?" answers per client address.
  int64_t kbFeedbackPerAddressPerHour = 30;
};

// The limit keys: config key, description, range and field (table-driven parsing).
struct LimitKey {
  const char* key;
  const char* help;
  int64_t min, max;
  int64_t Limits::*field;
};
const std::vector<LimitKey>& limitKeys();

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = ephemeral (tests)
  std::string dataDir = "./data";
  std::string database;  // empty → sqlite:<dataDir>/sportello.db
  std::string webDir;    // built web assets; empty → auto-detect
  int threads = 0;       // I/O threads; 0 → one per core
  int dbReaders = 2;     // read connections (worker threads)
  std::string logLevel = "info";
  bool logJson = false;
  std::string publicOrigin;        // e.g. https://sportello.comune.example.it
  std::vector<std::string> trustedProxies;  // peers whose X-Forwarded-For is believed
  std::string defaultEnte;         // slug served at /api/v1/offices; empty → first ente
  std::optional<std::string> now;  // injected start time (ISO 8601), tests and demos
  size_t maxBodyBytes = 1 << 20;
  size_t maxHeaderBytes = 8 << 10;
  size_t maxWsMessageBytes = 64 << 10;
  int readTimeoutSeconds = 30;
  int shutdownGraceSeconds = 10;
  bool sqliteSynchronousFull = true;
  int eventRetention = 1000;  // events kept per topic for reconnecting clients
  int wsReauthSeconds = 300;  // live subscriptions authorised again this often (≤ session life)
  // Nothing waits forever (docs/OPERATIONS.md, "Liveness"): a citizen's remote entry whose page
  // has been disconnected this long is shown as disconnected and skipped by admit-next, keeps
  // its place until remoteKeepPlaceSeconds, then leaves the line; a call whose party is gone
  // that long ends. An operator whose live console has been gone operatorGraceSeconds is away.
  int remoteGraceSeconds = 60;
  int remoteKeepPlaceSeconds = 600;
  int operatorGraceSeconds = 90;
  // "Ci sei ancora?": a waiting citizen with no sign of being there (the knock, an answer, a
  // answer) for remoteIdleAskSeconds is asked (0: never); no answer in remoteAnswerSeconds
  // counts as a page gone since the question.
  int remoteIdleAskSeconds = 900;
  int remoteAnswerSeconds = 180;
  // Tests only: the clock stands still at `now` and moves by POST /api/v1/test/clock
  // (loopback), which also runs the day closing and the liveness sweep at the new time.
  bool clockControl = false;
  // /metrics: with a token, only requests with "Authorization: Bearer <token>"; without one,
  // only direct (not proxied) requests from a loopback address.
  std::string metricsToken;
  // WebRTC: TURN servers (TURN REST API credentials minted with turnSecret) for audio/video.
  std::vector<std::string> turnUrls;  // e.g. turn:turn.example.it:3478?transport=udp
  std::string turnSecret;
  int turnTtlSeconds = 600;
  std::string iceTransportPolicy = "all";  // all | relay
  int knocksPerAddressPerHour = 30;  // virtual reception: knocks per client address (0 = no limit)
  int personalDataRetentionDays = 30;  // names, topics and transcripts of ended visits
  // Email (the outbox is sent through this SMTP server; empty → mails wait in the outbox).
  std::string smtpUrl;   // smtp://host:25, smtp://host:587 (STARTTLS if offered), smtps://host:465
  std::string smtpFrom = "Sportello <noreply@localhost>";
  std::string smtpUser;
  std::string smtpPassword;
  int bookingReminderHours = 24;       // appointments: reminder email this long before (0 = none)
  int bookingsPerAddressPerHour = 20;  // appointments: bookings per client address (0 = no limit)
  Limits limits;

  std::string databaseUrl() const;
  bool secureCookies() const { return publicOrigin.rfind("https://", 0) == 0; }
};

using ConfigMap = std::map<std::string, std::string>;

// Known keys (for checking the file and the environment).
const std::map<std::string, std::string>& configKeys();  // key → description

// Reads a TOML file into a map (nested tables are not used; all keys are
// top-level).
Result<ConfigMap> readTomlConfig(const std::string& path);
// Picks SPORTELLO_<KEY> variables (upper-case key) out of an environment.
ConfigMap readEnvConfig(const std::map<std::string, std::string>& env);
ConfigMap currentEnvironment();

// Merges (later maps win) and parses. Unknown keys and bad values → kInvalid
// naming the key.
Result<Config> loadConfig(const ConfigMap& file, const ConfigMap& env, const ConfigMap& flags);

}  // namespace sportello
