// sportello: the server and its administration commands.
//   sportello serve | migrate | demo load | ente add | operator add | operator
//   passwd
// Configuration precedence: defaults < TOML file (--config) < SPORTELLO_* env <
// flags.
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "app/app.h"
#include "app/demo.h"
#include "core/token.h"
#include "directory/service.h"
#include "directory/store.h"

using namespace sportello;

namespace {

// %j: the message as a JSON string (quotes, backslashes and control characters escaped), so a
// user-supplied value in a log line cannot break or forge JSON-lines records.
class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view v(msg.payload.data(), msg.payload.size());
    std::string out = Json(std::string(v)).dump(-1, ' ', false, Json::error_handler_t::replace);
    dest.append(out.data(), out.data() + out.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

void setupLogging(const Config& cfg) {
  auto logger = spdlog::stderr_color_mt("sportello");
  spdlog::set_default_logger(logger);
  if (cfg.logJson) {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonMessageFlag>('j').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","pid":%P,"msg":%j})");
    spdlog::set_formatter(std::move(f));
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  spdlog::set_level(spdlog::level::from_str(cfg.logLevel));
}

std::string readPassword(const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("SPORTELLO_PASSWORD")) return env;
  if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
  std::string pw;
  std::getline(std::cin, pw);
  return pw;
}

struct Services {
  std::unique_ptr<Clock> clock;
  std::unique_ptr<Database> db;
  boost::asio::thread_pool cpu{1};
  std::unique_ptr<staff::StaffService> staff;
};

Result<std::unique_ptr<Services>> openServices(const Config& cfg) {
  auto s = std::make_unique<Services>();
  s->clock = app::makeClock(cfg);
  SP_ASSIGN(s->db, app::openDatabase(cfg, *s->clock));
  s->staff = std::make_unique<staff::StaffService>(*s->db, *s->clock, s->cpu, false);
  return s;
}

int fail(const Error& e) {
  std::cerr << "error: " << e.message << std::endl;
  return e.code == Errc::kInvalid ? 2 : 1;
}

void printLogins(const std::vector<app::DemoLogin>& logins, const Config& cfg) {
  std::cout << "\nDemo logins (change them before real use):\n";
  for (const auto& l : logins) {
    std::cout << "  " << l.ente << "  " << l.username << " / " << l.password << "  (" << l.role
              << ")\n";
  }
  std::cout << "Public page:   http://" << cfg.host << ":" << cfg.port << "/esempio/\n"
            << "Operator login: http://" << cfg.host << ":" << cfg.port << "/esempio/login\n"
            << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  initCrypto();
  CLI::App cli{"Sportello: a virtual front office for Italian municipalities"};
  cli.require_subcommand(1);
  std::string configFile;
  ConfigMap flags;
  auto addConfigFlags = [&](CLI::App* sub) {
    sub->add_option("--config", configFile, "TOML configuration file");
    auto flag = [&](const char* name, const char* key, const char* desc) {
      sub->add_option_function<std::string>(
          name, [&flags, key](const std::string& v) { flags[key] = v; }, desc);
    };
    flag("--data", "data_dir", "data directory (default ./data)");
    flag("--database", "database", "database URL (sqlite:… or postgresql://…)");
    flag("--log-level", "log_level", "trace|debug|info|warn|error");
    flag("--log-json", "log_json", "true for JSON-lines logs");
    flag("--now", "now", "start the clock at this ISO 8601 instant (tests, demos)");
  };

  auto* serve = cli.add_subcommand("serve", "run the HTTP/WebSocket server");
  addConfigFlags(serve);
  for (auto [name, key, desc] : std::vector<std::tuple<const char*, const char*, const char*>>{
           {"--host", "host", "listen address (default 127.0.0.1)"},
           {"--port", "port", "listen port (default 8080, 0 = ephemeral)"},
           {"--web", "web_dir", "built web assets directory"},
           {"--threads", "threads", "I/O threads (default: one per core)"},
           {"--public-origin", "public_origin", "public origin, e.g. https://sportello.example.it"},
           {"--default-ente", "default_ente", "ente served at /api/v1/offices"},
           {"--trusted-proxies", "trusted_proxies",
            "proxy addresses whose X-Forwarded-For is believed"},
           {"--ws-reauth-seconds", "ws_reauth_seconds",
            "live subscriptions are authorised again this often (default 300)"},
           {"--metrics-token", "metrics_token", "bearer token for /metrics"},
           {"--remote-grace-seconds", "remote_grace_seconds",
            "a citizen's page disconnected this long is skipped (default 60)"},
           {"--remote-keep-place-seconds", "remote_keep_place_seconds",
            "a disconnected citizen keeps their place this long (default 600)"},
           {"--remote-idle-ask-seconds", "remote_idle_ask_seconds",
            "ask \"ci sei ancora?\" after this long with no sign (default 900, 0 = never)"},
           {"--remote-answer-seconds", "remote_answer_seconds",
            "an unanswered question sets the entry aside after this long (default 180)"},
           {"--operator-grace-seconds", "operator_grace_seconds",
            "an operator whose console is gone this long is away (default 90)"},
           {"--clock-control", "clock_control",
            "tests only: a still clock moved by POST /api/v1/test/clock"},
           {"--turn-urls", "turn_urls", "comma-separated TURN/STUN URLs for video calls"},
           {"--turn-secret", "turn_secret", "coturn static-auth-secret"},
           {"--turn-ttl-seconds", "turn_ttl_seconds", "TURN credential lifetime (default 600)"},
           {"--ice-transport-policy", "ice_transport_policy", "all (default) or relay"},
           {"--knocks-per-address-per-hour", "knocks_per_address_per_hour",
            "knocks per client address per hour (default 30, 0 = no limit)"},
           {"--smtp-url", "smtp_url", "SMTP server for outgoing mail (smtp:// or smtps://)"},
           {"--smtp-from", "smtp_from", "sender of outgoing mail"},
           {"--booking-reminder-hours", "booking_reminder_hours",
            "appointments: reminder email this many hours before (default 24, 0 = none)"},
           {"--bookings-per-address-per-hour", "bookings_per_address_per_hour",
            "appointments: bookings per client address per hour (default 20, 0 = no limit)"}}) {
    serve->add_option_function<std::string>(
        name, [&flags, key = key](const std::string& v) { flags[key] = v; }, desc);
  }
  // Every limit is also a flag: --chat-messages-per-visit-per-hour for chat_messages_…
  for (const auto& l : limitKeys()) {
    std::string name = std::string("--") + l.key;
    std::replace(name.begin(), name.end(), '_', '-');
    serve->add_option_function<std::string>(
        name, [&flags, key = l.key](const std::string& v) { flags[key] = v; }, l.help);
  }
  bool withDemo = false;
  serve->add_flag("--demo", withDemo, "load the demo Comuni first if missing, print the logins");

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  addConfigFlags(migrate);

  auto* demo = cli.add_subcommand("demo", "demo data");
  demo->require_subcommand(1);
  auto* demoLoad = demo->add_subcommand("load", "load the demo Comuni (idempotent)");
  addConfigFlags(demoLoad);

  auto* ente = cli.add_subcommand("ente", "manage enti (Comuni)");
  ente->require_subcommand(1);
  auto* enteAdd = ente->add_subcommand("add", "add an ente");
  addConfigFlags(enteAdd);
  std::string enteSlug, enteName, enteTz = "Europe/Rome", enteColor = "#0066cc";
  enteAdd->add_option("--slug", enteSlug, "URL slug, e.g. maruggio")->required();
  enteAdd->add_option("--name", enteName, "name, e.g. \"Comune di Maruggio\"")->required();
  enteAdd->add_option("--timezone", enteTz, "IANA time zone (default Europe/Rome)");
  enteAdd->add_option("--color", enteColor, "primary colour #rrggbb");

  auto* op = cli.add_subcommand("operator", "manage operators");
  op->require_subcommand(1);
  auto* opAdd = op->add_subcommand("add",
                                   "add an operator (password from --password, "
                                   "$SPORTELLO_PASSWORD or standard input)");
  addConfigFlags(opAdd);
  std::string opEnte, opUser, opName, opRole = "operator", opEmail, opPassword;
  std::vector<std::string> opOffices;
  opAdd->add_option("--ente", opEnte, "ente slug")->required();
  opAdd->add_option("--username", opUser, "login name")->required();
  opAdd->add_option("--name", opName, "display name")->required();
  opAdd->add_option("--role", opRole, "operator|supervisor|admin (default operator)");
  opAdd->add_option("--email", opEmail, "email");
  opAdd->add_option("--office", opOffices, "office slug (repeatable)");
  opAdd->add_option("--password", opPassword, "password (≥ 10 characters)");
  auto* opPasswd = op->add_subcommand("passwd", "set an operator's password (ends their sessions)");
  addConfigFlags(opPasswd);
  opPasswd->add_option("--ente", opEnte, "ente slug")->required();
  opPasswd->add_option("--username", opUser, "login name")->required();
  opPasswd->add_option("--password", opPassword, "new password (≥ 10 characters)");

  CLI11_PARSE(cli, argc, argv);

  ConfigMap file;
  if (configFile.empty()) {
    if (const char* c = std::getenv("SPORTELLO_CONFIG")) configFile = c;
  }
  if (!configFile.empty()) {
    auto f = readTomlConfig(configFile);
    if (!f.ok()) return fail(f.error());
    file = f.value();
  }
  auto cfg = loadConfig(file, readEnvConfig(currentEnvironment()), flags);
  if (!cfg.ok()) return fail(cfg.error());
  setupLogging(*cfg);

  if (*serve) {
    if (withDemo) {
      auto s = openServices(*cfg);
      if (!s.ok()) return fail(s.error());
      auto d = app::loadDemo(*s.value()->db, *s.value()->staff);
      if (!d.ok()) return fail(d.error());
      printLogins(d->logins, *cfg);
    }
    app::App a(*cfg);
    if (auto st = a.init(); !st.ok()) return fail(st.error());
    return a.serve();
  }

  auto services = openServices(*cfg);
  if (!services.ok()) return fail(services.error());
  auto& s = *services.value();

  if (*migrate) {
    std::cout << "database is up to date: " << cfg->databaseUrl() << std::endl;
    return 0;
  }
  if (*demoLoad) {
    auto d = app::loadDemo(*s.db, *s.staff);
    if (!d.ok()) return fail(d.error());
    std::cout << (d->loaded ? "demo loaded" : "demo already present") << std::endl;
    printLogins(d->logins, *cfg);
    return 0;
  }
  if (*enteAdd) {
    directory::Ente e;
    e.id = newId();
    e.slug = enteSlug;
    e.name = enteName;
    e.timezone = enteTz;
    e.primaryColor = enteColor;
    if (auto st = directory::DirectoryService::validateEnte(e); !st.ok()) return fail(st.error());
    auto r = s.db->writeSync<bool>([&](Tx& tx) -> Result<bool> {
      auto st = directory::store::insertEnte(tx.conn(), e, tx.nowMs());
      if (!st.ok() && st.error().code == Errc::kConflict) {
        return makeError(Errc::kConflict, "an ente with slug " + e.slug + " exists already");
      }
      SP_TRY(st);
      return true;
    });
    if (!r.ok()) return fail(r.error());
    std::cout << "ente " << e.slug << " added" << std::endl;
    return 0;
  }
  if (*opAdd) {
    auto role = staff::parseRole(opRole);
    if (!role) return fail(makeError(Errc::kInvalid, "role must be operator, supervisor or admin"));
    staff::NewOperator n;
    n.username = opUser;
    n.displayName = opName;
    n.email = opEmail;
    n.role = *role;
    n.officeIds = opOffices;
    n.password = readPassword(opPassword);
    auto r = s.staff->createOperatorSync(opEnte, n);
    if (!r.ok()) return fail(r.error());
    std::cout << "operator " << opUser << " added to " << opEnte << std::endl;
    return 0;
  }
  if (*opPasswd) {
    auto st = s.staff->setPasswordSync(opEnte, opUser, readPassword(opPassword));
    if (!st.ok()) return fail(st.error());
    std::cout << "password changed; the operator's sessions were ended" << std::endl;
    return 0;
  }
  return 0;
}
