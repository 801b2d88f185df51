// Strings of the visitor's phone pass (/{slug}/pass#token, issue 18): kept apart from the info
// point's so the citizen page stays light. Italian first, English second.

import { makeTranslator } from '../i18n';

const it = {
  'pass.title': 'Il tuo pass visitatore',
  'pass.noToken': 'Per vedere il pass apri il collegamento che ti ha dato il punto informazioni (oppure inquadra il codice QR sul tuo badge).',
  'pass.notFound': 'Questo pass non esiste più: è stato sostituito o i dati sono stati cancellati. Rivolgiti al punto informazioni.',
  'pass.error': 'Non è stato possibile caricare il pass: {message}',
  'pass.retry': 'Riprova',
  'pass.refresh': 'Aggiorna',
  'pass.qrAlt': 'Codice QR del pass, da mostrare al tornello',
  'pass.show': 'Mostra questo codice al lettore del tornello. Se non viene letto, alza la luminosità dello schermo.',
  'pass.name': 'Nome',
  'pass.destination': 'Destinazione',
  'pass.window': 'Validità',
  'pass.windowText': 'dalle {from} alle {until}',
  'pass.state': 'Stato',
  'pass.state.valid': 'Valido: puoi entrare.',
  'pass.state.not_yet_valid': 'Non ancora valido.',
  'pass.state.expired': 'Scaduto. Rivolgiti al punto informazioni.',
  'pass.state.revoked': 'Revocato. Rivolgiti al punto informazioni.',
  'pass.state.inside': 'Sei entrato ({area}). All’uscita mostra di nuovo il codice.',
  'pass.privacy': 'Il pass contiene solo il tuo nome e la destinazione. I dati della visita vengono cancellati dopo poche ore.',
};

const en: Record<keyof typeof it, string> = {
  'pass.title': 'Your visitor pass',
  'pass.noToken': 'To see the pass, open the link the info point gave you (or scan the QR code on your badge).',
  'pass.notFound': 'This pass no longer exists: it was replaced or its data erased. Please ask at the info point.',
  'pass.error': 'The pass could not be loaded: {message}',
  'pass.retry': 'Try again',
  'pass.refresh': 'Refresh',
  'pass.qrAlt': 'QR code of the pass, to show at the turnstile',
  'pass.show': 'Show this code to the turnstile reader. If it is not read, turn up the screen brightness.',
  'pass.name': 'Name',
  'pass.destination': 'Destination',
  'pass.window': 'Valid',
  'pass.windowText': 'from {from} to {until}',
  'pass.state': 'State',
  'pass.state.valid': 'Valid: you may enter.',
  'pass.state.not_yet_valid': 'Not valid yet.',
  'pass.state.expired': 'Expired. Please ask at the info point.',
  'pass.state.revoked': 'Revoked. Please ask at the info point.',
  'pass.state.inside': 'You are inside ({area}). Show the code again on your way out.',
  'pass.privacy': 'The pass holds only your first name and destination. The visit’s data is erased after a few hours.',
};

export const tp = makeTranslator(it, en);
export type PassKey = keyof typeof it;
