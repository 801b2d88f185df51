#include "knowledge/views.h"

#include "core/clock.h"
#include "knowledge/model/markdown.h"

namespace sportello::knowledge {

namespace {

Json loc(const Localized& l) {
  return Json{{"it", l.it}, {"en", l.en}};
}

Json optStr(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json(nullptr);
}

Json officesJson(const Links& l) {
  Json out = Json::array();
  for (const auto& o : l.offices) out.push_back({{"id", o.id}, {"slug", o.slug}, {"name", o.name}});
  return out;
}

Json servicesJson(const Links& l, bool withOffice) {
  Json out = Json::array();
  for (const auto& s : l.services) {
    Json j{{"id", s.id}, {"prefix", s.prefix}, {"name", s.name}};
    if (withOffice) j["office"] = optStr(s.officeId);
    out.push_back(std::move(j));
  }
  return out;
}

Localized rendered(const Localized& md) {
  return Localized{renderMarkdown(md.it), renderMarkdown(md.en)};
}

void addHtml(Json& j, const RenderedText& h) {
  j["body_html"] = loc(h.body);
  j["documents_html"] = loc(h.documents);
  j["fees_html"] = loc(h.fees);
  j["steps_html"] = loc(h.steps);
  j["audience_html"] = loc(h.audience);
}

}  // namespace

RenderedText renderAll(const ArticleText& t) {
  return RenderedText{rendered(t.body), rendered(t.documents), rendered(t.fees), rendered(t.steps),
                      rendered(t.audience)};
}

Json toJson(const ArticleItem& a) {
  Json j{{"slug", a.slug},
         {"title", a.title},
         {"summary", a.summary},
         {"offices", officesJson(a.links)},
         {"services", servicesJson(a.links, false)}};
  if (a.score) j["score"] = *a.score;
  return j;
}

Json toJson(const SearchResults& r) {
  Json out = jsonArray(r.results);
  return Json{{"results", std::move(out)}, {"q", r.q}};
}

Json toJson(const ArticleList& l) {
  Json out = jsonArray(l.articles);
  return Json{{"articles", std::move(out)}};
}

Json toJson(const PublicArticle& a) {
  return Json{{"article",
               {{"slug", a.slug},
                {"title", a.title},
                {"summary", a.summary},
                {"body_html", a.bodyHtml},
                {"documents_html", a.documentsHtml},
                {"fees_html", a.feesHtml},
                {"steps_html", a.stepsHtml},
                {"audience_html", a.audienceHtml},
                {"valid_until", optStr(a.validUntil)},
                {"updated_at", formatIsoMs(a.updatedAt)},
                {"offices", officesJson(a.links)},
                {"services", servicesJson(a.links, true)}}}};
}

Json toJson(const StaffArticle& s) {
  const Article& a = s.article;
  Json by = nullptr;
  if (a.updatedById) by = Json{{"id", *a.updatedById}, {"name", a.updatedByName.value_or("")}};
  Json j{{"id", a.id},
         {"slug", a.slug},
         {"status", statusName(a.status)},
         {"version", a.version},
         {"title", loc(a.text.title)},
         {"summary", loc(a.text.summary)},
         {"body", loc(a.text.body)},
         {"documents", loc(a.text.documents)},
         {"fees", loc(a.text.fees)},
         {"steps", loc(a.text.steps)},
         {"audience", loc(a.text.audience)},
         {"valid_from", optStr(a.validFrom)},
         {"valid_until", optStr(a.validUntil)},
         {"offices", officesJson(s.links)},
         {"services", servicesJson(s.links, true)},
         {"updated_at", formatIsoMs(a.updatedAt)},
         {"updated_by", by},
         {"created_at", formatIsoMs(a.createdAt)}};
  if (s.html) addHtml(j, *s.html);
  if (s.feedback) {
    j["helpful"] = s.feedback->helpful;
    j["not_helpful"] = s.feedback->notHelpful;
    j["ended"] = s.feedback->ended;
  }
  return j;
}

Json toJson(const StaffArticleList& l) {
  Json out = jsonArray(l.articles);
  return Json{{"articles", std::move(out)}};
}

Json toJson(const StaffArticleDetail& d) {
  return Json{{"article", toJson(d.article)},
              {"helpful", d.feedback.helpful},
              {"not_helpful", d.feedback.notHelpful},
              {"ended", d.feedback.ended}};
}

Json toJson(const ArticleVersion& v) {
  Json author = nullptr;
  if (v.authorId) author = Json{{"id", *v.authorId}, {"name", v.authorName.value_or("")}};
  return Json{{"version", v.version},
              {"status", statusName(v.status)},
              {"at", formatIsoMs(v.at)},
              {"author", author},
              {"title", v.titleIt}};
}

Json toJson(const VersionList& l) {
  Json out = jsonArray(l.versions);
  return Json{{"versions", std::move(out)}};
}

Json toJson(const VersionSnapshot& s) {
  Json j = s.saved;
  addHtml(j, s.html);
  return Json{{"article", std::move(j)}};
}

Json toJson(const FeedbackReceipt& r) {
  return Json{{"recorded", true}, {"id", r.id}};
}

}  // namespace sportello::knowledge
