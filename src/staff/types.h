// Staff: operators (roles operator < supervisor < admin, membership of offices,
// presence) and their login sessions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sportello::staff {

enum class Role { kOperator = 0, kSupervisor = 1, kAdmin = 2 };
const char* roleName(Role r);
std::optional<Role> parseRole(std::string_view s);

struct OfficeRef {
  std::string id, slug, name;
};

struct Operator {
  std::string id, enteId, username, displayName, email;
  Role role = Role::kOperator;
  std::string presence = "away";  // available | busy | away
  bool active = true;
  std::vector<OfficeRef> offices;
};

// Who is calling, established from the session cookie on each request.
struct StaffContext {
  Operator op;
  std::string enteSlug;
  std::string sessionHash;
  std::string csrfToken;
  bool inOffice(const std::string& officeId) const {
    for (const auto& o : op.offices) {
      if (o.id == officeId) return true;
    }
    return false;
  }
};

}  // namespace sportello::staff
