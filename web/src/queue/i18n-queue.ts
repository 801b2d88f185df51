// Strings of the queue pages (ticket machine and display board). Italian first, English second,
// following the language chosen with web/src/i18n.ts; `en` is typed after `it`, so a key
// missing in English does not compile.

import { getLang } from '../i18n';

const it = {
  'machine.title': 'Eliminacode',
  'machine.choose': 'Tocca il servizio per prendere il numero',
  'machine.waiting': 'In attesa: {n}',
  'machine.closed': 'Chiuso',
  'machine.closedUntil': 'Chiuso · apre {when}',
  'machine.closedNoNext': 'Chiuso oggi',
  'machine.priority': 'Ho diritto alla precedenza',
  'machine.priorityTitle': 'Per quale motivo hai diritto alla precedenza?',
  'machine.priorityChosen': 'Precedenza: {reason}. Ora scegli il servizio.',
  'machine.priorityRemove': 'Togli la precedenza',
  'machine.priorityCancel': 'Annulla',
  'priority.pregnancy': 'Gravidanza',
  'priority.age': 'Età (over 75)',
  'priority.disability': 'Disabilità',
  'machine.issuing': 'Stampa del numero in corso…',
  'ticket.title': 'Il tuo numero',
  'ticket.service': 'Servizio',
  'ticket.issuedAt': 'Ora',
  'ticket.ahead': 'Persone prima di te',
  'ticket.wait': 'Attesa stimata',
  'ticket.priority': 'Con precedenza',
  'ticket.hint': 'Attendi che il tuo numero compaia sul monitor.',
  'ticket.print': 'Stampa',
  'ticket.done': 'Fine',
  'ticket.resetSoon': 'Tra pochi secondi si torna all’inizio.',
  'machine.noToken': 'Questo eliminacode non è configurato: manca il codice del dispositivo.',
  'machine.badToken': 'Il codice di questo eliminacode non è più valido: chiedi all’amministratore di registrarlo di nuovo.',
  'machine.noServices': 'In questa sede non ci sono servizi con numero.',
  'machine.siteNotFound': 'Sede non trovata.',
  'error.network': 'Il server non risponde. Riprova tra poco.',
  'error.generic': 'Si è verificato un problema: {message}',
  'error.retry': 'Riprova',

  'board.title': 'Chiamate',
  'board.colNumber': 'Numero',
  'board.colCounter': 'Sportello',
  'board.colService': 'Servizio',
  'board.latest': 'Ultima chiamata',
  'board.history': 'Chiamate precedenti',
  'board.none': 'Nessun numero chiamato finora.',
  'board.waitingTitle': 'In attesa',
  'board.offline': 'Collegamento interrotto: dati non aggiornati',
  'board.connecting': 'Collegamento in corso…',
  'board.announce': 'Numero {code}, {counter}',
  'board.speak': 'Numero {letters} {n}, {counter}',
};

export type QueueKey = keyof typeof it;

const en: Record<QueueKey, string> = {
  'machine.title': 'Queue tickets',
  'machine.choose': 'Touch a service to take a number',
  'machine.waiting': 'Waiting: {n}',
  'machine.closed': 'Closed',
  'machine.closedUntil': 'Closed · opens {when}',
  'machine.closedNoNext': 'Closed today',
  'machine.priority': 'I am entitled to priority',
  'machine.priorityTitle': 'Why are you entitled to priority?',
  'machine.priorityChosen': 'Priority: {reason}. Now choose the service.',
  'machine.priorityRemove': 'Remove the priority',
  'machine.priorityCancel': 'Cancel',
  'priority.pregnancy': 'Pregnancy',
  'priority.age': 'Age (over 75)',
  'priority.disability': 'Disability',
  'machine.issuing': 'Printing your number…',
  'ticket.title': 'Your number',
  'ticket.service': 'Service',
  'ticket.issuedAt': 'Time',
  'ticket.ahead': 'People ahead of you',
  'ticket.wait': 'Estimated wait',
  'ticket.priority': 'With priority',
  'ticket.hint': 'Wait for your number to appear on the screen.',
  'ticket.print': 'Print',
  'ticket.done': 'Done',
  'ticket.resetSoon': 'Going back to the start in a few seconds.',
  'machine.noToken': 'This ticket machine is not set up: the device code is missing.',
  'machine.badToken': 'This ticket machine’s code is no longer valid: ask the administrator to register it again.',
  'machine.noServices': 'There are no queue services at this site.',
  'machine.siteNotFound': 'Site not found.',
  'error.network': 'The server does not answer. Try again shortly.',
  'error.generic': 'Something went wrong: {message}',
  'error.retry': 'Try again',

  'board.title': 'Calls',
  'board.colNumber': 'Number',
  'board.colCounter': 'Counter',
  'board.colService': 'Service',
  'board.latest': 'Latest call',
  'board.history': 'Previous calls',
  'board.none': 'No number called yet.',
  'board.waitingTitle': 'Waiting',
  'board.offline': 'Connection lost: information not up to date',
  'board.connecting': 'Connecting…',
  'board.announce': 'Number {code}, {counter}',
  'board.speak': 'Number {letters} {n}, {counter}',
};

const DICTS = { it, en };

/** Translates `key` into the current language, replacing {name} placeholders with `params`. */
export function tq(key: QueueKey, params?: Record<string, string | number>): string {
  let s = DICTS[getLang()][key] ?? it[key];
  if (params) for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}
