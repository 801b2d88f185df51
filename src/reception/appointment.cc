#include "reception/appointment.h"

#include "core/token.h"
#include "platform/rights.h"
#include "reception/service.h"
#include "reception/store.h"

namespace sportello::reception {

Result<AppointmentVisit> knockForAppointment(Tx& tx, const AppointmentKnock& in) {
  auto& c = tx.conn();
  AppointmentVisit out;
  out.token = newSecret();
  std::string hash = sha256Hex(out.token);
  if (in.existingVisit) {
    auto v = store::visit(c, *in.existingVisit);
    if (v.ok() && (v->state == VisitState::kWaiting || v->state == VisitState::kAdmitted)) {
      SP_TRY(store::setTokenHash(c, v->id, hash));
      // The tab holding the old token no longer follows (nor signals on) the visit.
      SP_TRY(revokeTopic(tx, visitTopic(v->id)));
      if (v->state == VisitState::kWaiting && v->officeId == in.officeId &&
          v->reservedFor != in.operatorId) {
        v->reservedFor = in.operatorId;  // the booking's assignment changed meanwhile
        SP_TRY(store::update(c, v.value()));
        SP_ASSIGN(auto fresh, store::visit(c, v->id));
        SP_TRY(tx.emit(staffTopic(fresh.officeId), "visit.updated", toJson(fresh)));
      }
      out.visitId = v->id;
      return out;
    }
  }
  Visit v;
  v.id = newId();
  v.enteId = in.enteId;
  v.officeId = in.officeId;
  v.tokenHash = hash;
  v.mode = Mode::kVideo;
  v.channel = VisitChannel::kAppointment;
  v.name = in.name;
  v.topic = in.topic;
  v.knockedAt = tx.nowMs();
  v.reservedFor = in.operatorId;
  SP_ASSIGN(int64_t n, store::nextKnockNo(c, v.enteId));
  v.knockNo = n - kAppointmentKnockOffset;
  SP_TRY(store::insertVisit(c, v));
  SP_ASSIGN(v, store::visit(c, v.id));
  // Ahead of everyone waiting: each waiting citizen (k < own knock_no) adds one.
  SP_TRY(tx.emit(queueTopic(v.officeId), "queue.joined", {{"k", v.knockNo}}));
  SP_TRY(tx.emit(staffTopic(v.officeId), "visit.knocked", toJson(v)));
  out.visitId = v.id;
  out.created = true;
  return out;
}

Status withdrawAppointmentVisit(Tx& tx, const std::string& visitId) {
  auto v = store::visit(tx.conn(), visitId);
  if (!v.ok() || v->state != VisitState::kWaiting) return okStatus();
  v->state = VisitState::kLeft;
  v->endedAt = tx.nowMs();
  v->endedBy = "citizen";
  SP_TRY(store::update(tx.conn(), v.value()));
  SP_TRY(tx.emit(queueTopic(v->officeId), "queue.left", {{"k", v->knockNo}, {"why", "left"}}));
  SP_TRY(tx.emit(visitTopic(v->id), "visit.left", Json::object()));
  return tx.emit(staffTopic(v->officeId), "visit.updated", toJson(v.value()));
}

}  // namespace sportello::reception
