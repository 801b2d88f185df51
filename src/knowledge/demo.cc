#include "knowledge/demo.h"

#include <vector>

#include "knowledge/service.h"

namespace sportello::knowledge {

namespace {

struct DemoArticle {
  std::string slug;  // "" = from the title
  std::vector<std::string> offices, services;
  Localized title, summary;
  std::string body, documents, fees, steps, audience;
  std::optional<std::string> validFrom, validUntil;
};

std::vector<DemoArticle> demoArticles() {
  return {
      {"",
       {"anagrafe"},
       {"A"},
       {"Carta d'identità elettronica", "Electronic identity card"},
       {"Come richiedere o rinnovare la carta d'identità elettronica (CIE) all'Anagrafe, su "
        "appuntamento.",
        "How to apply for or renew the electronic identity card (CIE) at the registry office, by "
        "appointment."},
       "La **carta d'identità elettronica** (CIE) è il documento di riconoscimento personale "
       "rilasciato dal Ministero dell'Interno tramite il Comune di residenza. Vale anche come "
       "documento di viaggio nei Paesi dell'Unione europea e consente l'accesso ai servizi "
       "online della pubblica amministrazione.\n\n"
       "La carta si può rinnovare a partire da **180 giorni prima della scadenza**. La carta "
       "viene spedita dal Poligrafico dello Stato all'indirizzo indicato entro 6 giorni "
       "lavorativi.\n\n"
       "La validità dipende dall'età: 3 anni per i minori di 3 anni, 5 anni dai 3 ai 18 anni, "
       "10 anni per i maggiorenni.",
       "- la carta d'identità scaduta o in scadenza, oppure la denuncia di smarrimento o furto\n"
       "- una fototessera recente, a colori, su sfondo chiaro\n"
       "- la tessera sanitaria (codice fiscale)\n"
       "- per i minori: la presenza di entrambi i genitori o l'assenso scritto",
       "22,21 € (27,50 € in caso di smarrimento o deterioramento), da pagare allo sportello con "
       "carta o bancomat.",
       "1. Prenota un appuntamento all'Anagrafe (servizio A) online o al telefono.\n"
       "2. Presentati allo sportello con i documenti indicati.\n"
       "3. L'operatore acquisisce foto, firma e impronte digitali.\n"
       "4. Ricevi la carta all'indirizzo indicato entro 6 giorni lavorativi.",
       "Tutti i cittadini residenti nel Comune, anche minorenni. I cittadini stranieri "
       "residenti ricevono una carta non valida per l'espatrio.",
       std::nullopt,
       std::nullopt},
      {"",
       {"anagrafe"},
       {"A"},
       {"Cambio di residenza", "Change of residence"},
       {"Come dichiarare il trasferimento della residenza nel Comune o il cambio di indirizzo.",
        "How to register a change of residence into the municipality or a new address within "
        "it."},
       "Chi trasferisce la propria dimora abituale nel Comune, da un altro Comune o dall'estero, "
       "o cambia indirizzo all'interno del Comune, deve presentare la **dichiarazione di "
       "residenza** entro 20 giorni.\n\n"
       "Entro 2 giorni lavorativi l'Ufficio Anagrafe registra la dichiarazione; la Polizia "
       "locale verifica poi la dimora abituale. Se entro 45 giorni non ricevi comunicazioni, la "
       "residenza è confermata.",
       "- documento d'identità valido di tutte le persone che si trasferiscono\n"
       "- codice fiscale\n"
       "- patente e libretto dei veicoli intestati (per l'aggiornamento)\n"
       "- per i cittadini non comunitari: permesso di soggiorno",
       "Gratuito.",
       "1. Compila il modulo di dichiarazione di residenza.\n"
       "2. Invialo via email o PEC, oppure consegnalo allo sportello dell'Anagrafe.\n"
       "3. Attendi l'accertamento della Polizia locale.",
       "",
       std::nullopt,
       std::nullopt},
      {"",
       {"anagrafe"},
       {"A"},
       {"Certificati anagrafici", "Registry certificates"},
       {"Certificato di residenza, stato di famiglia, cittadinanza e altri certificati: allo "
        "sportello o online.",
        "Residence, family status, citizenship and other certificates: at the desk or online."},
       "L'Anagrafe rilascia i certificati anagrafici: **certificato di residenza**, **stato di "
       "famiglia**, certificato di cittadinanza, di esistenza in vita, di stato civile e il "
       "certificato contestuale.\n\n"
       "Ricorda che i certificati non possono essere chiesti da una pubblica amministrazione o "
       "da un gestore di pubblico servizio: in questi casi basta l'autocertificazione.\n\n"
       "Puoi anche scaricare i certificati gratis dall'Anagrafe nazionale (ANPR) con SPID o CIE.",
       "- documento di riconoscimento\n"
       "- una marca da bollo da 16,00 € per ogni certificato (salvo esenzioni)",
       "16,00 € di bollo + 0,52 € di diritti; in carta libera 0,26 € (solo per gli usi esenti).",
       "1. Vieni allo sportello dell'Anagrafe senza appuntamento negli orari di apertura, "
       "oppure\n"
       "2. scarica il certificato dal sito dell'ANPR con SPID, CIE o CNS.",
       "Chiunque, per i certificati di residenza e stato di famiglia; l'interessato per gli "
       "altri.",
       std::nullopt,
       std::nullopt},
      {"isee",
       {"sociali"},
       {"D"},
       {"ISEE: dichiarazione sostitutiva unica (DSU)", "ISEE: the family economic indicator"},
       {"Aiuto gratuito per compilare la DSU e ottenere l'attestazione ISEE per agevolazioni e "
        "bonus.",
        "Free help to fill in the DSU and obtain the ISEE certificate used for reductions and "
        "benefits."},
       "L'**ISEE** (Indicatore della situazione economica equivalente) serve per chiedere "
       "prestazioni sociali agevolate: bonus, riduzioni delle rette della mensa scolastica, "
       "assegno unico, assegno di inclusione.\n\n"
       "Per ottenerlo si presenta la **DSU** (dichiarazione sostitutiva unica). I Servizi "
       "sociali aiutano a compilarla e la trasmettono all'INPS; l'attestazione arriva in circa "
       "10 giorni lavorativi. L'ISEE ordinario scade il 31 dicembre.",
       "- documento d'identità e codice fiscale di tutti i componenti del nucleo\n"
       "- contratto di affitto registrato, se in affitto\n"
       "- redditi di due anni prima (730, Certificazione unica)\n"
       "- saldo e giacenza media di conti e libretti al 31 dicembre di due anni prima\n"
       "- targhe dei veicoli intestati",
       "Gratuito.",
       "1. Prenota un appuntamento ai Servizi sociali (servizio D).\n"
       "2. Porta i documenti del nucleo familiare.\n"
       "3. Firma la DSU: la trasmettiamo noi all'INPS.\n"
       "4. Scarica l'attestazione dal sito dell'INPS o ritirala allo sportello.",
       "Tutti i nuclei familiari residenti.",
       std::nullopt,
       std::nullopt},
      {"tari",
       {"tributi", "urp"},
       {"C", "F"},
       {"TARI - Tassa sui rifiuti", "TARI - Waste tax"},
       {"Chi paga la tassa sui rifiuti, come si calcola, le scadenze e le riduzioni.",
        "Who pays the waste tax, how it is calculated, the due dates and the reductions."},
       "La **TARI** finanzia il servizio di raccolta e smaltimento dei rifiuti urbani. La paga "
       "chi occupa a qualsiasi titolo locali o aree che possono produrre rifiuti.\n\n"
       "L'importo dipende dalla superficie e dal numero dei componenti del nucleo familiare. "
       "L'avviso di pagamento arriva a casa con i moduli PagoPA: due rate, **16 maggio** e **16 "
       "novembre**.\n\n"
       "Riduzioni: compostaggio domestico (20 %), un solo occupante (30 %), ISEE sotto 8.000 € "
       "(50 %).",
       "- documento d'identità\n"
       "- dati catastali dell'immobile e planimetria\n"
       "- contratto di affitto o atto di acquisto",
       "Secondo le tariffe approvate ogni anno dal Consiglio comunale.",
       "1. Presenta la dichiarazione TARI entro 90 giorni dall'inizio dell'occupazione.\n"
       "2. Paga con PagoPA o allo sportello Tributi con il POS.\n"
       "3. Comunica ogni variazione (superficie, occupanti, cessazione).",
       "Proprietari, inquilini e chiunque occupi locali nel Comune.",
       std::nullopt,
       std::nullopt},
      {"",
       {"urp"},
       {"C"},
       {"Raccolta rifiuti ingombranti", "Bulky waste collection"},
       {"Ritiro gratuito a domicilio di mobili, elettrodomestici e altri rifiuti ingombranti, su "
        "prenotazione.",
        "Free collection at home of furniture, appliances and other bulky waste, by booking."},
       "Mobili, materassi, elettrodomestici e altri **rifiuti ingombranti** non vanno lasciati "
       "accanto ai cassonetti. Il Comune offre il ritiro gratuito a domicilio, fino a 5 pezzi per "
       "volta, oppure puoi portarli all'isola ecologica di via dell'Artigianato.",
       "- l'elenco dei rifiuti da ritirare\n- l'indirizzo e un numero di telefono",
       "Gratuito per le utenze domestiche in regola con la TARI.",
       "1. Prenota all'URP (servizio Ecologia) o al telefono.\n"
       "2. Il giorno concordato lascia i rifiuti fuori dal portone entro le 7.",
       "",
       std::nullopt,
       std::nullopt},
      {"pratiche-edilizie",
       {"edilizia"},
       {"B"},
       {"Pratiche edilizie: CILA, SCIA e permesso di costruire", ""},
       {"Quale titolo serve per i lavori in casa e come presentarlo allo Sportello unico per "
        "l'edilizia.",
        ""},
       "Per ristrutturare o costruire serve un titolo edilizio, presentato da un tecnico abilitato "
       "allo **Sportello unico per l'edilizia** (SUE):\n\n"
       "- **CILA** per la manutenzione straordinaria leggera;\n"
       "- **SCIA** per gli interventi sulle parti strutturali;\n"
       "- **permesso di costruire** per le nuove costruzioni.\n\n"
       "La manutenzione ordinaria (tinteggiatura, pavimenti) è edilizia libera.",
       "- il progetto firmato dal tecnico\n- la visura catastale\n- la ricevuta dei diritti di "
       "segreteria",
       "Diritti di segreteria da 50 € (CILA) a 516 € (permesso di costruire).",
       "1. Affida la pratica a un tecnico abilitato.\n2. Il tecnico la presenta online al SUE.\n"
       "3. Per informazioni prenota un colloquio all'Ufficio Edilizia e Catasto (servizio B).",
       "",
       std::nullopt,
       std::nullopt},
      {"contrassegno-disabili",
       {"urp"},
       {"E"},
       {"Contrassegno di parcheggio per persone con disabilità", "Disabled parking badge"},
       {"Il contrassegno europeo per parcheggiare negli spazi riservati: rilascio e rinnovo.",
        "The European badge to park in reserved spaces: issue and renewal."},
       "Il **contrassegno unificato disabili europeo** (CUDE) consente di parcheggiare negli "
       "spazi riservati e di circolare nelle zone a traffico limitato. È personale e vale in "
       "tutta l'Unione europea.\n\n"
       "Il contrassegno permanente dura 5 anni; quello temporaneo quanto indicato nel "
       "certificato medico.",
       "- certificato dell'ufficio medico-legale dell'ASL\n- una fototessera\n- documento "
       "d'identità",
       "Gratuito.",
       "1. Chiedi la visita all'ufficio medico-legale dell'ASL.\n"
       "2. Presenta la domanda all'URP (servizio Mobilità e trasporti).\n"
       "3. Ritira il contrassegno dopo circa 10 giorni.",
       "Persone con capacità di deambulazione sensibilmente ridotta e persone non vedenti.",
       std::nullopt,
       std::nullopt},
      {"",
       {"urp"},
       {"E"},
       {"Abbonamenti al trasporto pubblico", ""},
       {"Abbonamenti agevolati per studenti, over 65 e famiglie numerose sulle linee urbane.", ""},
       "Il Comune contribuisce agli **abbonamenti annuali** delle linee urbane per studenti fino a "
       "26 anni, cittadini sopra i 65 anni e famiglie con almeno tre figli. La domanda si "
       "presenta all'URP; il contributo è applicato direttamente dall'azienda di trasporto.",
       "- documento d'identità\n- attestazione ISEE in corso di validità\n- una fototessera",
       "Abbonamento annuale agevolato: 90 € (studenti e over 65), 60 € dal terzo figlio.",
       "1. Presenta la domanda all'URP.\n2. Ritira la tessera alla biglietteria dell'azienda di "
       "trasporto.",
       "Residenti con ISEE fino a 25.000 €.",
       std::nullopt,
       std::nullopt},
      {"pagamenti-pos",
       {"tributi"},
       {"F"},
       {"Pagamenti allo sportello con carta (POS)", ""},
       {"Allo sportello si paga con bancomat, carta di credito o smartphone: tributi, diritti e "
        "sanzioni.",
        ""},
       "Allo sportello Pagamenti puoi pagare con **POS** (bancomat, carte di credito e di debito, "
       "smartphone) i tributi comunali, i diritti di segreteria, le sanzioni e i servizi a domanda "
       "individuale. Il pagamento passa da PagoPA: ricevi subito la quietanza.",
       "- l'avviso di pagamento PagoPA, se lo hai",
       "Nessuna commissione per il cittadino.",
       "1. Prendi il numero per il servizio Pagamenti POS (F).\n"
       "2. Paga allo sportello e conserva la ricevuta.",
       "",
       std::nullopt,
       std::nullopt},
      {"",
       {"urp"},
       {"G"},
       {"Iscrizione alla mensa scolastica", ""},
       {"Come iscrivere i figli al servizio di ristorazione delle scuole dell'infanzia e "
        "primarie, e le tariffe.",
        ""},
       "Il servizio di **mensa scolastica** è attivo nelle scuole dell'infanzia e primarie "
       "statali. L'iscrizione si rinnova ogni anno scolastico; le diete speciali per motivi di "
       "salute o religiosi si chiedono con l'iscrizione.",
       "- codice fiscale del bambino e del genitore\n- attestazione ISEE per la tariffa ridotta\n"
       "- certificato medico per le diete speciali",
       "Da 1,50 € a 4,80 € a pasto secondo l'ISEE.",
       "1. Compila la domanda all'URP (servizio Pubblica istruzione).\n"
       "2. Ricarica il borsellino elettronico prima dell'inizio della scuola.",
       "Genitori di alunni delle scuole dell'infanzia e primarie del Comune.",
       std::string("2026-06-01"),
       std::string("2027-09-30")},
      {"impianti-sportivi-e-sale",
       {"urp"},
       {"H"},
       {"Impianti sportivi e sale comunali", ""},
       {"Prenotare palestre, campi e sale comunali per attività sportive, culturali e "
        "associative.",
        ""},
       "Associazioni, società sportive e cittadini possono usare le **palestre**, i **campi** e le "
       "**sale comunali** con una concessione d'uso oraria o stagionale.",
       "- modulo di richiesta\n- statuto, per le associazioni",
       "Secondo il tariffario comunale; gratuito per le iniziative patrocinate.",
       "1. Presenta la richiesta all'URP almeno 15 giorni prima.\n"
       "2. Paga la tariffa e ritira la concessione.",
       "",
       std::nullopt,
       std::nullopt},
      {"autentica-firma-e-copia",
       {"anagrafe"},
       {"I"},
       {"Autentica di firma e di copia", "Authentication of signatures and copies"},
       {"Autenticare una firma, la copia di un documento o una fotografia allo sportello "
        "Autentiche.",
        "Having a signature, a copy of a document or a photograph authenticated."},
       "L'**autentica di firma** attesta che la firma è stata apposta davanti al pubblico "
       "ufficiale; l'**autentica di copia** che la copia è conforme all'originale. Per la vendita "
       "di veicoli l'autentica si fa anche allo sportello.",
       "- documento d'identità valido\n- il documento da firmare (non firmato) o l'originale e la "
       "copia",
       "16,00 € di bollo + 0,52 € di diritti (esente nei casi previsti dalla legge).",
       "1. Prendi il numero per il servizio Autentiche (I).\n2. Firma davanti all'operatore.",
       "",
       std::nullopt,
       std::nullopt},
      {"accesso-agli-atti",
       {"urp"},
       {"J"},
       {"Accesso agli atti", ""},
       {"Chiedere di vedere o avere copia di documenti amministrativi del Comune.", ""},
       "Chi ha un interesse diretto, concreto e attuale può chiedere di **vedere o avere copia** "
       "dei documenti amministrativi (legge 241/1990). Con l'accesso civico generalizzato "
       "chiunque può chiedere dati e documenti, senza motivarlo.\n\n"
       "Il Comune risponde entro 30 giorni.",
       "- documento d'identità\n- la domanda con gli estremi del documento richiesto",
       "Gratuito per la visione; 0,25 € a pagina per le copie.",
       "1. Presenta la domanda all'URP, per email o PEC.\n"
       "2. Ritira le copie allo sportello Richiesta e ritiro atti (servizio J).",
       "",
       std::nullopt,
       std::nullopt},
      {"",
       {"sociali"},
       {"K"},
       {"Assegno di inclusione", ""},
       {"Il sostegno economico per le famiglie con minori, anziani o persone con disabilità e "
        "ISEE basso.",
        ""},
       "L'**assegno di inclusione** (ADI) è un sostegno economico e un percorso di inclusione "
       "sociale e lavorativa per i nuclei con almeno un minore, una persona con disabilità, un "
       "over 60 o in condizione di svantaggio, con ISEE fino a 10.140 €.\n\n"
       "La domanda si presenta all'INPS; i Servizi sociali accompagnano il nucleo nel patto di "
       "inclusione.",
       "- attestazione ISEE valida\n- documento d'identità\n- SPID o CIE per la domanda online",
       "Gratuito.",
       "1. Presenta la domanda online all'INPS o tramite un patronato.\n"
       "2. Prenota il primo colloquio ai Servizi sociali (servizio K).",
       "Nuclei familiari residenti con i requisiti di legge.",
       std::nullopt,
       std::nullopt},
      {"",
       {"sociali"},
       {"K"},
       {"Assistenza domiciliare per anziani", ""},
       {"Aiuto a casa per le persone anziane o non autosufficienti: igiene, pasti, compagnia.", ""},
       "Il **servizio di assistenza domiciliare** (SAD) aiuta le persone anziane o non "
       "autosufficienti a restare a casa propria: cura della persona, preparazione dei pasti, "
       "piccole commissioni, compagnia. L'assistente sociale valuta il bisogno con una visita a "
       "domicilio.",
       "- attestazione ISEE\n- documentazione sanitaria",
       "Compartecipazione secondo l'ISEE; gratuito sotto 6.000 €.",
       "1. Prenota un colloquio ai Servizi sociali.\n2. Ricevi la visita dell'assistente sociale.\n"
       "3. Concorda il piano di assistenza.",
       "Residenti sopra i 65 anni o non autosufficienti, e i loro familiari.",
       std::nullopt,
       std::nullopt},
  };
}

}  // namespace

Status loadDemoArticles(Tx& tx, const std::string& enteSlug,
                        const std::map<std::string, std::string>& offices,
                        const std::map<std::string, std::string>& services) {
  for (auto& d : demoArticles()) {
    Article a;
    a.slug = d.slug;
    a.status = ArticleStatus::kPublished;
    a.text.title = d.title;
    a.text.summary = d.summary;
    a.text.body.it = d.body;
    a.text.documents.it = d.documents;
    a.text.fees.it = d.fees;
    a.text.steps.it = d.steps;
    a.text.audience.it = d.audience;
    a.validFrom = d.validFrom;
    a.validUntil = d.validUntil;
    for (const auto& o : d.offices) a.officeIds.push_back(offices.at(o));
    for (const auto& s : d.services) a.serviceIds.push_back(services.at(s));
    SP_TRY(KnowledgeService::insert(tx, enteSlug, std::move(a), std::nullopt));
  }
  return okStatus();
}

}  // namespace sportello::knowledge
