// For the operator's console (issue 19): "Identità verificata (SPID/CIE)" and the fiscal number
// of the citizen behind a visit, when a signed-in citizen made it; nothing otherwise. Hook it
// into the visit's detail with one line: <VerifiedIdentity slug={slug} visitId={visit.id} />.

import { useEffect, useState } from 'preact/hooks';
import { enc, get } from '../api';
import { tc } from './i18n-citizens';

interface Identity {
  verified: boolean;
  fiscal_number?: string;
  given_name?: string;
  family_name?: string;
}

export function VerifiedIdentity({ slug, visitId }: { slug: string; visitId: string }) {
  const [id, setId] = useState<Identity | null>(null);
  useEffect(() => {
    let live = true;
    get<Identity>(`/api/v1/enti/${enc(slug)}/citizens/identity/visit/${enc(visitId)}`)
      .then((r) => live && setId(r))
      .catch(() => live && setId(null));
    return () => {
      live = false;
    };
  }, [slug, visitId]);
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
