#include "app/demo.h"

#include "booking/store.h"
#include "cases/store.h"
#include "core/token.h"
#include "directory/service.h"
#include "directory/store.h"
#include "knowledge/demo.h"
#include "queue/store.h"

namespace sportello::app {

using namespace directory;

namespace {

struct OfficeSpec {
  std::string slug, name, description, site;
  std::vector<std::string> channels;
  std::string email, phone;
  // weekday list, "HH:MM", "HH:MM", channel
  std::vector<std::tuple<std::vector<int>, std::string, std::string, std::optional<std::string>>>
      hours;
};

MinuteRange range(const std::string& a, const std::string& b) {
  return MinuteRange{parseHm(a).value(), parseHm(b).value()};
}

Status addOffice(Tx& tx, const Ente& ente, const std::map<std::string, std::string>& sites,
                 const OfficeSpec& s, int64_t sort, std::map<std::string, std::string>& ids,
                 const std::vector<DatedException>& exceptions = {}) {
  Office o;
  o.id = newId();
  o.enteId = ente.id;
  o.slug = s.slug;
  o.name = s.name;
  o.description = s.description;
  if (!s.site.empty()) o.siteId = sites.at(s.site);
  o.channels = s.channels;
  o.email = s.email;
  o.phone = s.phone;
  o.sort = sort;
  SP_TRY(store::insertOffice(tx.conn(), o, tx.nowMs()));
  OfficeSchedule sched;
  for (const auto& [days, from, to, channel] : s.hours) {
    for (int d : days) sched.rules.push_back(WeeklyRule{d, range(from, to), channel});
  }
  sched.exceptions = exceptions;
  SP_TRY(store::replaceSchedule(tx.conn(), o.id, sched));
  ids[s.slug] = o.id;
  return okStatus();
}

}  // namespace

Result<DemoResult> loadDemo(Database& db, staff::StaffService& staff) {
  DemoResult out;
  out.logins = {{"esempio", "admin", "admin-demo-2026", "admin"},
                {"esempio", "operatore", "operatore-demo-2026", "operator"},
                {"esempio", "supervisore", "supervisore-demo-2026", "supervisor"},
                {"esempio", "sindaco", "sindaco-demo-2026", "operator"},
                {"collina", "admin", "collina-demo-2026", "admin"}};
  auto exists = db.readSync<bool>([](sql::Connection& c) -> Result<bool> {
    SP_ASSIGN(auto rows, c.query("SELECT 1 FROM enti WHERE slug = 'esempio'"));
    return !rows.empty();
  });
  if (!exists.ok()) return exists.error();
  if (exists.value()) return out;

  using D = date::year_month_day;
  using namespace date::literals;
  auto r = db.writeSync<bool>([&](Tx& tx) -> Result<bool> {
    Ente e;
    e.id = newId();
    e.slug = "esempio";
    e.name = "Comune di Esempio";
    e.timezone = "Europe/Rome";
    e.primaryColor = "#0066cc";
    e.patronDay = "09-29";
    e.patronName = "San Michele Arcangelo";
    SP_TRY(DirectoryService::validateEnte(e));
    SP_TRY(store::insertEnte(tx.conn(), e, tx.nowMs()));

    std::map<std::string, std::string> sites;
    for (auto [key, name, address, kind] :
         std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
             {"municipio", "Palazzo municipale", "Piazza del Municipio 1", "town_hall"},
             {"totem", "Totem URP - Centro commerciale Le Torri",
              "Via dei Mercanti 20, piano terra", "kiosk"},
             {"tecnico", "Sede tecnica", "Via Roma 45", "other"}}) {
      Site s{newId(), e.id, name, address, kind};
      SP_TRY(store::insertSite(tx.conn(), s, tx.nowMs()));
      sites[key] = s.id;
    }

    const std::vector<int> weekdays = {1, 2, 3, 4, 5};
    std::map<std::string, std::string> offices;
    std::vector<OfficeSpec> specs = {
        {"urp",
         "URP - Ufficio Relazioni con il Pubblico",
         "Informazioni su servizi, uffici e procedure del Comune; reclami e "
         "segnalazioni. "
         "Anche in video dal totem del centro commerciale Le Torri e in chat "
         "il mercoledì "
         "pomeriggio.",
         "municipio",
         {"walk_in", "video", "chat", "phone", "email"},
         "urp@comune.esempio.it",
         "0123 456700",
         {{weekdays, "08:00", "19:00", std::nullopt},
          {{6}, "08:00", "14:00", std::nullopt},
          {{3}, "14:00", "17:00", std::string("chat")}}},
        {"anagrafe",
         "Anagrafe e Stato civile",
         "Carta d'identità, certificati, residenza, nascite, matrimoni e "
         "decessi.",
         "municipio",
         {"walk_in", "video", "phone"},
         "anagrafe@comune.esempio.it",
         "0123 456710",
         {{weekdays, "08:30", "12:30", std::nullopt}, {{4}, "14:30", "17:30", std::nullopt}}},
        {"tributi",
         "Tributi e Patrimonio",
         "IMU, TARI, canone unico, rimborsi e rateizzazioni.",
         "municipio",
         {"walk_in", "video", "phone", "email"},
         "tributi@comune.esempio.it",
         "0123 456720",
         {{{1, 3, 5}, "09:00", "12:00", std::nullopt}, {{2}, "15:00", "17:00", std::nullopt}}},
        {"edilizia",
         "Edilizia e Catasto",
         "Permessi di costruire, SCIA, CILA, accesso agli atti edilizi, "
         "catasto.",
         "tecnico",
         {"walk_in", "video", "email"},
         "edilizia@comune.esempio.it",
         "0123 456730",
         {{{2, 4}, "09:00", "12:00", std::nullopt}}},
        {"sociali",
         "Servizi sociali",
         "Sostegno a famiglie, anziani e persone con disabilità; ISEE e "
         "contributi.",
         "municipio",
         {"walk_in", "video", "phone"},
         "sociali@comune.esempio.it",
         "0123 456740",
         {{weekdays, "09:00", "12:00", std::nullopt}}},
        {"sindaco",
         "Sindaco",
         "Il Sindaco riceve i cittadini il martedì e il giovedì dalle 11 alle "
         "13, anche in "
         "video.",
         "municipio",
         {"walk_in", "video"},
         "sindaco@comune.esempio.it",
         "0123 456701",
         {{{2, 4}, "11:00", "13:00", std::nullopt}}},
    };
    int64_t sort = 0;
    for (const auto& s : specs) {
      std::vector<DatedException> exc;
      if (s.slug == "urp") {
        exc.push_back(DatedException{D{2026_y / 12 / 24},
                                     false,
                                     {range("08:00", "12:00")},
                                     std::nullopt,
                                     "Vigilia di Natale"});
        exc.push_back(
            DatedException{D{2026_y / 12 / 31}, true, {}, std::nullopt, "Chiusura di fine anno"});
      }
      SP_TRY(addOffice(tx, e, sites, s, sort += 10, offices, exc));
    }

    // The 11 front-office services of "Spazio In Comune" (seed 003).
    std::vector<std::tuple<std::string, std::string, std::string, int>> services = {
        {"A", "Anagrafe", "anagrafe", 15},
        {"B", "Edilizia e catasto", "edilizia", 20},
        {"C", "Ecologia", "urp", 10},
        {"D", "ISEE", "sociali", 30},
        {"E", "Mobilità e trasporti", "urp", 10},
        {"F", "Pagamenti POS", "tributi", 5},
        {"G", "Pubblica istruzione", "urp", 15},
        {"H", "Cultura, sport e tempo libero", "urp", 10},
        {"I", "Autentiche", "anagrafe", 10},
        {"J", "Richiesta e ritiro atti", "urp", 10},
        {"K", "Servizi sociali", "sociali", 20}};
    int64_t ssort = 0;
    std::map<std::string, std::string> serviceIds;  // prefix → id
    for (const auto& [prefix, name, office, minutes] : services) {
      Service s;
      s.id = newId();
      s.enteId = e.id;
      s.officeId = offices.at(office);
      s.name = name;
      s.prefix = prefix;
      s.durationMinutes = minutes;
      s.sort = ssort += 10;
      if (prefix == "A") {
        s.documents =
            "Documento di riconoscimento, codice fiscale, una "
            "fototessera recente.";
      }
      SP_TRY(store::insertService(tx.conn(), s, tx.nowMs()));
      serviceIds[prefix] = s.id;
    }

    // Five counters (postazioni) at the town hall share the 11 services, as in seed 003.
    for (const auto& [name, prefixes] :
         std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"Sportello 1", {"A", "I"}},
             {"Sportello 2", {"A", "I", "J"}},
             {"Sportello 3", {"C", "E", "G", "H", "J"}},
             {"Sportello 4", {"D", "K", "F"}},
             {"Sportello 5", {"B", "F", "E"}}}) {
      queue::Counter k;
      k.id = newId();
      k.enteId = e.id;
      k.siteId = sites.at("municipio");
      k.name = name;
      for (const auto& p : prefixes) k.serviceIds.push_back(serviceIds.at(p));
      SP_TRY(queue::store::insertCounter(tx.conn(), k, tx.nowMs()));
    }

