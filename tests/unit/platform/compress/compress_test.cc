#include "platform/compress.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "platform/static_files.h"

namespace sportello {
namespace {

std::string gunzip(const std::string& z) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  inflateEnd(&s);
  return out;
}

TEST(ChooseEncoding, PrefersBrotliThenGzipAmongWhatExists) {
  EXPECT_EQ(chooseEncoding("gzip, deflate, br", true, true), Encoding::kBrotli);
  EXPECT_EQ(chooseEncoding("gzip, deflate, br", false, true), Encoding::kGzip);
  EXPECT_EQ(chooseEncoding("gzip, deflate, br", false, false), Encoding::kIdentity);
  EXPECT_EQ(chooseEncoding("br", false, true), Encoding::kIdentity);
}

TEST(ChooseEncoding, NoHeaderOrIdentityMeansIdentity) {
  EXPECT_EQ(chooseEncoding("", true, true), Encoding::kIdentity);
  EXPECT_EQ(chooseEncoding("identity", true, true), Encoding::kIdentity);
  EXPECT_EQ(chooseEncoding("deflate", true, true), Encoding::kIdentity);
}

TEST(ChooseEncoding, QValuesDecide) {
  EXPECT_EQ(chooseEncoding("br;q=0.5, gzip;q=0.8", true, true), Encoding::kGzip);
  EXPECT_EQ(chooseEncoding("br;q=0, gzip", true, true), Encoding::kGzip);
  EXPECT_EQ(chooseEncoding("br;q=0, gzip;q=0", true, true), Encoding::kIdentity);
  EXPECT_EQ(chooseEncoding("BR ; Q=1 , GZIP;q=1", true, true), Encoding::kBrotli);
  EXPECT_EQ(chooseEncoding("x-gzip", false, true), Encoding::kGzip);
  EXPECT_EQ(chooseEncoding("gzip;q=abc", false, true), Encoding::kIdentity);
  EXPECT_EQ(chooseEncoding("gzip;q=2", false, true), Encoding::kIdentity);
}

TEST(ChooseEncoding, StarCoversWhatIsNotNamed) {
  EXPECT_EQ(chooseEncoding("*", true, true), Encoding::kBrotli);
  EXPECT_EQ(chooseEncoding("br;q=0, *", true, true), Encoding::kGzip);
  EXPECT_EQ(chooseEncoding("*;q=0", true, true), Encoding::kIdentity);
}

TEST(Gzip, RoundTripsAndShrinksText) {
  std::string body;
  for (int i = 0; i < 500; ++i)
    body += R"({"ticket":"A)" + std::to_string(i) + R"(","state":"waiting"},)";
  std::string z = gzipBody(body);
  ASSERT_FALSE(z.empty());
  EXPECT_LT(z.size(), body.size() / 5);
  EXPECT_EQ(gunzip(z), body);
  EXPECT_EQ(gunzip(gzipBody("")), "");
}

TEST(CompressibleType, TextYesImagesNo) {
  EXPECT_TRUE(compressibleType("application/json"));
  EXPECT_TRUE(compressibleType("text/calendar; charset=utf-8"));
  EXPECT_TRUE(compressibleType("image/svg+xml"));
  EXPECT_FALSE(compressibleType("image/png"));
  EXPECT_FALSE(compressibleType("font/woff2"));
  EXPECT_FALSE(compressibleType("application/octet-stream"));
}

class StaticVariants : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sp-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(dir_ / "assets");
    write("assets/app-1234.js", "console.log('identity')");
    write("assets/app-1234.js.br", "BROTLI");
    write("assets/app-1234.js.gz", "GZIP");
    write("page.html", "<p>only identity</p>");
    write("stray.txt.gz", "no base file");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& rel, const std::string& body) {
    std::ofstream(dir_ / rel, std::ios::binary) << body;
  }
  std::filesystem::path dir_;
};

TEST_F(StaticVariants, VariantsAreAttachedNotServedByName) {
  auto files = StaticFiles::load(dir_.string());
  ASSERT_TRUE(files.ok());
  const auto& sf = *files.value();
  EXPECT_EQ(sf.size(), 2u);  // the .js and the page; .br/.gz are variants, the stray is dropped
  EXPECT_EQ(sf.find("/assets/app-1234.js.br"), nullptr);
  EXPECT_EQ(sf.find("/stray.txt.gz"), nullptr);
  const StaticFile* js = sf.find("/assets/app-1234.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->br, "BROTLI");
  EXPECT_EQ(js->gz, "GZIP");
}

TEST_F(StaticVariants, AnswerPicksTheEncodingWithItsOwnEtag) {
  auto files = StaticFiles::load(dir_.string());
  ASSERT_TRUE(files.ok());
  const StaticFile& js = *files.value()->find("/assets/app-1234.js");
  namespace bhttp = http::bhttp;
  auto br = staticAnswer(js, "gzip, br", "");
  EXPECT_EQ(br.body(), "BROTLI");
  EXPECT_EQ(br[bhttp::field::content_encoding], "br");
  EXPECT_EQ(br[bhttp::field::vary], "Accept-Encoding");
  EXPECT_EQ(br[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  auto gz = staticAnswer(js, "gzip", "");
  EXPECT_EQ(gz.body(), "GZIP");
  auto plain = staticAnswer(js, "", "");
  EXPECT_EQ(plain.body(), "console.log('identity')");
  EXPECT_FALSE(plain.count(bhttp::field::content_encoding));
  // Three encodings, three ETags; a match on the encoding asked for is a 304.
  std::string e1(br[bhttp::field::etag]), e2(gz[bhttp::field::etag]), e3(plain[bhttp::field::etag]);
  EXPECT_NE(e1, e2);
  EXPECT_NE(e1, e3);
  EXPECT_EQ(e1.substr(e1.size() - 4), "-br\"");
  EXPECT_EQ(staticAnswer(js, "br", e1).result(), bhttp::status::not_modified);
  EXPECT_EQ(staticAnswer(js, "br", "\"x\", W/" + e1).result(), bhttp::status::not_modified);
  EXPECT_EQ(staticAnswer(js, "", e1).result(), bhttp::status::ok);  // another encoding's tag
  const StaticFile& page = *files.value()->find("/page.html");
  auto p = staticAnswer(page, "br", "", "no-cache");
  EXPECT_FALSE(p.count(bhttp::field::vary));
  EXPECT_EQ(p[bhttp::field::cache_control], "no-cache");
}

}  // namespace
}  // namespace sportello
