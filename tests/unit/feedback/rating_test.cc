#include "feedback/model/rating.h"

#include <gtest/gtest.h>

namespace sportello::feedback {
namespace {

TEST(RatingNames, RoundTrip) {
  for (auto c : allChannels()) EXPECT_EQ(parseChannel(name(c)), c);
  for (auto s : {Score::kPositive, Score::kNeutral, Score::kNegative}) {
    EXPECT_EQ(parseScore(name(s)), s);
  }
  EXPECT_FALSE(parseChannel("fax"));
  EXPECT_FALSE(parseScore("great"));
  EXPECT_EQ(allChannels().size(), 5u);
}

TEST(RatingValidate, ReasonsOnlyAfterANonPositiveVote) {
  EXPECT_TRUE(validate(Score::kPositive, {}, "").ok());
  auto pos = validate(Score::kPositive, {"courtesy"}, "");
  ASSERT_FALSE(pos.ok());
  EXPECT_EQ(pos.error().field, "reasons");
  EXPECT_TRUE(validate(Score::kNeutral, {"clarity"}, "").ok());
  EXPECT_TRUE(validate(Score::kNegative, reasons(), "tutto").ok());
}

TEST(RatingValidate, UnknownOrRepeatedReasonsAreRefused) {
  auto unknown = validate(Score::kNegative, {"rude"}, "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Errc::kInvalid);
  EXPECT_EQ(unknown.error().message, "motivo sconosciuto: rude");
  auto twice = validate(Score::kNegative, {"courtesy", "courtesy"}, "");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message, "motivo ripetuto: courtesy");
}

TEST(RatingValidate, CommentCountsCharactersNotBytes) {
  std::string accented;
  for (int i = 0; i < 500; ++i) accented += "è";  // 1000 bytes, 500 characters
  EXPECT_TRUE(validate(Score::kNeutral, {}, accented).ok());
  auto over = validate(Score::kNeutral, {}, accented + "a");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().field, "comment");
  auto broken = validate(Score::kNeutral, {}, std::string("\xC3", 1));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().field, "comment");
}

TEST(RatingReasons, JoinAndSplitAreInverse) {
  EXPECT_EQ(joinReasons({}), "");
  EXPECT_TRUE(splitReasons("").empty());
  std::vector<std::string> r = {"waiting_time", "not_solved"};
  EXPECT_EQ(joinReasons(r), "waiting_time,not_solved");
  EXPECT_EQ(splitReasons(joinReasons(r)), r);
}

}  // namespace
}  // namespace sportello::feedback
