// Italian first, English second. Every visible string lives in these two dictionaries;
// `en` is typed after `it`, so a key missing in English does not compile.
// The language comes from ?lang=, then localStorage, then Italian.

const it = {
  'app.name': 'Sportello',
  'app.tagline': 'Sportello virtuale',
  'skip.main': 'Vai al contenuto principale',
  'lang.label': 'Lingua',
  'lang.it': 'Italiano',
  'lang.en': 'Inglese',
  'header.staff': 'Area operatori',
  'header.allEnti': 'Tutti i Comuni',
  'footer.about': 'Sportello virtuale: uffici, orari e contatti del Comune.',
  'footer.staff': 'Area operatori',
  'loading': 'Caricamento…',
  'retry': 'Riprova',
  'error.network': 'Impossibile contattare il server. Controlla la connessione e riprova.',
  'error.generic': 'Si è verificato un errore: {message}',
  'error.enteNotFound': 'Comune non trovato',
  'error.enteNotFoundText': 'L’indirizzo non corrisponde a nessun Comune di questo sportello.',
  'error.sessionExpired': 'La sessione è scaduta: accedi di nuovo.',

  'home.title': 'Sportelli virtuali dei Comuni',
  'home.lead': 'Scegli il Comune per vedere uffici, orari di ricevimento e canali di contatto.',
  'home.enter': 'Entra nello sportello del {name}',
  'home.none': 'Nessun Comune è ancora configurato.',
  'home.listTitle': 'Comuni disponibili',
  'home.open': 'Apri lo sportello',

  'offices.title': 'Uffici e orari di ricevimento',
  'offices.lead': 'Orari nell’ora locale del Comune. La pagina si aggiorna da sola.',
  'offices.none': 'Nessun ufficio è pubblicato.',
  'offices.channels': 'Canali di contatto',
  'offices.week': 'Orari di questa settimana: {office}',
  'offices.day': 'Giorno',
  'offices.hours': 'Orario',
  'offices.today': 'oggi',
  'offices.closed': 'Chiuso',
  'offices.channelHours': 'Orari dei singoli canali',
  'offices.more': 'Orari della settimana e informazioni',
  'offices.channelNone': '{channel}: nessun orario questa settimana',
  'offices.where': 'Sede',
  'offices.contacts': 'Contatti',
  'offices.email': 'Email',
  'offices.phone': 'Telefono',
  'offices.updated': 'Orari aggiornati',
  'offices.statusLabel': 'Stato',

  'status.openUntil': 'Aperto ora · chiude alle {time}',
  'status.openUntilDay': 'Aperto ora · chiude {day} alle {time}',
  'status.open': 'Aperto ora',
  'status.closed': 'Chiuso',
  'status.opensToday': 'Chiuso · apre oggi alle {time}',
  'status.opensDay': 'Chiuso · apre {day} alle {time}',
  'status.tomorrow': 'domani',
  'status.changed': '{office}: {status}',

  'channel.walk_in': 'Di persona',
  'channel.video': 'Video',
  'channel.chat': 'Chat',
  'channel.phone': 'Telefono',
  'channel.email': 'Email',
  'channel.kiosk': 'Totem',
  'channel.all': 'Tutti',

  'weekday.1': 'Lunedì',
  'weekday.2': 'Martedì',
  'weekday.3': 'Mercoledì',
  'weekday.4': 'Giovedì',
  'weekday.5': 'Venerdì',
  'weekday.6': 'Sabato',
  'weekday.7': 'Domenica',

  'login.title': 'Accesso operatori',
  'login.lead': 'Accedi con le credenziali fornite dal tuo Comune.',
  'login.username': 'Nome utente',
  'login.password': 'Password',
  'login.submit': 'Accedi',
  'login.submitting': 'Accesso in corso…',
  'login.wrong': 'Nome utente o password non corretti',
  'login.throttled': 'Troppi tentativi, riprova tra qualche minuto',
  'login.throttledFor': 'Troppi tentativi: riprova tra {seconds} secondi',
  'login.throttledOne': 'Troppi tentativi: riprova tra un secondo',
  'login.requiredUsername': 'Inserisci il nome utente',
  'login.requiredPassword': 'Inserisci la password',
  'login.back': 'Torna agli uffici',

  'console.title': 'Console operatore',
  'console.account': 'Il tuo profilo',
  'console.loggedAs': 'Accesso effettuato come',
  'console.role': 'Ruolo',
  'console.presence': 'Il tuo stato',
  'console.presenceSaved': 'Stato aggiornato: {presence}',
  'console.offices': 'I tuoi uffici',
  'console.noOffices': 'Nessun ufficio assegnato.',
  'console.admin': 'Amministrazione',
  'console.waiting': 'Sala d’attesa',
  'console.waitingEmpty': 'Nessun cittadino in attesa',
  'console.password': 'Cambia password',
  'console.currentPassword': 'Password attuale',
  'console.newPassword': 'Nuova password',
  'console.confirmPassword': 'Conferma la nuova password',
  'console.passwordHint': 'Almeno 10 caratteri.',
  'console.passwordSave': 'Cambia password',
  'console.passwordSaved': 'Password aggiornata. Le altre sessioni sono state chiuse.',
  'console.passwordMismatch': 'Le due password non coincidono',
  'console.passwordShort': 'La password deve avere almeno 10 caratteri',
  'console.logout': 'Esci',

  'role.operator': 'Operatore',
  'role.supervisor': 'Supervisore',
  'role.admin': 'Amministratore',
  'presence.available': 'Disponibile',
  'presence.busy': 'Occupato',
  'presence.away': 'Assente',

  'admin.title': 'Amministrazione',
  'admin.forbidden': 'Accesso riservato agli amministratori',
  'admin.forbiddenText': 'Il tuo profilo non ha i permessi per questa sezione.',
  'admin.backConsole': 'Torna alla console',
  'admin.sections': 'Sezioni dell’amministrazione',
  'tab.ente': 'Ente',
  'tab.sites': 'Sedi',
  'tab.offices': 'Uffici',
  'tab.services': 'Servizi',
  'tab.schedule': 'Orari',
  'tab.holidays': 'Festività',
  'tab.operators': 'Operatori',

  'form.required': 'Campo obbligatorio',
  'form.requiredMark': '(obbligatorio)',
  'form.save': 'Salva',
  'form.saving': 'Salvataggio…',
  'form.saved': 'Modifiche salvate',
  'form.created': '{name}: creato',
  'form.updated': '{name}: modifiche salvate',
  'form.deleted': '{name}: eliminato',
  'form.add': 'Aggiungi',
  'form.cancel': 'Annulla',
  'form.edit': 'Modifica',
  'form.editName': 'Modifica {name}',
  'form.delete': 'Elimina',
  'form.deleteName': 'Elimina {name}',
  'form.confirmDelete': 'Confermi l’eliminazione di {name}?',
  'form.confirm': 'Sì, elimina',
  'form.actions': 'Azioni',
  'form.none': 'Nessun elemento.',
  'form.optionNone': '— nessuno —',
  'form.checkFields': 'Controlla i campi evidenziati.',
  'form.yes': 'Sì',
  'form.no': 'No',

  'ente.title': 'Dati dell’ente',
  'ente.name': 'Nome',
  'ente.logo_url': 'Indirizzo del logo (URL)',
  'ente.primary_color': 'Colore principale',
  'ente.primary_colorHint': 'Formato #rrggbb; con il testo bianco deve avere un contrasto di almeno 4,5:1.',
  'ente.patron_day': 'Giorno del santo patrono (MM-GG)',
  'ente.patron_dayHint': 'Ad esempio 09-29 per il 29 settembre.',
  'ente.patron_name': 'Nome del santo patrono',
  'ente.embed_origins': 'Siti autorizzati a incorporare lo sportello',
  'ente.embed_originsHint': 'Un indirizzo per riga, ad esempio https://www.comune.esempio.it',

  'sites.list': 'Elenco delle sedi',
  'sites.new': 'Nuova sede',
  'sites.edit': 'Modifica sede',
  'offices.list': 'Elenco degli uffici',
  'offices.new': 'Nuovo ufficio',
  'offices.edit': 'Modifica ufficio',
  'services.list': 'Elenco dei servizi',
  'services.new': 'Nuovo servizio',
  'services.edit': 'Modifica servizio',
  'operators.list': 'Elenco degli operatori',
  'operators.new': 'Nuovo operatore',
  'operators.edit': 'Modifica operatore',
  'operators.reset': 'Reimposta la password di un operatore',
  'operators.resetWho': 'Operatore',
  'operators.resetNew': 'Nuova password',
  'operators.resetSubmit': 'Reimposta password',
  'operators.resetDone': 'Password reimpostata per {name}',
  'operators.deactivate': 'Disattiva',
  'operators.confirmDeactivate': 'Disattivare {name}? Non potrà più accedere e le sue sessioni terminano; la cronologia delle pratiche e delle visite resta. Per riattivarlo: Modifica, «Attivo».',
  'operators.deactivated': '{name}: disattivato',
  'operators.confirmDeactivateButton': 'Sì, disattiva',

  'field.name': 'Nome',
  'field.address': 'Indirizzo',
  'field.kind': 'Tipo',
  'field.slug': 'Identificativo nell’indirizzo (slug)',
  'field.slugHint': 'Lettere minuscole, cifre e trattini, ad esempio anagrafe.',
  'field.description': 'Descrizione',
  'field.site': 'Sede',
  'field.channels': 'Canali',
  'field.email': 'Email',
  'field.phone': 'Telefono',
  'field.sort': 'Ordine di visualizzazione',
  'field.prefix': 'Lettera del biglietto (A–Z)',
  'field.office': 'Ufficio',
  'field.duration': 'Durata (minuti)',
  'field.documents': 'Documenti necessari',
  'field.username': 'Nome utente',
  'field.display_name': 'Nome visualizzato',
  'field.role': 'Ruolo',
  'field.password': 'Password iniziale',
  'field.passwordHint': 'Almeno 10 caratteri.',
  'field.offices': 'Uffici',
  'field.active': 'Attivo',
  'kind.town_hall': 'Municipio',
  'kind.kiosk': 'Totem',
  'kind.other': 'Altro',

  'schedule.office': 'Ufficio',
  'schedule.choose': '— scegli un ufficio —',
  'schedule.pickHint': 'Scegli un ufficio per vedere e modificare i suoi orari settimanali e le eccezioni.',
  'schedule.rules': 'Orario settimanale',
  'schedule.rulesHelp': 'Una riga per ogni fascia oraria. Il canale «Tutti» vale per tutti i canali che non hanno orari propri.',
  'schedule.weekday': 'Giorno',
  'schedule.start': 'Inizio',
  'schedule.end': 'Fine',
  'schedule.channel': 'Canale',
  'schedule.rowLabel': '{field}, fascia {n}',
  'schedule.addRule': 'Aggiungi fascia oraria',
  'schedule.removeRule': 'Rimuovi fascia {n}',
  'schedule.noRules': 'Nessuna fascia oraria: l’ufficio risulta chiuso.',
  'schedule.exceptions': 'Eccezioni per data',
  'schedule.exceptionsHelp': 'Un’eccezione sostituisce l’orario settimanale in quella data (anche nei festivi).',
  'schedule.exceptionN': 'Eccezione {n}',
  'schedule.date': 'Data',
  'schedule.closedDay': 'Chiuso tutto il giorno',
  'schedule.intervals': 'Fasce orarie',
  'schedule.intervalLabel': '{field}, fascia {m} dell’eccezione {n}',
  'schedule.note': 'Nota',
  'schedule.addException': 'Aggiungi eccezione',
  'schedule.removeException': 'Rimuovi eccezione {n}',
  'schedule.addInterval': 'Aggiungi fascia',
  'schedule.removeInterval': 'Rimuovi fascia {m} dell’eccezione {n}',
  'schedule.noExceptions': 'Nessuna eccezione.',
  'schedule.save': 'Salva orari',
  'schedule.saved': 'Orari di {office} salvati',

  'holidays.year': 'Anno',
  'holidays.show': 'Mostra',
  'holidays.list': 'Festività del {year}',
  'holidays.date': 'Data',
  'holidays.name': 'Nome',
  'holidays.kind': 'Tipo',
  'holidays.kind.national': 'Nazionale',
  'holidays.kind.patron': 'Santo patrono',
  'holidays.kind.ente': 'Del Comune',
  'holidays.add': 'Aggiungi una chiusura del Comune',
  'holidays.added': 'Festività aggiunta: {name}',
  'holidays.removed': 'Festività rimossa: {name}',
  'holidays.remove': 'Rimuovi {name}',
  'holidays.byLaw': 'Festività di legge',
  'holidays.fromEnte': 'Si cambia in «Ente»',
  'holidays.none': 'Nessuna festività.',
};

