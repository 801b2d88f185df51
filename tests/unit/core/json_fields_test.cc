#include "core/json_fields.h"

#include <gtest/gtest.h>

namespace sportello {
namespace {

TEST(FieldsTest, ReadsTypedFieldsAndRejectsUnknownOnes) {
  auto j = parseJsonObject(R"({"name":"URP","sort":3,"on":true,"tags":["a","b"],"x":1})");
  ASSERT_TRUE(j.ok());
  Fields f(j.value());
  std::string name;
  int64_t sort = 0;
  bool on = false;
  std::vector<std::string> tags;
  EXPECT_TRUE(f.str("name", name, {.required = true}));
  EXPECT_TRUE(f.integer("sort", sort, 0, 10));
  EXPECT_TRUE(f.boolean("on", on));
  EXPECT_TRUE(f.strArray("tags", tags, 5));
  auto st = f.finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().field, "x");
  EXPECT_EQ(name, "URP");
  EXPECT_EQ(sort, 3);
  EXPECT_EQ(tags.size(), 2u);
}

TEST(FieldsTest, WrongTypesAndRangesAreErrorsWithField) {
  auto j = parseJsonObject(R"({"name":5})").value();
  Fields f(j);
  std::string name;
  EXPECT_FALSE(f.str("name", name));
  EXPECT_EQ(f.finish().error().field, "name");

  auto k = parseJsonObject(R"({"n":11})").value();
  Fields g(k, "rules[0]");
  int64_t n = 0;
  EXPECT_FALSE(g.integer("n", n, 0, 10));
  EXPECT_EQ(g.finish().error().field, "rules[0].n");
}

TEST(FieldsTest, RequiredMissingAndControlCharacters) {
  auto j = parseJsonObject(R"({"a":"x\u0001y"})").value();
  Fields f(j);
  std::string a, b;
  EXPECT_FALSE(f.str("a", a));
  EXPECT_FALSE(f.str("b", b, {.required = true}));
  EXPECT_EQ(f.finish().error().field, "a");  // first error wins

  auto m = parseJsonObject(R"({"text":"riga 1\nriga 2"})").value();
  Fields g(m);
  std::string text;
  EXPECT_TRUE(g.str("text", text, {.multiline = true}));
  EXPECT_TRUE(g.finish().ok());
}

TEST(FieldsTest, NotAnObjectOrBrokenJson) {
  EXPECT_FALSE(parseJsonObject("[1,2]").ok());
  EXPECT_FALSE(parseJsonObject("{").ok());
  EXPECT_FALSE(parseJsonObject("").ok());
  EXPECT_TRUE(parseJsonObject("", true).ok());
  EXPECT_FALSE(parseJsonObject("{\"a\":\"\xff\"}").ok());  // invalid UTF-8
}

TEST(FieldsTest, TooLongText) {
  auto j = parseJsonObject(R"({"a":"abcdef"})").value();
  Fields f(j);
  std::string a;
  EXPECT_FALSE(f.str("a", a, {.maxLen = 5}));
  EXPECT_FALSE(f.finish().ok());
}

TEST(StrictJsonTest, DuplicateKeysAndBomAreRefused) {
  auto dup = parseJsonObject(R"({"name":"A","name":"B"})");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().field, "name");
  EXPECT_FALSE(parseJsonObject(R"({"a":{"x":1,"y":2,"x":3}})").ok());  // nested object
  EXPECT_FALSE(parseStrictJson(R"([{"k":1,"k":1}])").ok());            // inside an array
  EXPECT_FALSE(parseJsonObject("\xEF\xBB\xBF{\"a\":1}").ok());         // byte order mark
  // The same key in sibling or nested objects is not a duplicate.
  auto ok = parseJsonObject(R"({"a":{"k":1},"b":{"k":2},"k":{"k":{"k":3}}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["k"]["k"]["k"], 3);
  EXPECT_TRUE(parseStrictJson("[1,2,{}]").ok());
}

}  // namespace
}  // namespace sportello
