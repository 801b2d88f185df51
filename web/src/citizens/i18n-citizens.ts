// Strings of the citizens' sign-in and personal area (issue 19). Italian first, English second;
// `en` is typed after `it`, so a key missing in English does not compile.

import { makeTranslator } from '../i18n';

const it = {
  'area.title': 'Area personale',
  'area.lead': 'Entra con la tua identità digitale per ritrovare qui le tue richieste. Tutti i servizi restano disponibili anche senza accedere.',
  'area.signIn': 'Accedi',
  'area.noProviders': 'Il Comune non ha ancora attivato l’accesso con SPID o CIE. Puoi usare tutti i servizi senza accedere.',
  'area.error': 'L’accesso non è riuscito. Riprova; se il problema continua, usa i servizi senza accedere.',
  'area.loadError': 'Non riusciamo a caricare l’area personale. Controlla la connessione e riprova.',
  'area.welcome': 'Ciao {name}',
  'area.identity': 'I tuoi dati',
  'area.fiscalNumber': 'Codice fiscale',
  'area.name': 'Nome e cognome',
  'area.email': 'Email',
  'area.phone': 'Telefono',
  'area.verified': 'Identità verificata (SPID/CIE)',
  'area.signOut': 'Esci',
  'area.signedOut': 'Sei uscito dall’area personale.',
  'area.services': 'Servizi e informazioni',
  'area.offices': 'Uffici, orari e contatti',
};

const en: Record<keyof typeof it, string> = {
  'area.title': 'Personal area',
  'area.lead': 'Sign in with your digital identity to find your requests here. Every service stays available without signing in.',
  'area.signIn': 'Sign in',
  'area.noProviders': 'The municipality has not enabled SPID or CIE sign-in yet. You can use every service without signing in.',
  'area.error': 'Signing in did not work. Try again; if it keeps failing, use the services without signing in.',
  'area.loadError': 'We cannot load the personal area. Check the connection and try again.',
  'area.welcome': 'Hello {name}',
  'area.identity': 'Your details',
  'area.fiscalNumber': 'Fiscal number',
  'area.name': 'Name',
  'area.email': 'Email',
  'area.phone': 'Phone',
  'area.verified': 'Verified identity (SPID/CIE)',
  'area.signOut': 'Sign out',
  'area.signedOut': 'You have signed out of the personal area.',
  'area.services': 'Services and information',
  'area.offices': 'Offices, hours and contacts',
};

export const tc = makeTranslator(it, en);