export type I18nKey = keyof typeof it;
type Dict = Record<I18nKey, string>;

const en: Dict = {
  'app.name': 'Sportello',
  'app.tagline': 'Virtual front office',
  'skip.main': 'Skip to main content',
  'lang.label': 'Language',
  'lang.it': 'Italian',
  'lang.en': 'English',
  'header.staff': 'Staff area',
  'header.allEnti': 'All municipalities',
  'footer.about': 'Virtual front office: offices, opening hours and contacts of the municipality.',
  'footer.staff': 'Staff area',
  'loading': 'Loading…',
  'retry': 'Try again',
  'error.network': 'The server cannot be reached. Check your connection and try again.',
  'error.generic': 'Something went wrong: {message}',
  'error.enteNotFound': 'Municipality not found',
  'error.enteNotFoundText': 'This address does not match any municipality on this service.',
  'error.sessionExpired': 'Your session has expired: please sign in again.',

  'home.title': 'Municipal virtual front offices',
  'home.lead': 'Choose a municipality to see its offices, opening hours and contact channels.',
  'home.enter': 'Enter the front office of {name}',
  'home.none': 'No municipality has been set up yet.',
  'home.listTitle': 'Municipalities',
  'home.open': 'Open the front office',

  'offices.title': 'Offices and opening hours',
  'offices.lead': 'Times are in the municipality’s local time. This page updates by itself.',
  'offices.none': 'No office is published.',
  'offices.channels': 'Contact channels',
  'offices.week': 'This week’s hours: {office}',
  'offices.day': 'Day',
  'offices.hours': 'Hours',
  'offices.today': 'today',
  'offices.closed': 'Closed',
  'offices.channelHours': 'Channel-specific hours',
  'offices.more': 'Weekly hours and information',
  'offices.channelNone': '{channel}: no hours this week',
  'offices.where': 'Location',
  'offices.contacts': 'Contacts',
  'offices.email': 'Email',
  'offices.phone': 'Phone',
  'offices.updated': 'Opening hours updated',
  'offices.statusLabel': 'Status',

  'status.openUntil': 'Open now · closes at {time}',
  'status.openUntilDay': 'Open now · closes {day} at {time}',
  'status.open': 'Open now',
  'status.closed': 'Closed',
  'status.opensToday': 'Closed · opens today at {time}',
  'status.opensDay': 'Closed · opens {day} at {time}',
  'status.tomorrow': 'tomorrow',
  'status.changed': '{office}: {status}',

  'channel.walk_in': 'In person',
  'channel.video': 'Video',
  'channel.chat': 'Chat',
  'channel.phone': 'Phone',
  'channel.email': 'Email',
  'channel.kiosk': 'Kiosk',
  'channel.all': 'All',

  'weekday.1': 'Monday',
  'weekday.2': 'Tuesday',
  'weekday.3': 'Wednesday',
  'weekday.4': 'Thursday',
  'weekday.5': 'Friday',
  'weekday.6': 'Saturday',
  'weekday.7': 'Sunday',

  'login.title': 'Staff sign in',
  'login.lead': 'Sign in with the credentials given to you by your municipality.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.wrong': 'Wrong username or password',
  'login.throttled': 'Too many attempts, try again in a few minutes',
  'login.throttledFor': 'Too many attempts: try again in {seconds} seconds',
  'login.throttledOne': 'Too many attempts: try again in a second',
  'login.requiredUsername': 'Enter your username',
  'login.requiredPassword': 'Enter your password',
  'login.back': 'Back to the offices',

  'console.title': 'Operator console',
  'console.account': 'Your profile',
  'console.loggedAs': 'Signed in as',
  'console.role': 'Role',
  'console.presence': 'Your status',
  'console.presenceSaved': 'Status updated: {presence}',
  'console.offices': 'Your offices',
  'console.noOffices': 'No office assigned.',
  'console.admin': 'Administration',
  'console.waiting': 'Waiting room',
  'console.waitingEmpty': 'No citizen is waiting',
  'console.password': 'Change password',
  'console.currentPassword': 'Current password',
  'console.newPassword': 'New password',
  'console.confirmPassword': 'Confirm the new password',
  'console.passwordHint': 'At least 10 characters.',
  'console.passwordSave': 'Change password',
  'console.passwordSaved': 'Password changed. Your other sessions have been closed.',
  'console.passwordMismatch': 'The two passwords do not match',
  'console.passwordShort': 'The password must be at least 10 characters long',
  'console.logout': 'Sign out',

  'role.operator': 'Operator',
  'role.supervisor': 'Supervisor',
  'role.admin': 'Administrator',
  'presence.available': 'Available',
  'presence.busy': 'Busy',
  'presence.away': 'Away',

  'admin.title': 'Administration',
  'admin.forbidden': 'Administrators only',
  'admin.forbiddenText': 'Your profile is not allowed to use this section.',
  'admin.backConsole': 'Back to the console',
  'admin.sections': 'Administration sections',
  'tab.ente': 'Municipality',
  'tab.sites': 'Locations',
  'tab.offices': 'Offices',
  'tab.services': 'Services',
  'tab.schedule': 'Hours',
  'tab.holidays': 'Holidays',
  'tab.operators': 'Operators',

  'form.required': 'Required field',
  'form.requiredMark': '(required)',
  'form.save': 'Save',
  'form.saving': 'Saving…',
  'form.saved': 'Changes saved',
  'form.created': '{name}: created',
  'form.updated': '{name}: changes saved',
  'form.deleted': '{name}: deleted',
  'form.add': 'Add',
  'form.cancel': 'Cancel',
  'form.edit': 'Edit',
  'form.editName': 'Edit {name}',
  'form.delete': 'Delete',
  'form.deleteName': 'Delete {name}',
  'form.confirmDelete': 'Do you really want to delete {name}?',
  'form.confirm': 'Yes, delete',
  'form.actions': 'Actions',
  'form.none': 'Nothing here yet.',
  'form.optionNone': '— none —',
  'form.checkFields': 'Please check the highlighted fields.',
  'form.yes': 'Yes',
  'form.no': 'No',

  'ente.title': 'Municipality details',
  'ente.name': 'Name',
  'ente.logo_url': 'Logo address (URL)',
  'ente.primary_color': 'Main colour',
  'ente.primary_colorHint': 'Format #rrggbb; it must have a contrast of at least 4.5:1 with white text.',
  'ente.patron_day': 'Patron saint’s day (MM-DD)',
  'ente.patron_dayHint': 'For example 09-29 for 29 September.',
  'ente.patron_name': 'Patron saint’s name',
  'ente.embed_origins': 'Sites allowed to embed the front office',
  'ente.embed_originsHint': 'One address per line, for example https://www.comune.esempio.it',

  'sites.list': 'Locations',
  'sites.new': 'New location',
  'sites.edit': 'Edit location',
  'offices.list': 'Offices',
  'offices.new': 'New office',
  'offices.edit': 'Edit office',
  'services.list': 'Services',
  'services.new': 'New service',
  'services.edit': 'Edit service',
  'operators.list': 'Operators',
  'operators.new': 'New operator',
  'operators.edit': 'Edit operator',
  'operators.reset': 'Reset an operator’s password',
  'operators.resetWho': 'Operator',
  'operators.resetNew': 'New password',
  'operators.resetSubmit': 'Reset password',
  'operators.resetDone': 'Password reset for {name}',
  'operators.deactivate': 'Deactivate',
  'operators.confirmDeactivate': 'Deactivate {name}? They can no longer sign in and their sessions end; the history of cases and visits stays. To reactivate: Edit, “Active”.',
  'operators.deactivated': '{name}: deactivated',
  'operators.confirmDeactivateButton': 'Yes, deactivate',

  'field.name': 'Name',
  'field.address': 'Address',
  'field.kind': 'Kind',
  'field.slug': 'Identifier in the address (slug)',
  'field.slugHint': 'Lower-case letters, digits and hyphens, for example registry.',
  'field.description': 'Description',
  'field.site': 'Location',
  'field.channels': 'Channels',
  'field.email': 'Email',
  'field.phone': 'Phone',
  'field.sort': 'Display order',
  'field.prefix': 'Ticket letter (A–Z)',
  'field.office': 'Office',
  'field.duration': 'Duration (minutes)',
  'field.documents': 'Required documents',
  'field.username': 'Username',
  'field.display_name': 'Display name',
  'field.role': 'Role',
  'field.password': 'Initial password',
  'field.passwordHint': 'At least 10 characters.',
  'field.offices': 'Offices',
  'field.active': 'Active',
  'kind.town_hall': 'Town hall',
  'kind.kiosk': 'Kiosk',
  'kind.other': 'Other',

  'schedule.office': 'Office',
  'schedule.choose': '— choose an office —',
  'schedule.pickHint': 'Choose an office to see and change its weekly hours and exceptions.',
  'schedule.rules': 'Weekly hours',
  'schedule.rulesHelp': 'One row per time slot. The channel “All” applies to every channel without hours of its own.',
  'schedule.weekday': 'Day',
  'schedule.start': 'Start',
  'schedule.end': 'End',
  'schedule.channel': 'Channel',
  'schedule.rowLabel': '{field}, slot {n}',
  'schedule.addRule': 'Add a time slot',
  'schedule.removeRule': 'Remove slot {n}',
  'schedule.noRules': 'No time slot: the office is shown as closed.',
  'schedule.exceptions': 'Exceptions by date',
  'schedule.exceptionsHelp': 'An exception replaces the weekly hours on that date (holidays included).',
  'schedule.exceptionN': 'Exception {n}',
  'schedule.date': 'Date',
  'schedule.closedDay': 'Closed all day',
  'schedule.intervals': 'Time slots',
  'schedule.intervalLabel': '{field}, slot {m} of exception {n}',
  'schedule.note': 'Note',
  'schedule.addException': 'Add an exception',
  'schedule.removeException': 'Remove exception {n}',
  'schedule.addInterval': 'Add a slot',
  'schedule.removeInterval': 'Remove slot {m} of exception {n}',
  'schedule.noExceptions': 'No exception.',
  'schedule.save': 'Save hours',
  'schedule.saved': 'Hours of {office} saved',

  'holidays.year': 'Year',
  'holidays.show': 'Show',
  'holidays.list': 'Holidays in {year}',
  'holidays.date': 'Date',
  'holidays.name': 'Name',
  'holidays.kind': 'Kind',
  'holidays.kind.national': 'National',
  'holidays.kind.patron': 'Patron saint',
  'holidays.kind.ente': 'Municipality',
  'holidays.add': 'Add a municipal closing day',
  'holidays.added': 'Holiday added: {name}',
  'holidays.removed': 'Holiday removed: {name}',
  'holidays.remove': 'Remove {name}',
  'holidays.byLaw': 'Set by law',
  'holidays.fromEnte': 'Change it under “Municipality”',
  'holidays.none': 'No holidays.',
};

