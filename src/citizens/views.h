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

// One appointment of the personal area (docs/API.md, "Personal area").
struct AreaAppointment {
  std::string code, officeName, day, start, state, mode;
  int64_t startUtc = 0;
};
// The personal area: what the citizen claimed or made while signed in.
struct AreaView {
  std::vector<AreaAppointment> appointments;
};
Json toJson(const AreaView& v);

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
