// What the citizens capability answers (docs/API.md, "Citizens"), each with one toJson.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "citizens/types.h"

namespace sportello::citizens {

using Json = nlohmann::json;

// A provider as the ente's admin sees it: never the secret nor the private key.
struct ProviderView {
  Provider p;
};
Json toJson(const ProviderView& v);

// A provider as the sign-in buttons need it.
struct PublicProvider {
  std::string key, label;
};
Json toJson(const PublicProvider& v);

// The signed-in citizen: the kept attributes, the CSRF token for changes.
struct CitizenView {
  Citizen citizen;
  std::string enteSlug;
  std::string csrf;
  std::string providerKey;
};
Json toJson(const CitizenView& v);

// After sign-out: where the browser goes to end the provider's session too, if it offers one.
struct LogoutView {
  std::optional<std::string> endSessionUrl;
};
Json toJson(const LogoutView& v);

// The personal area (docs/API.md, "Personal area"): what the citizen claimed or made while
// signed in, on the session's ente only. Each object carries the rating given to it, if any.
struct AreaRating {
  std::string score;                 // positive | neutral | negative
  std::vector<std::string> reasons;
  std::string comment;
  int64_t ratedAt = 0;
};
struct AreaAppointment {
  std::string code, officeName, day, start, state, mode;
  int64_t startUtc = 0;
  bool changeable = false;  // booked and not started: the area may move or cancel it
  std::optional<AreaRating> rating;
};
struct AreaMessage {
  std::string from, body;            // from: citizen | operator | system
  std::optional<std::string> operatorName;
  int64_t at = 0;
};
struct AreaVisit {
  std::string id, officeName, state, mode, channel, topic;
  int64_t knockedAt = 0;
  std::optional<int64_t> endedAt;
  std::vector<AreaMessage> transcript;
  std::optional<AreaRating> rating;
};
struct AreaCaseEntry {
  std::string kind, body, state;     // state: for a state change, the new state
  int64_t at = 0;
};
struct AreaCase {
  std::string code, subject, officeName, state, stateIt, stateEn;
  int64_t createdAt = 0, updatedAt = 0;
  std::vector<AreaCaseEntry> timeline;  // only what the citizen may see
  std::optional<AreaRating> rating;
};
struct AreaTicket {
  std::string id, code, serviceName, state, day;
  std::optional<std::string> counterName;
  int64_t issuedAt = 0;
  std::optional<int64_t> calledAt;
  std::optional<AreaRating> rating;
};
struct AreaView {
  std::vector<AreaVisit> visits;             // newest first
  std::vector<AreaCase> cases;               // newest first
  std::vector<AreaAppointment> appointments; // by start time
  std::vector<AreaTicket> tickets;           // today's (the ente's local day), newest first
};
Json toJson(const AreaView& v);

// A signed-in citizen's earlier contacts, as an operator serving the current contact sees
// them: only the ones of offices that operator serves, never a transcript nor a note.
struct EarlierContact {
  std::string kind;   // visit | case | appointment | ticket
  std::string ref;    // visit id, case code, booking code, ticket code
  std::string officeName, state, summary;  // summary: a case's subject, a visit's topic, …
  int64_t at = 0;
};
struct EarlierContacts {
  bool verified = false;
  std::vector<EarlierContact> contacts;  // newest first, at most 50
};
Json toJson(const EarlierContacts& v);

// What an operator sees of the citizen behind a contact: "identità verificata (SPID/CIE)"
// and the fiscal number, or nothing.
struct ContactIdentity {
  bool verified = false;
  Citizen citizen;
};
Json toJson(const ContactIdentity& v);

// A claimed object.
struct ClaimView {
  std::string kind, ref;
  bool already = false;  // this citizen had claimed it before
};
Json toJson(const ClaimView& v);

}  // namespace sportello::citizens
