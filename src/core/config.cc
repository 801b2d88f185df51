#include "core/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>

extern char** environ;

namespace sportello {

const std::vector<LimitKey>& limitKeys() {
  static const std::vector<LimitKey> keys = {
      {"callback_requests_per_address_per_hour",
       "offline messages (\"Lascia un messaggio\") per client address per hour (default 5)", 0,
       1'000'000, &Limits::callbackRequestsPerAddressPerHour},
      {"callback_requests_per_contact_per_day",
       "offline messages per contact (email or phone) left per day (default 3)", 0, 1'000'000,
       &Limits::callbackRequestsPerContactPerDay},
      {"chat_messages_per_visit_per_hour",
       "chat messages a citizen sends per visit per hour (default 120)", 0, 1'000'000,
       &Limits::chatMessagesPerVisitPerHour},
      {"chat_messages_per_address_per_hour",
       "chat messages citizens send per client address per hour (default 300)", 0, 1'000'000,
       &Limits::chatMessagesPerAddressPerHour},
      {"case_info_per_case_per_day", "information a citizen adds to one case per day (default 20)",
       0, 1'000'000, &Limits::caseInfoPerCasePerDay},
      {"case_info_per_address_per_hour",
       "information added to cases per client address per hour (default 30)", 0, 1'000'000,
       &Limits::caseInfoPerAddressPerHour},
      {"case_attachments_per_case", "attachments a citizen adds to one case (default 10)", 0,
       1'000'000, &Limits::caseAttachmentsPerCase},
      {"case_attachment_bytes_per_case",
       "total bytes of a citizen's attachments to one case (default 10485760)", 0, 1LL << 40,
       &Limits::caseAttachmentBytesPerCase},
      {"case_attachments_per_address_per_hour",
       "attachments added to cases per client address per hour (default 20)", 0, 1'000'000,
       &Limits::caseAttachmentsPerAddressPerHour},
      {"mails_per_recipient_per_day",
       "mails queued per recipient address per day; more are skipped and logged (default 20)", 0,
       1'000'000, &Limits::mailsPerRecipientPerDay},
      {"login_free_failures",
       "wrong passwords per account and address before delays start (default 3)", 1, 1000,
       &Limits::loginFreeFailures},
      {"login_max_delay_seconds", "cap of the login delay, which doubles from 1 s (default 900)", 1,
       86'400, &Limits::loginMaxDelaySeconds},
      {"login_failures_per_account_per_hour",
       "wrong passwords per account from all addresses per hour (default 100)", 0, 1'000'000,
       &Limits::loginFailuresPerAccountPerHour},
      {"login_failures_per_address_per_hour",
       "wrong passwords per client address for all accounts per hour (default 300)", 0, 1'000'000,
       &Limits::loginFailuresPerAddressPerHour},
      {"phone_tickets_per_address_per_hour",
       "queue tickets taken by phone per client address per hour (default 6)", 0, 1'000'000,
       &Limits::phoneTicketsPerAddressPerHour},
      {"kb_feedback_per_address_per_hour",
       "knowledge base: \"Ti è stato utile?\" answers per client address per hour (default 30)", 0,
       1'000'000, &Limits::kbFeedbackPerAddressPerHour},
  };
  return keys;
}

static const std::map<std::string, std::string>& baseConfigKeys() {
  static const std::map<std::string, std::string> keys = {
      {"host", "address to listen on (default 127.0.0.1)"},
      {"port", "TCP port (default 8080; 0 = ephemeral)"},
      {"data_dir", "data directory (default ./data)"},
      {"database", "database URL: sqlite:/path/file.db or postgresql://…"},
      {"web_dir", "directory of the built web assets"},
      {"threads", "I/O threads (0 = one per core)"},
      {"db_readers", "database read workers (default 2)"},
      {"log_level", "trace|debug|info|warn|error (default info)"},
      {"log_json", "true for JSON-lines logs"},
      {"public_origin", "public URL origin, e.g. https://sportello.example.it"},
      {"trusted_proxies", "comma-separated proxy addresses whose X-Forwarded-For is believed"},
      {"default_ente", "slug of the ente served at /api/v1/offices"},
      {"now", "start the clock at this ISO 8601 instant (tests, demos)"},
      {"max_body_bytes", "largest request body (default 1048576)"},
      {"max_header_bytes", "largest request header (default 8192)"},
      {"max_ws_message_bytes", "largest WebSocket message (default 65536)"},
      {"read_timeout_seconds", "timeout for slow clients (default 30)"},
      {"shutdown_grace_seconds", "time given to in-flight requests on SIGTERM (default 10)"},
      {"sqlite_synchronous", "FULL (default, durable) or NORMAL"},
      {"event_retention", "events kept per topic for reconnecting clients (default 1000)"},
      {"ws_reauth_seconds",
       "live WebSocket subscriptions are authorised again this often (default 300, at most the 12 "
       "h session lifetime)"},
      {"remote_grace_seconds",
       "a citizen's page disconnected this long is shown as disconnected and skipped (default 60)"},
      {"remote_keep_place_seconds",
       "a disconnected citizen keeps their place this long, then leaves the line (default 600)"},
      {"remote_idle_ask_seconds",
       "a waiting citizen with no sign of being there this long is asked \"ci sei ancora?\" "
       "(default 900, 0 = never)"},
      {"remote_answer_seconds",
       "an unanswered \"ci sei ancora?\" sets the entry aside after this long (default 180)"},
      {"operator_grace_seconds",
       "an operator whose console has been disconnected this long becomes away (default 90)"},
      {"clock_control",
       "tests only: the clock stands still at `now` and moves by POST /api/v1/test/clock"},
      {"metrics_token",
       "bearer token for /metrics (empty: /metrics answers only direct requests from loopback)"},
      {"turn_urls", "comma-separated TURN/STUN URLs given to the parties of a video call"},
      {"turn_secret", "coturn static-auth-secret (TURN REST API credentials)"},
      {"turn_ttl_seconds", "lifetime of minted TURN credentials (default 600)"},
      {"ice_transport_policy", "all (default) or relay (force media through TURN)"},
      {"knocks_per_address_per_hour",
       "knocks accepted per client address per hour (default 30, 0 = no limit)"},
      {"booking_reminder_hours",
       "appointments: reminder email this many hours before (default 24, 0 = none)"},
      {"bookings_per_address_per_hour",
       "appointments: bookings accepted per client address per hour (default 20, 0 = no limit)"},
      {"personal_data_retention_days",
       "days after which ended visits lose names, topics and transcripts (default 30)"},
      {"smtp_url",
       "SMTP server for outgoing mail: smtp://host:port or smtps://host:port (empty: mail waits in "
       "the outbox)"},
      {"smtp_from", "sender of outgoing mail (default \"Sportello <noreply@localhost>\")"},
      {"smtp_user", "SMTP user name (optional)"},
      {"smtp_password", "SMTP password (optional)"},
  };
  return keys;
}

// The keys above and the limits.
const std::map<std::string, std::string>& configKeys() {
  static const std::map<std::string, std::string> keys = [] {
    auto m = baseConfigKeys();
    for (const auto& l : limitKeys()) m.emplace(l.key, l.help);
    return m;
  }();
  return keys;
}

Result<ConfigMap> readTomlConfig(const std::string& path) {
  toml::table parsed;
  try {  // toml++ is built with exceptions here; start-up only
    parsed = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return makeError(Errc::kInvalid, "config file " + path + ": " + std::string(e.description()));
  }
  ConfigMap out;
  for (auto&& [k, v] : parsed) {
    std::string key(k.str());
    if (v.is_string()) {
      out[key] = v.as_string()->get();
    } else if (v.is_array()) {
      // Lists (trusted_proxies, turn_urls) are read as their comma-separated form.
      std::string joined;
      for (auto&& item : *v.as_array()) {
        if (!item.is_string()) {
          return makeError(Errc::kInvalid, "config " + key + ": a list of strings", key);
        }
        joined += (joined.empty() ? "" : ",") + item.as_string()->get();
      }
      out[key] = joined;
    } else if (v.is_integer()) {
      out[key] = std::to_string(v.as_integer()->get());
    } else if (v.is_boolean()) {
      out[key] = v.as_boolean()->get() ? "true" : "false";
    } else {
      return makeError(Errc::kInvalid, "config file " + path + ": unsupported value for " + key,
                       key);
    }
  }
  return out;
}

ConfigMap readEnvConfig(const std::map<std::string, std::string>& env) {
  ConfigMap out;
  for (const auto& [key, _] : configKeys()) {
    std::string name = "SPORTELLO_";
    for (char c : key)
      name.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    if (auto it = env.find(name); it != env.end()) out[key] = it->second;
  }
  return out;
}

ConfigMap currentEnvironment() {
  ConfigMap env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

namespace {

Status parseInt(const std::string& key, const std::string& v, int64_t min, int64_t max,
                int64_t& out) {
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < min || x > max) {
    return makeError(Errc::kInvalid,
                     "config " + key + ": expected an integer in " + std::to_string(min) + ".." +
                         std::to_string(max) + ", got '" + v + "'",
                     key);
  }
  out = x;
  return okStatus();
}

// "a, b,c" → {"a","b","c"} (blank items dropped).
std::vector<std::string> splitList(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string item =
        v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Status parseBool(const std::string& key, const std::string& v, bool& out) {
  if (v == "true" || v == "1" || v == "yes") {
    out = true;
  } else if (v == "false" || v == "0" || v == "no") {
    out = false;
  } else {
    return makeError(Errc::kInvalid, "config " + key + ": expected true or false", key);
  }
  return okStatus();
}

}  // namespace

std::string Config::databaseUrl() const {
  if (!database.empty()) return database;
  return "sqlite:" + dataDir + "/sportello.db";
}

Result<Config> loadConfig(const ConfigMap& file, const ConfigMap& env, const ConfigMap& flags) {
  ConfigMap m;
  for (const ConfigMap* src : {&file, &env, &flags}) {
    for (const auto& [k, v] : *src) {
      if (!configKeys().count(k)) return makeError(Errc::kInvalid, "unknown config key: " + k, k);
      m[k] = v;
    }
  }
  Config c;
  int64_t n = 0;
  for (const auto& [k, v] : m) {
    auto limit = std::find_if(limitKeys().begin(), limitKeys().end(),
                              [&k](const LimitKey& l) { return k == l.key; });
    if (limit != limitKeys().end()) {
      SP_TRY(parseInt(k, v, limit->min, limit->max, n));
      c.limits.*(limit->field) = n;
    } else if (k == "host") {
      c.host = v;
    } else if (k == "port") {
      SP_TRY(parseInt(k, v, 0, 65535, n));
      c.port = static_cast<int>(n);
    } else if (k == "data_dir") {
      c.dataDir = v;
    } else if (k == "database") {
      c.database = v;
    } else if (k == "web_dir") {
      c.webDir = v;
    } else if (k == "threads") {
      SP_TRY(parseInt(k, v, 0, 256, n));
      c.threads = static_cast<int>(n);
    } else if (k == "db_readers") {
      SP_TRY(parseInt(k, v, 1, 64, n));
      c.dbReaders = static_cast<int>(n);
    } else if (k == "log_level") {
      if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error") {
        return makeError(Errc::kInvalid, "config log_level: trace|debug|info|warn|error", k);
      }
      c.logLevel = v;
    } else if (k == "log_json") {
      SP_TRY(parseBool(k, v, c.logJson));
    } else if (k == "public_origin") {
      c.publicOrigin = v;
    } else if (k == "trusted_proxies") {
      c.trustedProxies = splitList(v);
    } else if (k == "turn_urls") {
      c.turnUrls = splitList(v);
      for (const auto& u : c.turnUrls) {
        if (u.rfind("turn:", 0) != 0 && u.rfind("turns:", 0) != 0 && u.rfind("stun:", 0) != 0) {
          return makeError(Errc::kInvalid, "config turn_urls: " + u + " is not a turn:/turns:/stun: URL", k);
        }
      }
    } else if (k == "turn_secret") {
      c.turnSecret = v;
    } else if (k == "turn_ttl_seconds") {
      SP_TRY(parseInt(k, v, 60, 86400, n));
      c.turnTtlSeconds = static_cast<int>(n);
    } else if (k == "ice_transport_policy") {
      if (v != "all" && v != "relay") {
        return makeError(Errc::kInvalid, "config ice_transport_policy: all or relay", k);
      }
      c.iceTransportPolicy = v;
    } else if (k == "knocks_per_address_per_hour") {
      SP_TRY(parseInt(k, v, 0, 1'000'000, n));
      c.knocksPerAddressPerHour = static_cast<int>(n);
    } else if (k == "bookings_per_address_per_hour") {
      SP_TRY(parseInt(k, v, 0, 1'000'000, n));
      c.bookingsPerAddressPerHour = static_cast<int>(n);
    } else if (k == "booking_reminder_hours") {
      SP_TRY(parseInt(k, v, 0, 24 * 14, n));
      c.bookingReminderHours = static_cast<int>(n);
    } else if (k == "personal_data_retention_days") {
      SP_TRY(parseInt(k, v, 1, 3650, n));
      c.personalDataRetentionDays = static_cast<int>(n);
    } else if (k == "smtp_url") {
      if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0) {
        return makeError(Errc::kInvalid, "config smtp_url: smtp://host:port or smtps://host:port", k);
      }
      c.smtpUrl = v;
    } else if (k == "smtp_from") {
      if (v.empty() || v.find_first_of("\r\n") != std::string::npos) {
        return makeError(Errc::kInvalid, "config smtp_from: one line, e.g. Comune <urp@comune.it>", k);
      }
      c.smtpFrom = v;
    } else if (k == "smtp_user") {
      c.smtpUser = v;
    } else if (k == "smtp_password") {
      c.smtpPassword = v;
    } else if (k == "default_ente") {
      c.defaultEnte = v;
    } else if (k == "now") {
      c.now = v;
    } else if (k == "max_body_bytes") {
      SP_TRY(parseInt(k, v, 1024, 1 << 30, n));
      c.maxBodyBytes = static_cast<size_t>(n);
    } else if (k == "max_header_bytes") {
      SP_TRY(parseInt(k, v, 1024, 1 << 20, n));
      c.maxHeaderBytes = static_cast<size_t>(n);
    } else if (k == "max_ws_message_bytes") {
      SP_TRY(parseInt(k, v, 1024, 16 << 20, n));
      c.maxWsMessageBytes = static_cast<size_t>(n);
    } else if (k == "read_timeout_seconds") {
      SP_TRY(parseInt(k, v, 1, 3600, n));
      c.readTimeoutSeconds = static_cast<int>(n);
    } else if (k == "shutdown_grace_seconds") {
      SP_TRY(parseInt(k, v, 0, 600, n));
      c.shutdownGraceSeconds = static_cast<int>(n);
    } else if (k == "sqlite_synchronous") {
      if (v == "FULL" || v == "full") {
        c.sqliteSynchronousFull = true;
      } else if (v == "NORMAL" || v == "normal") {
        c.sqliteSynchronousFull = false;
      } else {
        return makeError(Errc::kInvalid, "config sqlite_synchronous: FULL or NORMAL", k);
      }
    } else if (k == "event_retention") {
      SP_TRY(parseInt(k, v, 10, 10'000'000, n));
      c.eventRetention = static_cast<int>(n);
    } else if (k == "ws_reauth_seconds") {
      SP_TRY(parseInt(k, v, 1, 12 * 3600, n));
      c.wsReauthSeconds = static_cast<int>(n);
    } else if (k == "remote_grace_seconds") {
      SP_TRY(parseInt(k, v, 5, 3600, n));
      c.remoteGraceSeconds = static_cast<int>(n);
    } else if (k == "remote_keep_place_seconds") {
      SP_TRY(parseInt(k, v, 10, 24 * 3600, n));
      c.remoteKeepPlaceSeconds = static_cast<int>(n);
    } else if (k == "remote_idle_ask_seconds") {
      SP_TRY(parseInt(k, v, 0, 24 * 3600, n));
      if (n != 0 && n < 60) {
        return makeError(Errc::kInvalid, "config remote_idle_ask_seconds: 0 or at least 60", k);
      }
      c.remoteIdleAskSeconds = static_cast<int>(n);
    } else if (k == "remote_answer_seconds") {
      SP_TRY(parseInt(k, v, 30, 3600, n));
      c.remoteAnswerSeconds = static_cast<int>(n);
    } else if (k == "operator_grace_seconds") {
      SP_TRY(parseInt(k, v, 5, 24 * 3600, n));
      c.operatorGraceSeconds = static_cast<int>(n);
    } else if (k == "clock_control") {
      SP_TRY(parseBool(k, v, c.clockControl));
    } else if (k == "metrics_token") {
      if (!v.empty() && v.size() < 16) {
        return makeError(Errc::kInvalid, "config metrics_token: at least 16 characters", k);
      }
      c.metricsToken = v;
    }
  }
  if (c.remoteKeepPlaceSeconds < c.remoteGraceSeconds) {
    return makeError(Errc::kInvalid,
                     "config remote_keep_place_seconds: at least remote_grace_seconds",
                     "remote_keep_place_seconds");
  }
  return c;
}

}  // namespace sportello
