// For the operator's console (issue 19): the earlier contacts (visits, cases, appointments,
// tickets) of the signed-in citizen behind a visit, limited by the server to the offices this
// operator serves. Nothing when the visit is anonymous. Hook it next to <VerifiedIdentity>:
// <EarlierContacts slug={slug} visitId={visit.id} />.

import { useEffect, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { tc } from './i18n-citizens';

interface Contact {
  kind: 'visit' | 'case' | 'appointment' | 'ticket';
  ref: string;
  office: string;
  state: string;
  summary: string;
  at: string;
}

const dateTime = (iso: string) =>
  new Date(iso).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'it-IT', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

// The state in words: each kind has its own states (the personal area's labels).
const STATE_KEYS: Record<Contact['kind'], string> = {
  visit: 'area.visitState.',
  case: 'area.caseState.',
  appointment: 'area.state.',
  ticket: 'area.ticketState.',
};
const stateText = (c: Contact) => {
  const key = STATE_KEYS[c.kind] + c.state;
  return tc.has(key) ? tc(key) : c.state;
};

export function EarlierContacts({ slug, visitId }: { slug: string; visitId: string }) {
  const [list, setList] = useState<Contact[] | null>(null);
  useEffect(() => {
    let live = true;
    get<{ verified: boolean; contacts: Contact[] }>(`/api/v1/enti/${enc(slug)}/citizens/contacts/visit/${enc(visitId)}`)
      .then((r) => live && setList(r.verified ? r.contacts : null))
      .catch(() => live && setList(null));
    return () => {
      live = false;
    };
  }, [slug, visitId]);
  if (!list) return null;
  return (
    <details class="earlier-contacts mb-2" data-testid="earlier-contacts">
      <summary>
        {tc('area.earlier')} ({list.length})
      </summary>
      {list.length === 0 ? (
        <p class="mb-0">
          <small>{tc('area.earlierNone')}</small>
        </p>
      ) : (
        <ul class="list-unstyled mb-0">
          {list.map((c) => (
            <li data-kind={c.kind}>
              <small>
                {dateTime(c.at)} · <strong>{tc(`area.kind.${c.kind}`)}</strong> {c.ref.length <= 16 ? c.ref : ''} · {c.office}
                {c.summary && c.kind !== 'appointment' && ` · ${c.summary}`} · {stateText(c)}
              </small>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