export type Lang = 'it' | 'en';
export const LANGS: Lang[] = ['it', 'en'];
const STORAGE_KEY = 'sportello.lang';

function initialLang(): Lang {
  try {
    const q = new URLSearchParams(location.search).get('lang');
    if (q === 'it' || q === 'en') {
      localStorage.setItem(STORAGE_KEY, q);
      return q;
    }
    const s = localStorage.getItem(STORAGE_KEY);
    if (s === 'it' || s === 'en') return s;
  } catch {
    // storage may be unavailable (privacy mode): Italian.
  }
  return 'it';
}

let current: Lang = initialLang();
const listeners = new Set<(l: Lang) => void>();

export function getLang(): Lang {
  return current;
}

/** BCP 47 locale used with Intl for the current language. */
export function locale(): string {
  return current === 'it' ? 'it-IT' : 'en-GB';
}

export function setLang(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore
  }
  document.documentElement.lang = lang;
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn: (l: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export type I18nParams = Record<string, string | number>;

/**
 * Translates a key of one dictionary pair into the current language, replacing {name}
 * placeholders with `params`; `has` tells whether a key built at run time is one of them.
 */
export interface Translator<K extends string> {
  (key: K, params?: I18nParams): string;
  has(key: string): key is K;
}

/**
 * The one translator of every dictionary pair (this file's and each capability's): the language
 * chosen here, then Italian, then the key itself; `{name}` interpolation. The key type is `it`'s
 * keys and `en` must have them all, so a key missing in English does not compile.
 */
export function makeTranslator<D extends Record<string, string>>(
  itDict: D,
  enDict: Record<keyof D & string, string>,
): Translator<keyof D & string> {
  type K = keyof D & string;
  const dicts: Record<Lang, Record<K, string>> = { it: itDict, en: enDict };
  const tr = (key: K, params?: I18nParams): string => {
    let s = dicts[current][key] ?? itDict[key] ?? key;
    if (params) {
      for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
    }
    return s;
  };
  return Object.assign(tr, { has: (key: string): key is K => Object.prototype.hasOwnProperty.call(itDict, key) });
}

/** Translates `key`, replacing {name} placeholders with `params`. */
export const t = makeTranslator(it, en);

/** Translation of a key built at run time (e.g. `channel.${name}`), falling back to `fallback`. */
export function tMaybe(key: string, fallback: string): string {
  return t.has(key) ? t(key) : fallback;
}

document.documentElement.lang = current;
