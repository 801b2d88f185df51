// For the operator's console (issue 19): "Identità verificata (SPID/CIE)" and the fiscal number
// of the citizen behind a contact, when a signed-in citizen made or claimed it; nothing
// otherwise. One line where the contact is shown: <VerifiedIdentity slug={slug} visitId={visit.id} />
// for a visit, <VerifiedIdentity slug={slug} kind="case" refId={caseId} /> for a case,
// kind="appointment" with the booking code for an appointment.

import { useEffect, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { tc } from './i18n-citizens';

interface Identity {
  verified: boolean;
  fiscal_number?: string;
  given_name?: string;
  family_name?: string;
}

type Props = { slug: string } & ({ visitId: string; kind?: undefined; refId?: undefined } | { kind: 'case' | 'appointment'; refId: string; visitId?: undefined });

export function VerifiedIdentity({ slug, visitId, kind, refId }: Props) {
  const [id, setId] = useState<Identity | null>(null);
  const path = kind ? `${kind}/${enc(refId)}` : `visit/${enc(visitId)}`;
  useEffect(() => {
    let live = true;
    get<Identity>(`/api/v1/enti/${enc(slug)}/citizens/identity/${path}`)
      .then((r) => live && setId(r))
      .catch(() => live && setId(null));
    return () => {
      live = false;
    };
  }, [slug, path]);
  if (!id?.verified) return null;
  return (
    <p class="verified-identity mb-2" data-testid="verified-identity">
      <span class="badge bg-success me-2">{tc('area.verified')}</span>
      <span>
        {tc('area.fiscalNumber')}: <strong>{id.fiscal_number}</strong>
      </span>
    </p>
  );
}
