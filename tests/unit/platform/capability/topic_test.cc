// Topic names are parsed in one place: a family's pattern decides which authoriser a
// subscription reaches, so a name must match exactly one shape and capture its segments.
#include <gtest/gtest.h>

#include "platform/capability.h"

namespace sportello {
namespace {

TEST(Topic, MatchesItsShapeAndCapturesSegments) {
  Topic t("office:abc:queue");
  ASSERT_TRUE(t.match("office:{id}:queue"));
  EXPECT_EQ(t.param("id"), "abc");
  EXPECT_EQ(t.param("other"), "");
  EXPECT_FALSE(t.match("office:{id}:staff"));
  EXPECT_FALSE(t.match("office:{id}"));
  EXPECT_FALSE(t.match("visit:{id}"));
}

TEST(Topic, ExtraOrEmptySegmentsMatchNothing) {
  EXPECT_FALSE(Topic("office:a:b:queue").match("office:{id}:queue"));
  EXPECT_FALSE(Topic("office::queue").match("office:{id}:queue"));
  EXPECT_FALSE(Topic("visit:").match("visit:{id}"));
  EXPECT_FALSE(Topic("visit").match("visit:{id}"));
  EXPECT_FALSE(Topic("").match("visit:{id}"));
}

TEST(Topic, SeveralParametersAndMake) {
  Topic t("ente:esempio:staff");
  ASSERT_TRUE(t.match("ente:{slug}:staff"));
  EXPECT_EQ(t.param("slug"), "esempio");
  EXPECT_EQ(Topic::make("office:{id}:queue", {{"id", "X1"}}), "office:X1:queue");
  EXPECT_EQ(Topic::make("visit:{id}", {{"id", "v9"}}), "visit:v9");
  EXPECT_TRUE(Topic(Topic::make("site:{id}:board", {{"id", "s"}})).match("site:{id}:board"));
}

TEST(Topic, AFailedMatchKeepsTheLastCaptures) {
  Topic t("visit:v1");
  ASSERT_TRUE(t.match("visit:{id}"));
  EXPECT_FALSE(t.match("ticket:{id}"));
  EXPECT_EQ(t.param("id"), "v1");
}

}  // namespace
}  // namespace sportello
