// What reception's use cases answer, as typed values: the routes render them with `toJson`
// (the one place each answer's JSON shape is written), and the events that carry the same
// shape (a visit on office:{id}:staff, a message on visit:{id}, a callback request) are built
// from the same `toJson`. No token hash or other secret of the store is ever part of a view,
// except the holder's own token in the answers that mint it (`Knocked`, `KioskSecret`).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/json_fields.h"
#include "reception/types.h"

namespace sportello::reception {

// An office as the visit pages name it.
struct OfficeRef {
  std::string id, slug, name;
};

// Whether an office receives by one channel (chat, video) now.
struct ModeStatus {
  bool offered = false, open = false;
  std::optional<std::chrono::sys_seconds> nextOpensAt, closesAt;  // closesAt: when open
};

// GET …/offices/{office}/reception: what the citizen sees before knocking.
struct ReceptionStatus {
  OfficeRef office;
  ModeStatus chat, video;
  bool canKnockChat = false, canKnockVideo = false;  // offered, open and an operator on duty
  QueueFigures figures;
  int64_t estimatedWaitMs = 0;  // for one more knock
  std::string queueTopic;
};

// GET …/widget?offices=a,b: what the widget's button on a Comune's site shows before anything
// is framed (public; no personal data): each office open or not, and whether the asking page's
// origin may frame the panel (the ente's embed_origins) or the flow must open in a new tab.
struct WidgetOffice {
  OfficeRef office;
  bool open = false;      // chat or video within their hours now
  bool canKnock = false;  // open and an operator on duty: a knock is taken now
  std::optional<std::chrono::sys_seconds> nextOpensAt;  // when not open
};
struct WidgetStatus {
  std::vector<WidgetOffice> offices;
  bool framing = false;
};

// A visit as its waiting room shows it: the visit, its place in line and the topics to follow,
// read in one transaction so that `position` and `queueSeq` describe the same moment.
struct VisitView {
  Visit visit;
  std::optional<int64_t> position;  // while waiting
  std::string queueTopic, visitTopic;
  int64_t queueSeq = 0, visitSeq = 0;
  QueueFigures figures;
  int64_t estimatedWaitMs = 0;
};

// A knock just made: the visit and the citizen's token (shown once).
struct Knocked {
  VisitView visit;
  std::string token;
};

// A message left: its code and office, plus what the callback hook added (cases: the case it
// opened), rendered as given.
struct CallbackReceipt {
  std::string code;
  OfficeRef office;
  Json extra = Json::object();
};

// A visit's chat after a sequence number, with both parties' read marks.
struct MessagePage {
  std::vector<Message> messages;
  int64_t citizenRead = 0, operatorRead = 0;
};

// WebRTC configuration for the parties of a visit in progress.
struct IceServer {
  std::vector<std::string> urls;
  std::optional<std::string> username, credential;  // TURN REST credentials, when configured
};
struct IceConfig {
  std::vector<IceServer> servers;
  std::string transportPolicy;
  int ttlSeconds = 0;
};

// The operator's console: per office they serve, who waits and who is being received.
struct ConsoleOffice {
  std::string id, slug, name;
  std::vector<std::string> channels;
  std::vector<Visit> waiting, active;
  QueueFigures figures;
  std::string staffTopic;
};
struct Console {
  std::vector<ConsoleOffice> offices;
};

// GET/PUT …/contact-settings: the stored settings of the ente or of an office (unset: null),
// and for an office what applies to it (its own, else the ente's).
struct ContactSettingsView {
  std::optional<OfficeRef> office;  // none: the ente's
  ContactSettings own, effective;
};

// A kiosk with its device token (shown once, on creation and on a new token).
struct KioskSecret {
  Kiosk kiosk;
  std::string token;
};

// What a kiosk shows at rest: itself, its ente, its office's reception status.
struct KioskHome {
  Kiosk kiosk;
  std::string enteSlug, enteName, primaryColor;
  std::optional<std::string> logoUrl;
  ReceptionStatus reception;
};

// The visit as its parties see it (no token hash).
Json toJson(const Visit& v);
Json toJson(const Message& m);
Json toJson(const CallbackRequest& r);
Json toJson(const Kiosk& k);
Json toJson(const OfficeRef& o);
Json toJson(const ReceptionStatus& s);
Json toJson(const WidgetStatus& w);
Json toJson(const VisitView& v);
Json toJson(const Knocked& k);
Json toJson(const CallbackReceipt& r);
Json toJson(const MessagePage& p);
Json toJson(const IceConfig& c);
Json toJson(const Console& c);
Json toJson(const ContactSettingsView& s);
Json toJson(const VisitNote& n);
Json toJson(const KioskSecret& k);
Json toJson(const KioskHome& h);

}  // namespace sportello::reception
