// "Mettiamoci la faccia" for a ticket, an appointment or a case: asks the server whether the
// contact may be rated (GET /api/v1/enti/{slug}/ratings/{channel}/{ref} with the holder's token)
// and, once it is over, shows the same three faces as a visit (reception/rating.tsx). Nothing is
// shown while the contact is still open or if the server does not answer.

import { useEffect, useState } from 'preact/hooks';
import { enc, holderCall } from '../api';
import { Rating, type RatingSink } from '../reception/rating';

export type RatedChannel = 'ticket' | 'appointment' | 'case';

const HEADER: Record<RatedChannel, string> = {
  ticket: 'X-Ticket-Token',
  appointment: 'X-Booking-Token',
  case: 'X-Case-Token',
};

interface RatingStatus {
  rateable: boolean;
  rated: boolean;
}

export function ContactRating(p: { slug: string; channel: RatedChannel; contact: string; token: string; over: boolean }) {
  const [status, setStatus] = useState<RatingStatus | null>(null);
  const path = `/api/v1/enti/${enc(p.slug)}/ratings/${p.channel}/${enc(p.contact)}`;
  const headers = { [HEADER[p.channel]]: p.token };

  useEffect(() => {
    if (!p.over) return;
    holderCall<RatingStatus>('GET', path, headers)
      .then(setStatus)
      .catch(() => setStatus(null));
  }, [path, p.token, p.over]);

  if (!p.over || !status || (!status.rateable && !status.rated)) return null;
  const sink: RatingSink = { rate: (body) => holderCall<unknown>('POST', path, headers, body) };
  return (
    <div class="contact-rating mt-4 mb-4" data-testid={`rating-${p.channel}`}>
      <Rating client={sink} rated={status.rated} onRated={() => setStatus({ rateable: false, rated: true })} />
    </div>
  );
}
