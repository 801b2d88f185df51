// Unit tests for the wait estimate (src/queue/model/wait_estimate.h).
#include "queue/model/wait_estimate.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <vector>

namespace sportello::queue {
namespace {

using std::chrono::seconds;

WaitEstimateInput input(int ahead, int counters, std::vector<int64_t> durations,
                        int64_t defaultSec = 600) {
  WaitEstimateInput in;
  in.ahead = ahead;
  in.openCounters = counters;
  in.recentDurationsSec = std::move(durations);
  in.defaultDuration = seconds(defaultSec);
  return in;
}

TEST(MedianTest, OddEvenAndEmpty) {
  EXPECT_EQ(medianSeconds({}), std::nullopt);
  EXPECT_EQ(medianSeconds({42}), 42);
  EXPECT_EQ(medianSeconds({300, 100, 200}), 200);
  EXPECT_EQ(medianSeconds({400, 100, 300, 200}), 250);
  EXPECT_EQ(medianSeconds({100, 200, 301, 400}), 250);  // 250.5 rounded down
  EXPECT_EQ(medianSeconds({7, 7, 7, 7}), 7);
}

TEST(WaitEstimateTest, NobodyAheadIsZero) {
  EXPECT_EQ(estimateWait(input(0, 1, {100, 200, 300})), seconds(0));
  EXPECT_EQ(estimateWait(input(-2, 3, {})), seconds(0));
}

TEST(WaitEstimateTest, NoOpenCounterIsUnknown) {
  EXPECT_EQ(estimateWait(input(4, 0, {100, 200, 300})), std::nullopt);
  EXPECT_EQ(estimateWait(input(4, -1, {100, 200, 300})), std::nullopt);
  // Even first in line: nobody is serving.
  EXPECT_EQ(estimateWait(input(0, 0, {100, 200, 300})), std::nullopt);
}

TEST(WaitEstimateTest, FewerThanThreeSamplesUseTheDefaultDuration) {
  EXPECT_EQ(estimateWait(input(5, 2, {}, 600)), seconds(600 * 3));
  EXPECT_EQ(estimateWait(input(5, 2, {60}, 600)), seconds(600 * 3));
  EXPECT_EQ(estimateWait(input(5, 2, {60, 90}, 600)), seconds(600 * 3));
}

TEST(WaitEstimateTest, ThreeSamplesUseTheMedian) {
  EXPECT_EQ(estimateWait(input(1, 1, {300, 100, 200})), seconds(200));
  EXPECT_EQ(estimateWait(input(3, 1, {300, 100, 200})), seconds(600));
}

TEST(WaitEstimateTest, EvenSampleCountAveragesTheMiddleTwo) {
  EXPECT_EQ(estimateWait(input(2, 1, {100, 200, 301, 400})), seconds(500));  // 250 × 2
}

TEST(WaitEstimateTest, RoundsOfOpenCounters) {
  const std::vector<int64_t> d = {120, 120, 120};
  EXPECT_EQ(estimateWait(input(1, 5, d)), seconds(120));   // ceil(1/5) = 1
  EXPECT_EQ(estimateWait(input(3, 2, d)), seconds(240));   // ceil(3/2) = 2
  EXPECT_EQ(estimateWait(input(4, 2, d)), seconds(240));   // ceil(4/2) = 2
  EXPECT_EQ(estimateWait(input(5, 2, d)), seconds(360));   // ceil(5/2) = 3
  EXPECT_EQ(estimateWait(input(10, 3, d)), seconds(480));  // ceil(10/3) = 4
}

TEST(WaitEstimateTest, OnlyTheLastTwentySamplesCount) {
  // 5 old very long contacts, then 20 recent ones of 60 s.
  std::vector<int64_t> d(5, 10000);
  d.insert(d.end(), 20, 60);
  EXPECT_EQ(estimateWait(input(1, 1, d)), seconds(60));
  // With 21 recent ones of 60 s preceded by 19 long ones the window still holds only 60s.
  std::vector<int64_t> e(19, 10000);
  e.insert(e.end(), 21, 60);
  EXPECT_EQ(estimateWait(input(2, 1, e)), seconds(120));
  // But 11 long ones inside the last 20 move the median.
  std::vector<int64_t> f(9, 60);
  f.insert(f.end(), 11, 1000);
  EXPECT_EQ(estimateWait(input(1, 1, f)), seconds(1000));
}

TEST(WaitEstimateTest, ConfigurableWindow) {
  WaitEstimateInput in = input(1, 1, {500, 500, 500, 10, 20, 30});
  in.sampleWindow = 3;
  EXPECT_EQ(estimateWait(in), seconds(20));
  in.sampleWindow = 6;
  EXPECT_EQ(estimateWait(in), seconds(265));  // (30 + 500) / 2
  // A window below 3 can never reach the minimum sample count.
  in.sampleWindow = 0;
  EXPECT_EQ(estimateWait(in), seconds(600));
}

TEST(WaitEstimateTest, MedianResistsOutliers) {
  EXPECT_EQ(estimateWait(input(1, 1, {100, 100, 5000, 100, 100})), seconds(100));
}

TEST(WaitEstimateTest, NonPositiveDurationsAreIgnored) {
  // Only two valid samples → default.
  EXPECT_EQ(estimateWait(input(1, 1, {0, -5, 100, 200}, 600)), seconds(600));
  // Three valid ones among bad data.
  EXPECT_EQ(estimateWait(input(1, 1, {100, 0, 300, -1, 200}, 600)), seconds(200));
}

}  // namespace
}  // namespace sportello::queue
