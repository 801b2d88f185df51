// Unit tests for the knowledge base's text rules (src/knowledge/model/text.h): the tokens both
// databases index and search, the slugs, the dates.
#include "knowledge/model/text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace sportello::knowledge {
namespace {

// Whether every token of `query` is among the tokens of `text` (what an AND search asks).
bool finds(const std::string& query, const std::string& text, Lang lang = Lang::kIt) {
  auto have = tokens(text, lang);
  auto want = tokens(query, lang);
  if (want.empty()) return false;
  return std::all_of(want.begin(), want.end(), [&](const std::string& t) {
    return std::find(have.begin(), have.end(), t) != have.end();
  });
}

TEST(KnowledgeText, FoldsAccentsAndCase) {
  EXPECT_EQ(foldAccents("Identità"), "identita");
  EXPECT_EQ(foldAccents("PERCHÉ è così"), "perche e cosi");
  EXPECT_EQ(foldAccents("Ævar Ørsted Çelik Łódź"), "aevar orsted celik lodz");
  EXPECT_EQ(foldAccents("straße"), "strasse");
  EXPECT_EQ(foldAccents("€ 16,00"), "€ 16,00");  // not a letter: kept
  EXPECT_EQ(foldAccents("ok\xff"), "ok");        // invalid UTF-8 dropped
}

TEST(KnowledgeText, SplitsOnApostrophesAndPunctuation) {
  EXPECT_EQ(words("Carta d'identità elettronica"),
            (std::vector<std::string>{"carta", "d", "identità", "elettronica"}));
  EXPECT_EQ(words("dell’Anagrafe: «certificati»—ANPR"),
            (std::vector<std::string>{"dell", "anagrafe", "certificati", "anpr"}));
  EXPECT_EQ(words("  "), std::vector<std::string>{});
}

TEST(KnowledgeText, CartaIdentitaFindsTheElectronicIdentityCard) {
  const std::string title = "Carta d'identità elettronica";
  EXPECT_TRUE(finds("carta identità", title));
  EXPECT_TRUE(finds("carta identita", title));
  EXPECT_TRUE(finds("CARTA D'IDENTITA'", title));
  EXPECT_TRUE(finds("identità elettroniche", title));
  EXPECT_FALSE(finds("patente", title));
}

TEST(KnowledgeText, PluralsAndSingularsShareAStem) {
  EXPECT_TRUE(finds("certificati", "Certificato di residenza"));
  EXPECT_TRUE(finds("certificato", "Certificati anagrafici"));
  EXPECT_TRUE(finds("rifiuto ingombrante", "Raccolta rifiuti ingombranti"));
  EXPECT_TRUE(finds("identity cards", "Electronic identity card", Lang::kEn));
  EXPECT_TRUE(finds("certificates", "Registry certificate", Lang::kEn));
}

TEST(KnowledgeText, DropsStopWordsAndOneLetterWords) {
  EXPECT_EQ(tokenStream("Cambio di residenza", Lang::kIt),
            tokenStream("cambio residenza", Lang::kIt));
  EXPECT_EQ(tokens("di la il e a d", Lang::kIt), std::vector<std::string>{});
  EXPECT_EQ(tokens("the of a", Lang::kEn), std::vector<std::string>{});
  EXPECT_TRUE(isStopWord("perché", Lang::kIt));
  EXPECT_FALSE(isStopWord("carta", Lang::kIt));
}

TEST(KnowledgeText, TokensAreFoldedLettersAndDigitsOnly) {
  for (const auto& t : tokens("Città, perché? ISEE 2026: l'attestazione è qui!", Lang::kIt)) {
    for (char c : t) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << t;
    }
  }
}

TEST(KnowledgeText, PostgresQueriesCarryNoSyntax) {
  EXPECT_EQ(pgQuery("carta d'identità", Lang::kIt, false), "carta & identita");
  EXPECT_EQ(pgQuery("carta | identità & !x:*", Lang::kIt, true), "carta | identita");
  EXPECT_EQ(pgQuery("di la", Lang::kIt, false), "");
  EXPECT_EQ(foldedText("Carta d'Identità"), "carta d identita");
}

TEST(KnowledgeText, StemmersArePerThread) {
  // Snowball stemmers are not thread-safe: each thread has its own. Same answers everywhere.
  const std::string want = tokenStream("certificati anagrafici residenza", Lang::kIt);
  std::vector<std::thread> ts;
  std::vector<std::string> got(4);
  for (int i = 0; i < 4; ++i) {
    ts.emplace_back([&, i] {
      for (int k = 0; k < 2000; ++k)
        got[i] = tokenStream("certificati anagrafici residenza", Lang::kIt);
    });
  }
  for (auto& t : ts) t.join();
  for (const auto& g : got) EXPECT_EQ(g, want);
}

TEST(KnowledgeSlug, FromTheItalianTitle) {
  EXPECT_EQ(makeSlug("Carta d'identità elettronica"), "carta-identita-elettronica");
  EXPECT_EQ(makeSlug("Cambio di residenza"), "cambio-di-residenza");
  EXPECT_EQ(makeSlug("TARI - Tassa sui rifiuti"), "tari-tassa-sui-rifiuti");
  EXPECT_EQ(makeSlug("Dell’Anagrafe: l'ufficio"), "anagrafe-ufficio");
  EXPECT_EQ(makeSlug("  Perché?  Così!  "), "perche-cosi");
  EXPECT_EQ(makeSlug("!!!"), "");
  std::string longTitle(200, 'a');
  EXPECT_EQ(makeSlug(longTitle).size(), 80u);
  EXPECT_EQ(makeSlug(std::string(79, 'a') + " bbb"), std::string(79, 'a'));
  for (const char* t : {"Carta d'identità", "ISEE 2026", "È già così"}) {
    EXPECT_TRUE(validSlug(makeSlug(t))) << t;
  }
}

TEST(KnowledgeSlug, ValidAndFree) {
  EXPECT_TRUE(validSlug("isee"));
  EXPECT_TRUE(validSlug("carta-identita-2"));
  EXPECT_FALSE(validSlug(""));
  EXPECT_FALSE(validSlug("-a"));
  EXPECT_FALSE(validSlug("a-"));
  EXPECT_FALSE(validSlug("a--b"));
  EXPECT_FALSE(validSlug("A"));
  EXPECT_FALSE(validSlug("città"));
  std::vector<std::string> taken = {"tari", "tari-2"};
  auto isTaken = [&](const std::string& s) {
    return std::find(taken.begin(), taken.end(), s) != taken.end();
  };
  EXPECT_EQ(freeSlug("tari", isTaken), "tari-3");
  EXPECT_EQ(freeSlug("isee", isTaken), "isee");
}

TEST(KnowledgeDates, Strict) {
  EXPECT_TRUE(validDate("2026-01-01"));
  EXPECT_TRUE(validDate("2028-02-29"));
  EXPECT_FALSE(validDate("2026-02-29"));
  EXPECT_FALSE(validDate("2026-13-01"));
  EXPECT_FALSE(validDate("2026-1-01"));
  EXPECT_FALSE(validDate("01/01/2026"));
}

}  // namespace
}  // namespace sportello::knowledge
