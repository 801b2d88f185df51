// The info point's SQL (migrations 1000+): settings, areas, turnstiles, visitors with their
// pass, checks and the views of the visitor list. Every function runs on the caller's
// connection (inside its transaction, for writes); private to src/visitors
// (docs/ARCHITECTURE.md, "Capabilities").
#pragma once

#include "platform/database.h"
#include "visitors/types.h"

namespace sportello::visitors::store {

std::vector<Migration> migrations();

// The ente's settings (defaults when it never set them).
Result<Settings> settings(sql::Connection& c, const std::string& enteId);
Status saveSettings(sql::Connection& c, const Settings& s, int64_t now);

Result<std::vector<Area>> areas(sql::Connection& c, const std::string& enteId);
Result<Area> area(sql::Connection& c, const std::string& enteId, const std::string& id);
Status insertArea(sql::Connection& c, const Area& a, int64_t now);
// Renames and replaces the offices.
Status updateArea(sql::Connection& c, const Area& a);
Status deleteArea(sql::Connection& c, const std::string& id);
// The areas an office belongs to.
Result<std::vector<std::string>> areasOfOffice(sql::Connection& c, const std::string& officeId);

Status insertTurnstile(sql::Connection& c, const Turnstile& t, const std::string& tokenHash,
                       int64_t now);
Result<std::vector<Turnstile>> turnstiles(sql::Connection& c, const std::string& enteId);
Result<Turnstile> turnstile(sql::Connection& c, const std::string& enteId, const std::string& id);
// The active turnstile with that token hash (kNotFound otherwise).
Result<Turnstile> turnstileByToken(sql::Connection& c, const std::string& tokenHash);
Status setTurnstileToken(sql::Connection& c, const std::string& id, const std::string& tokenHash);
Status deactivateTurnstile(sql::Connection& c, const std::string& id);
Status touchTurnstile(sql::Connection& c, const std::string& id, int64_t now);

Status insertVisitor(sql::Connection& c, const Visitor& v, const std::optional<std::string>& passHash);
Result<Visitor> visitor(sql::Connection& c, const std::string& enteId, const std::string& id);
Result<Visitor> visitorByPass(sql::Connection& c, const std::string& passHash);
// Confirms an expected visitor and gives it a pass (only while still expected: else kConflict).
Status confirm(sql::Connection& c, const Visitor& v, const std::string& passHash);
// A new pass token (the old one stops working) and window, not revoked.
Status replacePass(sql::Connection& c, const Visitor& v, const std::string& passHash);
Status revokePass(sql::Connection& c, const std::string& id, int64_t now);
// The pass's state after an allowed check, only if nobody changed it since `v.checkSeq` was
// read: false when another check came first.
Result<bool> movePass(sql::Connection& c, const Visitor& v, int64_t now);
Status insertCheck(sql::Connection& c, const CheckRecord& r);

struct VisitorFilter {
  std::string enteId;
  int64_t from = 0, to = 0;  // created, expected or valid within [from, to)
  std::optional<std::vector<std::string>> officeIds;  // nullopt: every office
};
Result<std::vector<Visitor>> visitors(sql::Connection& c, const VisitorFilter& f);
// Who is inside an area now, by area then entry time.
Result<std::vector<Visitor>> inside(sql::Connection& c, const std::string& enteId);

// Entries allowed and checks denied per hour [from, to).
Result<std::vector<HourCount>> checksPerHour(sql::Connection& c, const std::string& enteId,
                                             int64_t from, int64_t to);

Status insertListView(sql::Connection& c, const std::string& enteId, const ListView& v);
Result<std::vector<ListView>> listViews(sql::Connection& c, const std::string& enteId,
                                        int64_t since);

// Day closing: passes still inside after their window flagged (returns (visitor, ente) ids).
Result<std::vector<std::pair<std::string, std::string>>> flagOverstays(sql::Connection& c,
                                                                      int64_t now);
// Retention: visitors whose last moment (exit, end of pass, expected time, creation) is before
// `before` are deleted, and their checks kept without them (counts for the reports).
Result<int64_t> eraseVisitors(sql::Connection& c, const std::string& enteId, int64_t before);
// The enti that have visitors, with their retention in hours.
Result<std::vector<std::pair<std::string, int64_t>>> retentionByEnte(sql::Connection& c);
// The views log and checks older than `before`.
Result<int64_t> purgeLogs(sql::Connection& c, int64_t before);

}  // namespace sportello::visitors::store
