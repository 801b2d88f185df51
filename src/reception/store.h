// Reception's SQL (migration 400): visits, visit messages, callback requests, kiosks.
// Every function runs on the caller's connection (inside its transaction, for writes).
#pragma once

#include <map>

#include "platform/database.h"
#include "reception/types.h"

namespace sportello::reception::store {

std::vector<Migration> migrations();

// Next knock number of the ente (1, 2, …), taken inside the caller's transaction.
Result<int64_t> nextKnockNo(sql::Connection& c, const std::string& enteId);

Status insertVisit(sql::Connection& c, const Visit& v);
Result<Visit> visit(sql::Connection& c, const std::string& id);
// Waiting (oldest first) or admitted visits of an office; ended: newest first.
Result<std::vector<Visit>> visitsOf(sql::Connection& c, const std::string& officeId,
                                    VisitState state, int64_t limit);
// Changes a visit's state only if it is still `from` (compare-and-set): false when someone
// else changed it first.
Result<bool> admit(sql::Connection& c, const std::string& id, const std::string& operatorId,
                   int64_t now);
Status update(sql::Connection& c, const Visit& v);
// The first waiting visit of an office that `operatorId` may admit (not reserved for another
// operator), if any.
Result<std::optional<std::string>> oldestWaiting(sql::Connection& c, const std::string& officeId,
                                                 const std::string& operatorId);
// A new citizen token for the visit (an appointment's visit asked for again).
// Liveness: the citizen's page of visit `id` is connected at `now` (waiting or admitted only).
// True when the visit is shown as disconnected (it has to be given its place back).
Result<bool> touch(sql::Connection& c, const std::string& id, int64_t now);
// The citizen gave a sign of being there at `now`: no open question; `back` also clears the
// disconnection an unanswered question caused.
Status markHere(sql::Connection& c, const std::string& id, int64_t now, bool back);
// Waiting or admitted visits whose citizen was last seen before `seenBefore`, admitted ones
// whose operator's console was last seen live before `operatorSeenBefore`, waiting ones with no
// sign of their citizen since `idleBefore` (to ask "ci sei ancora?") and waiting ones asked
// before `askedBefore` and not answered.
Result<std::vector<Visit>> staleVisits(sql::Connection& c, int64_t seenBefore,
                                       int64_t operatorSeenBefore, int64_t idleBefore,
                                       int64_t askedBefore, int64_t limit);
Result<int64_t> operatorSeenAt(sql::Connection& c, const std::string& operatorId);
Status setTokenHash(sql::Connection& c, const std::string& id, const std::string& tokenHash);
// The visit in which the operator has an active call, other than `except`.
Result<std::optional<std::string>> activeCallOf(sql::Connection& c, const std::string& operatorId,
                                                const std::string& except);

// The workspace's contact settings (migration 404): of the ente (officeId "") or of one office
// (unset fields: as the ente), as stored.
Result<ContactSettings> settings(sql::Connection& c, const std::string& enteId,
                                 const std::string& officeId);
// The settings that apply to an office: its own fields, else the ente's.
Result<ContactSettings> effectiveSettings(sql::Connection& c, const std::string& enteId,
                                          const std::string& officeId);
Status saveSettings(sql::Connection& c, const std::string& enteId, const std::string& officeId,
                    const ContactSettings& s, int64_t now);
// Internal notes on a visit (migration 405), oldest first.
Status insertNote(sql::Connection& c, const VisitNote& n);
Result<std::vector<VisitNote>> notesOf(sql::Connection& c, const std::string& visitId);
// Every office (any ente) whose effective setting assigns contacts automatically.
Result<std::vector<std::string>> autoAssignOffices(sql::Connection& c);
// Takes the operator's load row (created if missing) for the rest of the transaction: on
// PostgreSQL a row lock, so two nodes admitting for one operator count their conversations one
// after the other (the cap holds across nodes); on SQLite the single writer already does.
Status lockOperatorLoad(sql::Connection& c, const std::string& operatorId);
// The operator's admitted visits (every office).
Result<int64_t> activeVisitsOf(sql::Connection& c, const std::string& operatorId);
// The ente's admitted visits, oldest admission first (supervision).
Result<std::vector<Visit>> admittedOf(sql::Connection& c, const std::string& enteId,
                                      int64_t limit);
// In which order each operator was last given a contact automatically (0: never; a counter,
// not a time, so the order holds under a still clock and within one transaction).
Result<std::map<std::string, int64_t>> lastAssigned(sql::Connection& c,
                                                    const std::vector<std::string>& operatorIds);
// `operatorId` was just given a contact: the new highest number, returned.
Result<int64_t> markAssigned(sql::Connection& c, const std::string& operatorId);
// Moves an admitted visit from operator `from` to `to` (compare-and-set; any call ends).
Result<bool> reassign(sql::Connection& c, const std::string& id, const std::string& from,
                      const std::string& to);
// The office's waiting, connected, unreserved visits in knock order (automatic assignment).
Result<std::vector<std::string>> assignable(sql::Connection& c, const std::string& officeId,
                                            int64_t limit);

// Position in line (1 = next) and the figures shown in the waiting room.
//
// The waiting room's place of `v` in its office's one line at `now`: the connected visits that
// knocked first plus the hall's waiting tickets for the office's services served before it —
// those issued before it knocked, priority ones, appointments due within `graceMs`.
Result<int64_t> position(sql::Connection& c, const Visit& v, int64_t now, int64_t graceMs);
// Where an arrival at `at` stands among the office's waiting knock numbers (queue events'
// `k`): half past the last waiting walk-in knock made by then (or just before the first; with
// `aheadOfAll`, always just before the first), so the waiting rooms of later knocks move.
// nullopt when no walk-in waits: nobody to tell.
Result<std::optional<double>> lineMark(sql::Connection& c, const std::string& officeId, int64_t at,
                                       bool aheadOfAll);
// The connected knocks on `officeId` waiting ahead of a phone ticket issued at `issuedAt`
// (appointments' visits, and walk-ins who knocked first).
Result<int64_t> knocksAhead(sql::Connection& c, const std::string& officeId, int64_t issuedAt);
Result<QueueFigures> figures(sql::Connection& c, const std::string& officeId);

// Messages: appended with the visit's next seq; a repeated (sender, client_id) returns the
// stored message instead (retries never duplicate).
Result<Message> appendMessage(sql::Connection& c, Visit& v, const std::string& from,
                              const std::string& body, const std::string& clientId, int64_t now);
Result<std::vector<Message>> messages(sql::Connection& c, const std::string& visitId,
                                      int64_t after);

Status insertCallback(sql::Connection& c, const CallbackRequest& r, int64_t now);
Result<CallbackRequest> callback(sql::Connection& c, const std::string& enteId,
                                 const std::string& id);
Result<std::vector<CallbackRequest>> callbacks(sql::Connection& c, const std::string& enteId,
                                               const std::vector<std::string>& officeIds,
                                               const std::string& state);
Status markCallbackDone(sql::Connection& c, const std::string& id, const std::string& by,
                        const std::string& note, int64_t now);

Status insertKiosk(sql::Connection& c, const Kiosk& k, const std::string& tokenHash, int64_t now);
Result<std::vector<Kiosk>> kiosks(sql::Connection& c, const std::string& enteId);
Result<Kiosk> kiosk(sql::Connection& c, const std::string& enteId, const std::string& id);
Result<Kiosk> kioskByToken(sql::Connection& c, const std::string& tokenHash);
Status setKioskToken(sql::Connection& c, const std::string& id, const std::string& tokenHash);
Status deactivateKiosk(sql::Connection& c, const std::string& id);
Status touchKiosk(sql::Connection& c, const std::string& id, int64_t now);

// Privacy: forgets the name, topic, transcript and comment of visits ended before `before`,
// and the contact data of callback requests done before it. Returns the visits purged.
Result<int64_t> purgePersonalData(sql::Connection& c, int64_t before);

}  // namespace sportello::reception::store