    // Appointments (issue 6): the anagrafe's identity cards, the URP's documents office and the
    // mayor's reception hours (Tue and Thu 11–13), bookable online.
    {
      auto period = [](int wd, const char* a, const char* b) {
        return Json{{"weekday", wd}, {"start", a}, {"end", b}};
      };
      auto plan = [&](const std::string& office, std::optional<std::string> service, int slot,
                      int capacity, bool video, Json periods, Json breaks) -> Status {
        booking::StoredPlan p;
        p.id = newId();
        p.enteId = e.id;
        p.officeId = offices.at(office);
        p.serviceId = std::move(service);
        p.slotMinutes = slot;
        p.capacity = capacity;
        p.minNoticeMinutes = 120;
        p.maxDaysAhead = 60;
        p.video = video;
        p.spec = {{"periods", std::move(periods)},
                  {"breaks", std::move(breaks)},
                  {"exceptions", Json::array()}};
        p.updatedAt = tx.nowMs();
        return booking::store::upsertPlan(tx.conn(), p);
      };
      Json anagrafe = Json::array(), urp = Json::array(), urpBreaks = Json::array();
      for (int wd = 1; wd <= 5; ++wd) {
        anagrafe.push_back(period(wd, "08:30", "12:30"));
        urp.push_back(period(wd, "09:00", "13:00"));
        urpBreaks.push_back(period(wd, "11:00", "11:20"));
      }
      anagrafe.push_back(period(4, "14:30", "17:30"));
      SP_TRY(plan("anagrafe", serviceIds.at("A"), 20, 2, false, anagrafe, Json::array()));
      SP_TRY(plan("urp", serviceIds.at("J"), 20, 1, true, urp, urpBreaks));
      SP_TRY(plan("sindaco", std::nullopt, 20, 1, true,
                  Json::array({period(2, "11:00", "13:00"), period(4, "11:00", "13:00")}),
                  Json::array()));
    }
    // Knowledge base (issue 17): an article for each of the 11 services.
    SP_TRY(knowledge::loadDemoArticles(tx, e.slug, offices, serviceIds));
    // Cases: the escalation chain of seed 003 (Help Point → head of department → mayor).
    SP_TRY(cases::store::setEscalationChain(
        tx.conn(), e.id,
        {{"Help Point (URP)", offices.at("urp")},
         {"Responsabile di settore", offices.at("anagrafe")},
         {"Sindaco", offices.at("sindaco")}}));

