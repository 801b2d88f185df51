#include "core/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace sportello {
namespace {

TEST(ConfigTest, DefaultsWithoutSources) {
  auto c = loadConfig({}, {}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 8080);
  EXPECT_EQ(c->databaseUrl(), "sqlite:./data/sportello.db");
  EXPECT_FALSE(c->secureCookies());
}

TEST(ConfigTest, FlagsOverrideEnvironmentOverrideFile) {
  ConfigMap file = {{"port", "9000"}, {"host", "0.0.0.0"}, {"log_level", "debug"}};
  ConfigMap env = readEnvConfig({{"SPORTELLO_PORT", "9100"}, {"SPORTELLO_LOG_LEVEL", "warn"},
                                 {"UNRELATED", "x"}});
  ConfigMap flags = {{"port", "9200"}};
  auto c = loadConfig(file, env, flags);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->port, 9200);           // flag wins
  EXPECT_EQ(c->logLevel, "warn");     // env beats file
  EXPECT_EQ(c->host, "0.0.0.0");      // file beats default
}

TEST(ConfigTest, TomlFileIsRead) {
  std::string path = ::testing::TempDir() + "/sportello_test.toml";
  {
    std::ofstream f(path);
    f << "port = 8123\nlog_json = true\ndatabase = \"postgresql://x/y\"\n"
         "public_origin = \"https://sportello.example.it\"\n";
  }
  auto m = readTomlConfig(path);
  ASSERT_TRUE(m.ok()) << m.error().message;
  auto c = loadConfig(m.value(), {}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 8123);
  EXPECT_TRUE(c->logJson);
  EXPECT_EQ(c->databaseUrl(), "postgresql://x/y");
  EXPECT_TRUE(c->secureCookies());
  std::remove(path.c_str());
}

TEST(ConfigTest, BadTomlIsAnError) {
  std::string path = ::testing::TempDir() + "/sportello_bad.toml";
  {
    std::ofstream f(path);
    f << "port = = 3\n";
  }
  auto m = readTomlConfig(path);
  EXPECT_FALSE(m.ok());
  std::remove(path.c_str());
}

TEST(ConfigTest, UnknownKeysAndBadValuesNameTheKey) {
  auto a = loadConfig({{"prot", "1"}}, {}, {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().field, "prot");
  auto b = loadConfig({}, {}, {{"port", "70000"}});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().field, "port");
  auto c = loadConfig({}, {}, {{"log_json", "maybe"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "log_json");
  auto d = loadConfig({}, {}, {{"port", "80x"}});
  EXPECT_FALSE(d.ok());
}

TEST(ConfigTest, LivenessTimesHaveDefaultsAndMustBeCoherent) {
  auto c = loadConfig({}, {}, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->remoteGraceSeconds, 60);
  EXPECT_EQ(c->remoteKeepPlaceSeconds, 600);
  EXPECT_EQ(c->operatorGraceSeconds, 90);
  EXPECT_FALSE(c->clockControl);
  auto set = loadConfig({}, {}, {{"remote_grace_seconds", "30"}, {"clock_control", "true"}});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->remoteGraceSeconds, 30);
  EXPECT_TRUE(set->clockControl);
  // A place kept for less time than it takes to be noticed gone makes no sense.
  auto bad =
      loadConfig({}, {}, {{"remote_grace_seconds", "120"}, {"remote_keep_place_seconds", "60"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "remote_keep_place_seconds");
  EXPECT_FALSE(loadConfig({}, {}, {{"operator_grace_seconds", "1"}}).ok());
}

}  // namespace
}  // namespace sportello
