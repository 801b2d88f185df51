// The workspace's right pane: the citizen of the conversation on screen — who they are, what
// they asked, when they arrived — and the cases under the same name (GET …/cases?citizen=),
// each a link to the console's case view. Canned answers are used in the conversation's own
// message box (../knowledge/suggestions' CannedPicker).

import { useEffect, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { apiMessage } from '../components/forms';
import { formatTime } from '../format';
import { tw } from '../line/i18n-workspace';
import { label, type Visit, visitWho } from './console-model';

interface CaseRow {
  id: string;
  code: string;
  subject: string;
  state: string;
  office: { name: string };
}

export function CitizenContext({ slug, visit, tz }: { slug: string; visit: Visit | null; tz: string }) {
  const [cases, setCases] = useState<CaseRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = visit?.name?.trim() ?? '';
  useEffect(() => {
    setCases(null);
    setError(null);
    if (!name) return;
    get<{ cases: CaseRow[] }>(`/api/v1/enti/${enc(slug)}/cases?citizen=${encodeURIComponent(name)}`)
      .then((a) => setCases(a.cases.slice(0, 10)))
      .catch((e) => setError(apiMessage(e)));
  }, [slug, name, visit?.state]);
  if (!visit) return <p class="small">{tw('context.none')}</p>;
  return (
    <div class="panel citizen-card" data-visit={visit.id}>
      <dl class="mb-2 small">
        <dt>{tw('context.who')}</dt>
        <dd>
          {visitWho(visit)} · {label('mode', visit.mode)}
        </dd>
        {visit.topic && (
          <>
            <dt>{tw('context.topic')}</dt>
            <dd>{visit.topic}</dd>
          </>
        )}
        <dt>{tw('context.office')}</dt>
        <dd>{visit.office.name}</dd>
        <dt>{tw('context.arrived')}</dt>
        <dd>{formatTime(visit.knocked_at, tz)}</dd>
      </dl>
      {name && (
        <>
          <h3 class="h6">{tw('context.cases')}</h3>
          {error && <p class="small text-danger">{tw('context.loadError', { message: error })}</p>}
          {cases && cases.length === 0 && <p class="small mb-0">{tw('context.noCases')}</p>}
          {cases && cases.length > 0 && (
            <ul class="list-unstyled small mb-0" id="context-cases">
              {cases.map((c) => (
                <li data-case={c.code}>
                  <a href={`#/pratiche/${enc(c.id)}`}>{c.code}</a> · {c.subject} · {c.office.name}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <p class="small mt-2 mb-0">{tw('context.canned')}</p>
    </div>
  );
}
