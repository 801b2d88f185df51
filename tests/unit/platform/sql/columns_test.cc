// Columns/RowReader: the SELECT list and the reads come from one table, read from real rows of
// a real database (SQLite in memory, and PostgreSQL too when $SPORTELLO_TEST_PG is set).
#include "platform/sql/columns.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sportello::sql {
namespace {

enum class Colour { kRed, kBlue };

struct Thing {
  std::string id;
  std::optional<std::string> note;
  int64_t big = 0;
  std::optional<int64_t> when;
  int small = 0;
  bool on = false;
  double ratio = 0;
  Colour colour = Colour::kRed;
};

const Columns<Thing> kThing{
    col<&Thing::id>("t.id"),
    col<&Thing::note>("t.note"),
    col<&Thing::big>("t.big"),
    col<&Thing::when>("t.at"),
    col<&Thing::small>("t.small"),
    col<&Thing::on>("t.flag"),
    col<&Thing::ratio>("t.ratio"),
    {"t.colour",
     [](Thing& t, RowReader& r) { t.colour = r.str() == "blue" ? Colour::kBlue : Colour::kRed; }},
};

TEST(Columns, ListAndSelectKeepTheTableOrder) {
  EXPECT_EQ(kThing.size(), 8u);
  EXPECT_EQ(kThing.list(), "t.id, t.note, t.big, t.at, t.small, t.flag, t.ratio, t.colour");
  EXPECT_EQ(kThing.select("FROM things t "),
            "SELECT t.id, t.note, t.big, t.at, t.small, t.flag, t.ratio, t.colour FROM things t ");
}

TEST(Columns, ReadsByPositionFromAnOffset) {
  Row row{{std::string("lead"), std::string("a1"), nullptr, int64_t{9007199254740993}, nullptr,
           int64_t{42}, int64_t{1}, 0.25, std::string("blue"), std::string("tail")}};
  RowReader r(row, 1);
  Thing t;
  kThing.read(r, t);
  EXPECT_EQ(t.id, "a1");
  EXPECT_EQ(t.note, std::nullopt);
  EXPECT_EQ(t.big, 9007199254740993);
  EXPECT_EQ(t.when, std::nullopt);
  EXPECT_EQ(t.small, 42);
  EXPECT_TRUE(t.on);
  EXPECT_DOUBLE_EQ(t.ratio, 0.25);
  EXPECT_EQ(t.colour, Colour::kBlue);
  EXPECT_EQ(r.position(), 9u);  // the caller goes on with the columns after the struct
  EXPECT_FALSE(r.nextIsNull());
  EXPECT_EQ(r.str(), "tail");
  EXPECT_EQ(kThing.read(row, 1).id, "a1");
}

TEST(Columns, ARowShorterThanTheTableIsAnErrorNotGarbage) {
  Row row{{std::string("only"), nullptr}};
  EXPECT_THROW(kThing.read(row), std::out_of_range);
}

// Both drivers return the same struct for the same stored row, NULLs included.
void roundTrip(Connection& c) {
  ASSERT_TRUE(c.execScript("CREATE TABLE things (id TEXT PRIMARY KEY, note TEXT, big BIGINT NOT "
                           "NULL, at BIGINT, small BIGINT NOT NULL, flag BIGINT NOT NULL, ratio "
                           "DOUBLE PRECISION NOT NULL, colour TEXT NOT NULL)")
                  .ok());
  ASSERT_TRUE(c.exec("INSERT INTO things VALUES(?,?,?,?,?,?,?,?)",
                     {std::string("x"), std::string("hello"), int64_t{-5}, int64_t{1700000000000},
                      int64_t{7}, int64_t{0}, 1.5, std::string("red")})
                  .ok());
  ASSERT_TRUE(c.exec("INSERT INTO things VALUES(?,?,?,?,?,?,?,?)",
                     {std::string("y"), nullptr, int64_t{0}, nullptr, int64_t{-1}, int64_t{1}, 0.0,
                      std::string("blue")})
                  .ok());
  auto rows = c.query(kThing.select("FROM things t ORDER BY t.id"));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  Thing x = kThing.read((*rows)[0]);
  EXPECT_EQ(x.id, "x");
  EXPECT_EQ(x.note, "hello");
  EXPECT_EQ(x.big, -5);
  EXPECT_EQ(x.when, 1700000000000);
  EXPECT_EQ(x.small, 7);
  EXPECT_FALSE(x.on);
  EXPECT_DOUBLE_EQ(x.ratio, 1.5);
  EXPECT_EQ(x.colour, Colour::kRed);
  Thing y = kThing.read((*rows)[1]);
  EXPECT_EQ(y.id, "y");
  EXPECT_EQ(y.note, std::nullopt);
  EXPECT_EQ(y.when, std::nullopt);
  EXPECT_EQ(y.small, -1);
  EXPECT_TRUE(y.on);
  EXPECT_EQ(y.colour, Colour::kBlue);
}

TEST(Columns, RoundTripSqlite) {
  auto c = open(":memory:");
  ASSERT_TRUE(c.ok()) << c.error().message;
  roundTrip(**c);
}

TEST(Columns, RoundTripPostgresWhenConfigured) {
  const char* url = std::getenv("SPORTELLO_TEST_PG");
  if (url == nullptr || *url == '\0') return;  // covered by the SQLite case; make test sets it
  auto c = openPostgres(url);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE((*c)->execScript("DROP TABLE IF EXISTS things").ok());
  roundTrip(**c);
  EXPECT_TRUE((*c)->execScript("DROP TABLE things").ok());
}

}  // namespace
}  // namespace sportello::sql
