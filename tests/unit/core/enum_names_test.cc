#include "core/enum_names.h"

#include <gtest/gtest.h>

#include <string>

namespace sportello {
namespace {

enum class Fruit { kApple, kPear, kFig };

constexpr auto kFruits =
    enumNames<Fruit>({{Fruit::kApple, "apple"}, {Fruit::kPear, "pear"}, {Fruit::kFig, "fig"}});
static_assert(kFruits.distinct());
static_assert(kFruits.size() == 3);
static_assert(std::string_view(kFruits.name(Fruit::kPear)) == "pear");  // usable at compile time
static_assert(kFruits.parse("fig") == Fruit::kFig);

TEST(EnumNames, NameAndParseAreInverse) {
  for (Fruit f : {Fruit::kApple, Fruit::kPear, Fruit::kFig}) {
    EXPECT_EQ(kFruits.parse(kFruits.name(f)), f);
  }
  EXPECT_STREQ(kFruits.name(Fruit::kApple), "apple");
  EXPECT_STREQ(kFruits.name(Fruit::kFig), "fig");
}

TEST(EnumNames, ParseIsExact) {
  EXPECT_EQ(kFruits.parse(""), std::nullopt);
  EXPECT_EQ(kFruits.parse("Apple"), std::nullopt);
  EXPECT_EQ(kFruits.parse("apple "), std::nullopt);
  EXPECT_EQ(kFruits.parse("appl"), std::nullopt);
  EXPECT_EQ(kFruits.parse(std::string("pear\0x", 6)), std::nullopt);
  EXPECT_EQ(kFruits.parse(std::string("pear")), Fruit::kPear);
}

TEST(EnumNames, AValueMissingFromTheTableGetsTheFallback) {
  constexpr auto partial = enumNames<Fruit>({{Fruit::kPear, "pear"}, {Fruit::kFig, "fig"}});
  EXPECT_STREQ(partial.name(Fruit::kApple), "pear");  // default: the first name
  constexpr auto withFallback = enumNames<Fruit>({{Fruit::kPear, "pear"}}, "unknown");
  EXPECT_STREQ(withFallback.name(Fruit::kApple), "unknown");
  EXPECT_STREQ(withFallback.name(Fruit::kPear), "pear");
  EXPECT_STREQ(kFruits.name(static_cast<Fruit>(7)), "apple");
}

TEST(EnumNames, DistinctFindsARepeatedValueOrName) {
  constexpr auto twiceValue = enumNames<Fruit>({{Fruit::kPear, "pear"}, {Fruit::kPear, "fig"}});
  constexpr auto twiceName = enumNames<Fruit>({{Fruit::kPear, "pear"}, {Fruit::kFig, "pear"}});
  EXPECT_FALSE(twiceValue.distinct());
  EXPECT_FALSE(twiceName.distinct());
  EXPECT_TRUE(kFruits.distinct());
}

}  // namespace
}  // namespace sportello
