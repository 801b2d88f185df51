// Cases' SQL (migration 600): cases, their timeline, callbacks, the escalation chain per ente,
// canned answers per office, attachments, and the full-text index (SQLite FTS5 table
// `cases_fts`; PostgreSQL GIN index on to_tsvector('simple', search_text)). Every function runs
// on the caller's connection (inside its transaction, for writes).
#pragma once

#include "cases/types.h"
#include "platform/database.h"

namespace sportello::cases::store {

std::vector<Migration> migrations();

Status insertCase(sql::Connection& c, const StoredCase& k);
Status updateCase(sql::Connection& c, const StoredCase& k);
// Only updated_at (a note, a reply, an attachment): touches no index.
Status touchCase(sql::Connection& c, const std::string& id, int64_t now);
Result<StoredCase> caseById(sql::Connection& c, const std::string& id);
Result<StoredCase> caseByCode(sql::Connection& c, const std::string& code);
Result<bool> codeTaken(sql::Connection& c, const std::string& code);
Result<std::vector<StoredCase>> search(sql::Connection& c, const CaseFilter& f);
// Adds `text` to what the full-text search finds for the case.
Status indexText(sql::Connection& c, const std::string& caseId, const std::string& text);

// Appends to the timeline (seq = last + 1) and returns the entry as stored.
Result<TimelineEntry> append(sql::Connection& c, TimelineEntry e);
// visibleOnly: the citizen's view.
Result<std::vector<TimelineEntry>> timeline(sql::Connection& c, const std::string& caseId,
                                            bool visibleOnly);
Result<TimelineEntry> entry(sql::Connection& c, const std::string& caseId, const std::string& id);
// Whether any of `officeIds` handled the case at some point (its timeline names them).
Result<bool> officeTouched(sql::Connection& c, const std::string& caseId,
                           const std::vector<std::string>& officeIds);

Status insertCallback(sql::Connection& c, const Callback& b);
Result<Callback> callback(sql::Connection& c, const std::string& id);
// Open callbacks (not done) of the ente, optionally of some offices / only overdue ones.
Result<std::vector<Callback>> callbacks(sql::Connection& c, const std::string& enteId,
                                        const std::vector<std::string>& officeIds, bool overdueOnly,
                                        int64_t now, const std::string& caseId);
Result<bool> completeCallback(sql::Connection& c, const std::string& id, const std::string& by,
                              const std::string& outcome, int64_t now);
// A desk takes the due callback from the one line (compare-and-set: open, not taken, not
// assigned to someone else); it is then assigned to `operatorId`. False when it was not free.
Result<bool> takeCallback(sql::Connection& c, const std::string& id, const std::string& operatorId,
                          int64_t now);

Result<std::vector<EscalationLevel>> escalationChain(sql::Connection& c, const std::string& enteId);
Status setEscalationChain(sql::Connection& c, const std::string& enteId,
                          const std::vector<EscalationLevel>& chain);

Result<std::vector<CannedAnswer>> cannedAnswers(sql::Connection& c, const std::string& officeId);
Result<CannedAnswer> cannedAnswer(sql::Connection& c, const std::string& id);
Status upsertCannedAnswer(sql::Connection& c, const CannedAnswer& a);
Result<bool> deleteCannedAnswer(sql::Connection& c, const std::string& id);

Status insertAttachment(sql::Connection& c, const Attachment& a, const std::string& bytes);
Result<std::vector<Attachment>> attachments(sql::Connection& c, const std::string& caseId);
// The attachment and its bytes.
Result<std::pair<Attachment, std::string>> attachment(sql::Connection& c, const std::string& caseId,
                                                      const std::string& id);

// Per office of the ente: cases opened there (created_at ≥ since), resolved, resolved at first
// contact.
Result<std::vector<OfficeFcr>> fcrByOffice(sql::Connection& c, const std::string& enteId,
                                           int64_t since);

}  // namespace sportello::cases::store
