// A contact that ended, as the figures count it (issue 16: volumes, waiting and service time,
// first-contact resolution, no-shows, abandoned knocks). The capability that owns the contact
// (reception, queue, booking, cases) builds one in the transaction that ends it and hands it to
// the hook the figures set (feedback's roll-ups), so the roll-up and the contact commit
// together. Anonymous: where and when, never who the citizen was.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/result.h"

namespace sportello {

class Tx;

enum class ContactOutcome {
  kServed,     // a visit ended after admission, a ticket done, an appointment done, a case resolved
  kAbandoned,  // a knock that left before admission, a ticket cancelled or expired unserved
  kNoShow,     // a called ticket or a booked appointment nobody came to
  kOther,      // refused (a rejected knock): counted as a contact only
};

struct ContactFact {
  std::string enteId, officeId;
  std::optional<std::string> serviceId, operatorId;
  std::string channel;  // visit | ticket | appointment | case | phone
  ContactOutcome outcome = ContactOutcome::kServed;
  int64_t arrivedAt = 0;                 // knock, ticket issued, appointment start, case opened
  std::optional<int64_t> startedAt;      // admitted, called (waiting ends here)
  int64_t endedAt = 0;                   // the contact's end (service time: startedAt → endedAt)
  std::optional<bool> firstContactResolved;  // known for visits with an outcome and cases
};

// Set by the figures (feedback) on the owning capability's service; runs inside its write
// transaction: an error rolls the contact back with it.
using ContactHook = std::function<Status(Tx&, const ContactFact&)>;

}  // namespace sportello
