// BookingService through its public functions on the demo Comune, reading the typed views it
// answers (booking/views.h): the bookable offices, a month of free slots, a booking with its
// secret, the holder's view (no staff fields) and the office's agenda (with them).
#include <gtest/gtest.h>

#include <algorithm>

#include "../../support/service_fixture.h"
#include "booking/capability.h"
#include "booking/service.h"

namespace sportello::unit {
namespace {

class BookingServiceTest : public ServiceTest {
 protected:
  booking::BookingService& bookings() { return service<booking::BookingCapability>(); }
};

TEST_P(BookingServiceTest, BookAndSeeItAsTheHolderAndAsTheOffice) {
  SP_ASSERT_OK_AND_ASSIGN(booking::Bookable offices, run(bookings().bookable("esempio")));
  EXPECT_EQ(offices.enteSlug, "esempio");
  EXPECT_EQ(offices.today, std::optional<std::string>("2026-11-23"));
  auto anagrafe = std::find_if(offices.offices.begin(), offices.offices.end(),
                               [](const auto& o) { return o.office.slug == "anagrafe"; });
  ASSERT_NE(anagrafe, offices.offices.end());
  ASSERT_FALSE(anagrafe->plans.empty());
  ASSERT_TRUE(anagrafe->plans[0].service.has_value());
  std::string svc = anagrafe->plans[0].service->id;

  SP_ASSERT_OK_AND_ASSIGN(booking::MonthAvailability month,
                          run(bookings().availability("esempio", "anagrafe", svc, "2026-12")));
  EXPECT_EQ(month.days.size(), 31u);
  EXPECT_EQ(month.place.office.slug, "anagrafe");
  auto slot = std::find_if(month.slots.begin(), month.slots.end(), [](const auto& s) {
    return s.free > 0 && s.start == "08:30" &&
           s.day == date::year_month_day{date::year{2026}, date::month{12}, date::day{2}};
  });
  ASSERT_NE(slot, month.slots.end());

  booking::BookInput in;
  in.office = "anagrafe";
  in.service = svc;
  in.date = "2026-12-02";
  in.start = "08:30";
  in.firstName = "Mario";
  in.lastName = "Bianchi";
  in.email = "mario.bianchi@example.org";
  in.remote = "192.0.2.10";
  SP_ASSERT_OK_AND_ASSIGN(booking::NewBooking made, run(bookings().book("esempio", in)));
  EXPECT_FALSE(made.secret.empty());
  EXPECT_FALSE(made.booking.forStaff);
  EXPECT_EQ(made.booking.booking.state, booking::BookingState::kBooked);
  Json shown = toJson(made);
  EXPECT_EQ(shown["secret"], made.secret);
  EXPECT_EQ(shown["booking"]["can_change"], true);
  EXPECT_FALSE(shown["booking"].contains("id"));  // staff fields only in the staff view

  std::string code = made.booking.booking.code;
  SP_ASSERT_OK_AND_ASSIGN(booking::BookingView mine,
                          run(bookings().view("esempio", code, made.secret)));
  EXPECT_EQ(mine.booking.id, made.booking.booking.id);
  auto wrong = run(bookings().view("esempio", code, "not-the-secret"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Errc::kNotFound);

  auto op = login(kOperator, kOperatorPassword);
  SP_ASSERT_OK_AND_ASSIGN(booking::Agenda day,
                          run(bookings().agenda(op.ctx, "anagrafe", "2026-12-02")));
  EXPECT_EQ(day.date, "2026-12-02");
  ASSERT_EQ(day.bookings.size(), 1u);
  EXPECT_TRUE(day.bookings[0].forStaff);
  EXPECT_EQ(toJson(day)["bookings"][0]["id"], made.booking.booking.id);

  // Checked in: the anagrafe's services are served by the town hall's queue, so a priority
  // ticket is issued, named in the answer and on the booking.
  SP_ASSERT_OK_AND_ASSIGN(booking::MarkedBooking arrived,
                          run(bookings().mark(op.ctx, code, booking::BookingState::kArrived)));
  EXPECT_EQ(arrived.booking.booking.state, booking::BookingState::kArrived);
  ASSERT_TRUE(arrived.ticket.has_value());
  EXPECT_EQ(arrived.booking.booking.ticketId, std::optional<std::string>(arrived.ticket->id));
  Json marked = toJson(arrived);
  EXPECT_EQ(marked["ticket"]["code"], arrived.ticket->code);
  EXPECT_EQ(marked["ticket_id"], arrived.ticket->id);
}

INSTANTIATE_TEST_SUITE_P(Backends, BookingServiceTest, ::testing::ValuesIn(backends()),
                         backendParamName);

}  // namespace
}  // namespace sportello::unit
