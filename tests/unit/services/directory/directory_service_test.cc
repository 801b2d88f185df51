// DirectoryService through its public functions on the demo Comune: lookups by slug (and never
// across enti), the open status at given instants (a data file: DST change days in Europe/Rome,
// the patron day, holidays, dated closures), an ente holiday added by the service closing the
// office that day, and bad input changing nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../support/service_fixture.h"
#include "directory/capability.h"
#include "directory/service.h"

namespace sportello::unit {
namespace {

class DirectoryServiceTest : public ServiceTest {
 protected:
  directory::DirectoryService& dir() { return service<directory::DirectoryCapability>(); }

  // The office of the public view with that slug (null when missing).
  Json viewedOffice(const std::string& slug) {
    auto body = run(dir().officesView("esempio"));
    EXPECT_TRUE(body.ok()) << (body.ok() ? "" : body.error().message);
    if (!body.ok()) return nullptr;
    Json view = Json::parse(*body);
    for (const auto& o : view["offices"]) {
      if (o["slug"] == slug) return o;
    }
    return nullptr;
  }
};

TEST_P(DirectoryServiceTest, FindsTheEnteAndItsOfficesAndServicesBySlug) {
  SP_ASSERT_OK_AND_ASSIGN(auto ente, run(dir().ente("esempio")));
  EXPECT_EQ(ente.name, "Comune di Esempio");
  EXPECT_EQ(ente.timezone, "Europe/Rome");
  auto none = run(dir().ente("nessuno"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::kNotFound);

  Json anagrafe = viewedOffice("anagrafe");
  ASSERT_TRUE(anagrafe.is_object());
  EXPECT_EQ(anagrafe["name"], "Anagrafe e Stato civile");
  EXPECT_EQ(anagrafe["site"]["name"], "Palazzo municipale");
  SP_ASSERT_OK_AND_ASSIGN(directory::Record got,
                          run(dir().get("esempio", "offices", anagrafe["id"].get<std::string>())));
  ASSERT_TRUE(std::holds_alternative<directory::Office>(got));
  EXPECT_EQ(std::get<directory::Office>(got).slug, "anagrafe");

  SP_ASSERT_OK_AND_ASSIGN(directory::RecordList listed, run(dir().list("esempio", "services")));
  EXPECT_EQ(listed.kind, "services");
  ASSERT_EQ(listed.items.size(), 11u);
  std::string carta;
  for (const auto& r : listed.items) {
    const auto& s = std::get<directory::Service>(r);
    if (s.prefix == "A") carta = s.id;
  }
  ASSERT_FALSE(carta.empty());
  SP_ASSERT_OK_AND_ASSIGN(directory::Record a, run(dir().get("esempio", "services", carta)));
  const auto& anagrafeService = std::get<directory::Service>(a);
  EXPECT_EQ(anagrafeService.name, "Anagrafe");
  EXPECT_EQ(anagrafeService.officeId, anagrafe["id"].get<std::string>());
}

TEST_P(DirectoryServiceTest, NeverFindsAnotherEntesRecords) {
  Json anagrafe = viewedOffice("anagrafe");
  ASSERT_TRUE(anagrafe.is_object());
  auto r = run(dir().get("collina", "offices", anagrafe["id"].get<std::string>()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  SP_ASSERT_OK_AND_ASSIGN(directory::RecordList listed, run(dir().list("collina", "offices")));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_EQ(std::get<directory::Office>(listed.items[0]).name, "Ufficio per il pubblico");
  auto kind = run(dir().list("esempio", "operators"));
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().code, Errc::kNotFound);
}

// One line of open_status.txt.
struct Expectation {
  int line = 0;
  std::string instant, office, state, word, when;
};

// Next to this source file. __FILE__ is relative to the build directory, where the test binary
// lives, when CMake compiles with relative paths.
std::string dataFile(const std::string& name) {
  std::filesystem::path here = std::filesystem::path(__FILE__).parent_path();
  if (here.is_relative())
    here = std::filesystem::read_symlink("/proc/self/exe").parent_path() / here;
  return (here / name).lexically_normal().string();
}

std::vector<Expectation> readExpectations() {
  std::string path = dataFile("open_status.txt");
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<Expectation> out;
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    if (text.empty() || text[0] == '#') continue;
    std::istringstream fields(text);
    Expectation e;
    e.line = n;
    fields >> e.instant >> e.office >> e.state >> e.word >> e.when;
    EXPECT_TRUE(!e.when.empty() && (e.state == "open" || e.state == "closed"))
        << path << ":" << n << ": cannot read \"" << text << "\"";
    out.push_back(e);
  }
  return out;
}

TEST_P(DirectoryServiceTest, OpenStatusAtEachInstantOfTheDataFile) {
  auto expectations = readExpectations();
  ASSERT_GE(expectations.size(), 20u);
  for (const auto& e : expectations) {
    SCOPED_TRACE("open_status.txt:" + std::to_string(e.line) + " " + e.instant + " " + e.office);
    clock_.set(at(e.instant));
    Json o = viewedOffice(e.office);
    ASSERT_TRUE(o.is_object());
    const Json& st = o["status"];
    EXPECT_EQ(st["open"], e.state == "open");
    if (e.state == "open") {
      EXPECT_EQ(e.word, "closes");
      EXPECT_EQ(st["closes_at"], e.when);
    } else {
      EXPECT_EQ(e.word, "opens");
      EXPECT_EQ(st["next_opens_at"], e.when);
    }
  }
}

TEST_P(DirectoryServiceTest, AnEnteHolidayClosesEveryOfficeThatDay) {
  // Monday 7 December 2026, 19:30 in Rome: the URP has closed; Tuesday 8 (Immacolata) is a
  // national holiday, so it opens again on Wednesday 9 at 08:00.
  clock_.set(at("2026-12-07T18:30:00Z"));
  Json before = viewedOffice("urp")["status"];
  EXPECT_EQ(before["open"], false);
  EXPECT_EQ(before["next_opens_at"], "2026-12-09T07:00:00Z");
  // The Comune closes on the 9th too. The commit drops the cached view at once: the same
  // instant now says Thursday 10.
  SP_ASSERT_OK_AND_ASSIGN(
      directory::ClosingDay h,
      run(dir().addHoliday("esempio", {{"date", "2026-12-09"}, {"name", "Ponte"}})));
  EXPECT_EQ(h.date, "2026-12-09");
  EXPECT_EQ(h.kind, "ente");
  ASSERT_TRUE(h.id.has_value());
  SP_ASSERT_OK_AND_ASSIGN(directory::HolidayCalendar year, run(dir().holidays("esempio", 2026)));
  EXPECT_EQ(year.year, 2026);
  int on9th = 0;
  for (const auto& d : year.holidays) on9th += d.date == "2026-12-09" && d.id == h.id ? 1 : 0;
  EXPECT_EQ(on9th, 1);
  EXPECT_EQ(viewedOffice("urp")["status"]["next_opens_at"], "2026-12-10T07:00:00Z");
  clock_.set(at("2026-12-09T09:00:00Z"));
  EXPECT_EQ(viewedOffice("urp")["status"]["open"], false);
  EXPECT_EQ(viewedOffice("anagrafe")["status"]["open"], false);
  // The same date twice is a conflict, and changes nothing.
  auto twice = run(dir().addHoliday("esempio", {{"date", "2026-12-09"}, {"name", "Ancora"}}));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, Errc::kConflict);

  SP_ASSERT_OK(run(dir().removeHoliday("esempio", *h.id)));
  EXPECT_EQ(viewedOffice("urp")["status"]["open"], true);
}

TEST_P(DirectoryServiceTest, BadInputIsRefusedAndChangesNothing) {
  int64_t before = count("SELECT COUNT(*) FROM holidays");
  auto bad = run(dir().addHoliday("esempio", {{"date", "2026-02-30"}, {"name", "Mai"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::kInvalid);
  EXPECT_EQ(bad.error().field, "date");
  auto extra = run(dir().addHoliday("esempio", {{"date", "2026-12-09"}, {"nome", "Ponte"}}));
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().code, Errc::kInvalid);
  EXPECT_EQ(count("SELECT COUNT(*) FROM holidays"), before);

  std::string urp = viewedOffice("urp")["id"].get<std::string>();
  SP_ASSERT_OK_AND_ASSIGN(directory::OfficeSchedule sched, run(dir().schedule("esempio", urp)));
  EXPECT_FALSE(sched.rules.empty());
  Json wrong = {{"rules", {{{"weekday", 8}, {"start", "08:00"}, {"end", "12:00"}}}},
                {"exceptions", Json::array()}};
  auto refused = run(dir().putSchedule("esempio", urp, wrong));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::kInvalid);
  SP_ASSERT_OK_AND_ASSIGN(directory::OfficeSchedule after, run(dir().schedule("esempio", urp)));
  EXPECT_EQ(toJson(after), toJson(sched));
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
