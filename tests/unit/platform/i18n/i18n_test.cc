// The request's language and the English of error messages (platform/i18n.h), with the real
// compiled-in catalog.
#include "platform/i18n.h"

#include <gtest/gtest.h>

namespace sportello::i18n {
namespace {

TEST(RequestLang, QueryWinsThenAcceptLanguageThenItalian) {
  EXPECT_EQ(requestLang("", ""), Lang::kIt);
  EXPECT_EQ(requestLang("lang=en", ""), Lang::kEn);
  EXPECT_EQ(requestLang("a=1&lang=en", "it"), Lang::kEn);
  EXPECT_EQ(requestLang("lang=it", "en"), Lang::kIt);
  EXPECT_EQ(requestLang("lang=de", "en"), Lang::kEn);  // unsupported: the header decides
  EXPECT_EQ(requestLang("xlang=en", ""), Lang::kIt);
}

TEST(RequestLang, AcceptLanguageQValues) {
  EXPECT_EQ(requestLang("", "en-GB,en;q=0.9"), Lang::kEn);
  EXPECT_EQ(requestLang("", "fr, it;q=0.5"), Lang::kIt);
  EXPECT_EQ(requestLang("", "fr, en;q=0.5, it;q=0.8"), Lang::kIt);
  EXPECT_EQ(requestLang("", "it;q=0.2, EN-us;q=0.3"), Lang::kEn);
  EXPECT_EQ(requestLang("", "en;q=0, it;q=0.1"), Lang::kIt);
  EXPECT_EQ(requestLang("", "en;q=0"), Lang::kIt);        // not acceptable
  EXPECT_EQ(requestLang("", "en, it"), Lang::kEn);        // a tie: the first listed
  EXPECT_EQ(requestLang("", "*"), Lang::kIt);             // what Node's fetch sends
  EXPECT_EQ(requestLang("", "en;q=abc, it"), Lang::kIt);  // a malformed q counts as 0
  EXPECT_EQ(requestLang("", "de-DE"), Lang::kIt);
}

TEST(Translate, ExactAndUnknown) {
  EXPECT_EQ(translate("JSON non valido", Lang::kEn), "Invalid JSON");
  EXPECT_EQ(translate("JSON non valido", Lang::kIt), "JSON non valido");
  EXPECT_EQ(translate("un messaggio che non esiste", Lang::kEn), "un messaggio che non esiste");
  EXPECT_EQ(translate("", Lang::kEn), "");
}

TEST(Translate, DynamicPartsKeptAsIs) {
  EXPECT_EQ(translate("campo obbligatorio: citizen.email", Lang::kEn),
            "required field: citizen.email");
  EXPECT_EQ(translate("motivo sconosciuto: xyz: abc", Lang::kEn), "unknown reason: xyz: abc");
  EXPECT_EQ(translate("testo troppo lungo in message (massimo 2000 caratteri)", Lang::kEn),
            "text too long in message (at most 2000 characters)");
  EXPECT_EQ(translate("valore fuori intervallo in limit (1–500)", Lang::kEn),
            "value out of range in limit (1–500)");
  // A hole must hold something: the bare prefix is not a match.
  EXPECT_EQ(translate("campo obbligatorio: ", Lang::kEn), "campo obbligatorio: ");
}

TEST(Translate, KnownPartsInsideAreTranslatedToo) {
  EXPECT_EQ(translate("Troppi tentativi di accesso. Riprova tra 5 minuti.", Lang::kEn),
            "Too many sign-in attempts. Try again in 5 minutes.");
  EXPECT_EQ(translate("Troppi tentativi di accesso. Riprova tra 1 secondo.", Lang::kEn),
            "Too many sign-in attempts. Try again in 1 second.");
  EXPECT_EQ(translate("accesso a questi aggiornamenti terminato: non autorizzato", Lang::kEn),
            "access to these updates has ended: not authorised");
  EXPECT_EQ(translate("sede non trovato", Lang::kEn), "site not found");
}

TEST(LocalizeError, MessageOnlyAndContentLanguage) {
  http::Response res = http::error(Errc::kInvalid, "campo obbligatorio: name", "name");
  localizeError(res, Lang::kEn);
  EXPECT_EQ(res[http::bhttp::field::content_language], "en");
  auto j = Json::parse(res.body());
  EXPECT_EQ(j["error"]["code"], "invalid");
  EXPECT_EQ(j["error"]["field"], "name");
  EXPECT_EQ(j["error"]["message"], "required field: name");
  EXPECT_EQ(res[http::bhttp::field::content_length], std::to_string(res.body().size()));

  http::Response it = http::error(Errc::kInvalid, "JSON non valido");
  std::string before = it.body();
  localizeError(it, Lang::kIt);
  EXPECT_EQ(it[http::bhttp::field::content_language], "it");
  EXPECT_EQ(it.body(), before);

  http::Response ok = http::ok(Json{{"message", "JSON non valido"}});
  std::string okBody = ok.body();
  localizeError(ok, Lang::kEn);
  EXPECT_EQ(ok.body(), okBody);
  EXPECT_EQ(ok.count(http::bhttp::field::content_language), 0u);
}

}  // namespace
}  // namespace sportello::i18n