    Ente c;
    c.id = newId();
    c.slug = "collina";
    c.name = "Comune di Collina";
    c.timezone = "Europe/Rome";
    c.primaryColor = "#7a1f3d";
    c.patronDay = "06-24";
    c.patronName = "San Giovanni Battista";
    SP_TRY(DirectoryService::validateEnte(c));
    // One millisecond later: the first ente created is the installation's default.
    SP_TRY(store::insertEnte(tx.conn(), c, tx.nowMs() + 1));
    std::map<std::string, std::string> csites;
    Site cs{newId(), c.id, "Municipio di Collina", "Piazza Garibaldi 3", "town_hall"};
    SP_TRY(store::insertSite(tx.conn(), cs, tx.nowMs()));
    csites["municipio"] = cs.id;
    std::map<std::string, std::string> coffices;
    SP_TRY(addOffice(tx, c, csites,
                     {"urp",
                      "Ufficio per il pubblico",
                      "Tutti i servizi del Comune di Collina.",
                      "municipio",
                      {"walk_in", "phone"},
                      "info@comune.collina.it",
                      "0123 999000",
                      {{weekdays, "09:00", "13:00", std::nullopt}}},
                     10, coffices));
    SP_TRY(tx.emit(directoryTopic("esempio"), "demo.loaded", Json::object()));
    SP_TRY(tx.emit(directoryTopic("collina"), "demo.loaded", Json::object()));
    return true;
  });
  if (!r.ok()) return r.error();

  std::vector<std::pair<staff::NewOperator, std::string>> ops;
  auto mk = [](std::string u, std::string name, std::string pw, staff::Role role,
               std::vector<std::string> offices) {
    staff::NewOperator n;
    n.username = std::move(u);
    n.displayName = std::move(name);
    n.password = std::move(pw);
    n.role = role;
    n.officeIds = std::move(offices);
    return n;
  };
  ops.push_back(
      {mk("admin", "Amministratore Demo", "admin-demo-2026", staff::Role::kAdmin, {"urp"}),
       "esempio"});
  ops.push_back({mk("operatore", "Giulia Rossi", "operatore-demo-2026", staff::Role::kOperator,
                    {"urp", "anagrafe"}),
                 "esempio"});
  ops.push_back(
      {mk("supervisore", "Marco Bianchi", "supervisore-demo-2026", staff::Role::kSupervisor,
          {"urp", "anagrafe", "tributi", "edilizia", "sociali"}),
       "esempio"});
  ops.push_back(
      {mk("sindaco", "Il Sindaco", "sindaco-demo-2026", staff::Role::kOperator, {"sindaco"}),
       "esempio"});
  ops.push_back(
      {mk("admin", "Amministratore Collina", "collina-demo-2026", staff::Role::kAdmin, {"urp"}),
       "collina"});
  for (auto& [n, ente] : ops) {
    auto op = staff.createOperatorSync(ente, n);
    if (!op.ok()) return op.error();
  }
  out.loaded = true;
  return out;
}

}  // namespace sportello::app
