// Unit tests for queue tickets (src/queue/model/ticket.h): transfer keeps the citizen's place.
#include "queue/model/ticket.h"

#include <gtest/gtest.h>

#include <chrono>

namespace sportello::queue {
namespace {

using namespace std::chrono_literals;  // NOLINT: 10min

const SysMillis kIssued =
    SysMillis(std::chrono::sys_days(std::chrono::year(2026) / std::chrono::January / 15)) + 8h +
    12min;

Ticket sample() {
  Ticket t;
  t.id = "tk-1";
  t.serviceId = "anagrafe";
  t.code = "A023";
  t.number = 23;
  t.issuedAt = kIssued;
  t.priority = PriorityReason::kAge;
  return t;
}

TEST(TransferTicketTest, KeepsCodeNumberIssuedAtAndPriority) {
  SysMillis now = kIssued + 25min;
  Result<Ticket> r = transferTicket(sample(), "tributi", now);
  ASSERT_TRUE(r.ok());
  Ticket expected = sample();
  expected.serviceId = "tributi";
  expected.transferredFrom = "anagrafe";
  expected.transferredAt = now;
  EXPECT_EQ(r.value(), expected);
  EXPECT_EQ(r->code, "A023");
  EXPECT_EQ(r->issuedAt, kIssued);
  EXPECT_EQ(r->id, "tk-1");
}

TEST(TransferTicketTest, KeepsTheAppointmentTime) {
  Ticket t = sample();
  t.priority = PriorityReason::kAppointment;
  t.appointmentAt = kIssued + 30min;
  Result<Ticket> r = transferTicket(t, "urp", kIssued + 40min);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->priority, PriorityReason::kAppointment);
  EXPECT_EQ(r->appointmentAt, kIssued + 30min);
}

TEST(TransferTicketTest, SecondTransferRecordsTheLastHopAndStillKeepsTheOriginal) {
  Ticket once = transferTicket(sample(), "tributi", kIssued + 10min).value();
  Ticket twice = transferTicket(once, "urp", kIssued + 20min).value();
  EXPECT_EQ(twice.serviceId, "urp");
  EXPECT_EQ(twice.transferredFrom, "tributi");
  EXPECT_EQ(twice.transferredAt, kIssued + 20min);
  EXPECT_EQ(twice.code, "A023");
  EXPECT_EQ(twice.number, 23);
  EXPECT_EQ(twice.issuedAt, kIssued);
  // Back to the first service is allowed.
  EXPECT_TRUE(transferTicket(twice, "anagrafe", kIssued + 30min).ok());
}

TEST(TransferTicketTest, RejectsEmptyOrSameService) {
  for (const char* to : {"", "anagrafe"}) {
    Result<Ticket> r = transferTicket(sample(), to, kIssued);
    ASSERT_FALSE(r.ok()) << to;
    EXPECT_EQ(r.error().code, Errc::kInvalid);
    EXPECT_EQ(r.error().field, "service_id");
  }
}

TEST(PriorityReasonTest, Names) {
  EXPECT_STREQ(priorityReasonName(PriorityReason::kNone), "none");
  EXPECT_STREQ(priorityReasonName(PriorityReason::kPregnancy), "pregnancy");
  EXPECT_STREQ(priorityReasonName(PriorityReason::kAge), "age");
  EXPECT_STREQ(priorityReasonName(PriorityReason::kDisability), "disability");
  EXPECT_STREQ(priorityReasonName(PriorityReason::kAppointment), "appointment");
}

}  // namespace
}  // namespace sportello::queue
