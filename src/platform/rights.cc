#include "platform/rights.h"

namespace sportello {

Status revokeStaff(Tx& tx, const std::string& operatorId) {
  return tx.emit(kRightsTopic, "rights.staff", {{"operator_id", operatorId}});
}

Status revokeTopic(Tx& tx, const std::string& topic) {
  return tx.emit(kRightsTopic, "rights.topic", {{"topic", topic}});
}

}  // namespace sportello
