#include "staff/lookup.h"

#include "staff/store.h"

namespace sportello::staff::lookup {

bool serves(const StaffContext& ctx, const std::string& enteId, const std::string& officeId) {
  if (ctx.op.enteId != enteId) return false;
  return ctx.op.role != Role::kOperator || ctx.inOffice(officeId);
}

Result<Operator> operatorById(sql::Connection& c, const std::string& enteId,
                              const std::string& id) {
  return store::operatorById(c, enteId, id);
}

Result<std::vector<Operator>> operatorsOf(sql::Connection& c, const std::string& enteId) {
  return store::listOperators(c, enteId);
}

}  // namespace sportello::staff::lookup
