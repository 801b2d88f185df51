// Unit tests for the QR code SVG (src/queue/model/qr_svg.h): size for known inputs, the finder
// and timing patterns, and an SVG that is well formed and draws exactly the dark modules.
#include "queue/model/qr_svg.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace sportello::queue {
namespace {

// Redraws the modules from the SVG path ("M{x} {y}h{n}v1h-{n}z" runs).
std::vector<std::vector<bool>> redraw(const QrCode& q) {
  std::vector<std::vector<bool>> g(q.modules, std::vector<bool>(q.modules, false));
  std::smatch m;
  std::regex d("d=\"([^\"]*)\"");
  EXPECT_TRUE(std::regex_search(q.svg, m, d));
  std::string path = m[1];
  std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  size_t covered = 0;
  for (auto it = std::sregex_iterator(path.begin(), path.end(), run); it != std::sregex_iterator();
       ++it) {
    int x = std::stoi((*it)[1]) - kQrQuietZone;
    int y = std::stoi((*it)[2]) - kQrQuietZone;
    int n = std::stoi((*it)[3]);
    EXPECT_EQ(n, std::stoi((*it)[4]));
    for (int i = 0; i < n; ++i) g.at(y).at(x + i) = true;
    covered += it->length();
  }
  EXPECT_EQ(covered, path.size()) << "the path has only runs";
  return g;
}

void expectFinder(const QrCode& q, int top, int left) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      bool ring = y == 0 || y == 6 || x == 0 || x == 6;
      bool centre = y >= 2 && y <= 4 && x >= 2 && x <= 4;
      EXPECT_EQ(q.dark[top + y][left + x], ring || centre) << top + y << "," << left + x;
    }
  }
}

TEST(QrSvgTest, ShortTextIsVersionOneWithItsFinderAndTimingPatterns) {
  auto q = qrSvg("HELLO");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->version, 1);
  EXPECT_EQ(q->modules, 21);
  expectFinder(*q, 0, 0);
  expectFinder(*q, 0, 14);
  expectFinder(*q, 14, 0);
  // The separator around the top-left finder is light; the timing row alternates.
  for (int i = 0; i < 8; ++i) {
    EXPECT_FALSE(q->dark[7][i]);
    EXPECT_FALSE(q->dark[i][7]);
  }
  for (int x = 8; x <= 12; ++x) EXPECT_EQ(q->dark[6][x], x % 2 == 0) << x;
  for (int y = 8; y <= 12; ++y) EXPECT_EQ(q->dark[y][6], y % 2 == 0) << y;
}

TEST(QrSvgTest, SvgIsWellFormedAndDrawsExactlyTheDarkModules) {
  auto q = qrSvg("https://sportello.example.it/esempio/ticket/site-1#id=abc&t=def");
  ASSERT_TRUE(q.ok());
  const std::string& s = q->svg;
  int size = q->modules + 2 * kQrQuietZone;
  EXPECT_EQ(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                        std::to_string(size) + " " + std::to_string(size) + "\"",
                    0),
            0u);
  EXPECT_TRUE(s.ends_with("</svg>"));
  // Tags balance: one <svg>…</svg>, self-closing rect and path, nothing else.
  std::regex tag("<(/?)([a-z]+)[^>]*?(/?)>");
  std::vector<std::string> open;
  int tags = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), tag); it != std::sregex_iterator();
       ++it) {
    ++tags;
    std::string name = (*it)[2];
    if ((*it)[1] == "/") {
      ASSERT_FALSE(open.empty());
      EXPECT_EQ(open.back(), name);
      open.pop_back();
    } else if ((*it)[3] != "/") {
      open.push_back(name);
    }
  }
  EXPECT_TRUE(open.empty());
  EXPECT_EQ(tags, 4);
  EXPECT_EQ(s.find("esempio"), std::string::npos) << "no input text in the SVG";
  EXPECT_EQ(redraw(*q), q->dark);
}

TEST(QrSvgTest, VersionGrowsWithTheTextAndWidthFollowsIt) {
  auto small = qrSvg(std::string(20, 'x'));
  auto large = qrSvg(std::string(200, 'x'));
  ASSERT_TRUE(small.ok());
  ASSERT_TRUE(large.ok());
  EXPECT_LT(small->version, large->version);
  for (const auto* q : {&small.value(), &large.value()}) {
    EXPECT_EQ(q->modules, 17 + 4 * q->version);
    EXPECT_EQ(static_cast<int>(q->dark.size()), q->modules);
  }
}

TEST(QrSvgTest, SameTextSameCode) {
  EXPECT_EQ(qrSvg("A023")->svg, qrSvg("A023")->svg);
  EXPECT_NE(qrSvg("A023")->svg, qrSvg("A024")->svg);
}

TEST(QrSvgTest, EmptyOrTooLongIsInvalid) {
  EXPECT_EQ(qrSvg("").error().code, Errc::kInvalid);
  EXPECT_EQ(qrSvg(std::string(3000, 'x')).error().code, Errc::kInvalid);
}

}  // namespace
}  // namespace sportello::queue
