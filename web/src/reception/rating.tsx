// "Mettiamoci la faccia": three faces after the visit. On the page they are radio buttons with
// text labels, then (for neutral / negative) the reasons and an optional comment; on the kiosk
// each face is one big button that sends the rating at once. The same form rates a ticket, an
// appointment and a case (feedback/contact-rating.tsx): one rating model for every channel.

import { useState } from 'preact/hooks';
import { CheckboxGroup, FormMessages, TextArea } from '../components/forms';
import { tv, type VisitKey } from './i18n-visit';
import { errorText, REASONS, type Reason, type Score } from './visit-api';
import { ApiError } from '../api';
import './rating.css';

const SCORES: Score[] = ['positive', 'neutral', 'negative'];
const MAX_COMMENT = 500;

/** A face drawn inline (no image file, no emoji font needed); decorative, the label says it. */
export function Face({ score }: { score: Score }) {
  const mouth = score === 'positive' ? 'M8 14.5q4 4 8 0' : score === 'neutral' ? 'M8 15.5h8' : 'M8 17q4-4 8 0';
  return (
    <svg class={`face face-${score}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10.5" fill="none" stroke="currentColor" stroke-width="1.6" />
      <circle cx="8.5" cy="9.5" r="1.3" fill="currentColor" />
      <circle cx="15.5" cy="9.5" r="1.3" fill="currentColor" />
      <path d={mouth} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </svg>
  );
}

/** Whatever stores the rating: a visit's client, or any channel's (feedback/contact-rating.tsx). */
export interface RatingSink {
  rate(body: { score: Score; reasons?: Reason[]; comment?: string }): Promise<unknown>;
}

export function Rating(p: { client: RatingSink; rated: boolean; kiosk?: boolean; onRated: () => void; headingLevel?: 2 | 3 }) {
  const [score, setScore] = useState<Score | null>(null);
  const [reasons, setReasons] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [scoreError, setScoreError] = useState<string | undefined>();
  const [done, setDone] = useState(p.rated);
  const H = p.headingLevel === 3 ? 'h3' : 'h2';

  const submit = async (s: Score | null) => {
    if (!s) {
      setScoreError(tv('rating.choose'));
      document.getElementById('rating-positive')?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const withReasons = s !== 'positive' && reasons.length > 0;
      await p.client.rate({
        score: s,
        ...(withReasons ? { reasons: reasons as Reason[] } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setDone(true);
      p.onRated();
    } catch (e) {
      // Already rated (e.g. from another tab): nothing more to ask.
      if (e instanceof ApiError && e.status === 409) {
        setDone(true);
        p.onRated();
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <p class={`rating-thanks ${p.kiosk ? 'display-5' : 'h4'}`} role="status" id="rating-thanks">
        {tv('rating.thanks')}
      </p>
    );

  if (p.kiosk)
    return (
      <section class="rating is-kiosk" aria-labelledby="rating-title">
        <H id="rating-title">{tv('rating.question')}</H>
        <div class="kiosk-faces">
          {SCORES.map((s) => (
            <button type="button" class={`btn kiosk-face face-btn-${s}`} disabled={busy} onClick={() => void submit(s)}>
              <Face score={s} />
              <span>{tv(`rating.${s}` as VisitKey)}</span>
            </button>
          ))}
        </div>
        <FormMessages error={error} />
      </section>
    );

  return (
    <section class="rating" aria-labelledby="rating-title">
      <H class="h4" id="rating-title">
        {tv('rating.title')}
      </H>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit(score);
        }}
      >
        <fieldset class="form-fieldset mb-3" aria-describedby={scoreError ? 'rating-score-error' : undefined}>
          <legend class="fieldset-legend">{tv('rating.question')}</legend>
          <div class="faces">
            {SCORES.map((s) => (
              <div class="face-option">
                <input
                  type="radio"
                  name="rating-score"
                  id={`rating-${s}`}
                  value={s}
                  checked={score === s}
                  onChange={() => {
                    setScore(s);
                    setScoreError(undefined);
                  }}
                />
                <label for={`rating-${s}`}>
                  <Face score={s} />
                  <span>{tv(`rating.${s}` as VisitKey)}</span>
                </label>
              </div>
            ))}
          </div>
          {scoreError && (
            <div class="field-error" id="rating-score-error" role="alert">
              {scoreError}
            </div>
          )}
        </fieldset>
        {(score === 'neutral' || score === 'negative') && (
          <CheckboxGroup
            id="rating-reasons"
            label={tv('rating.reasons')}
            values={reasons}
            onChange={setReasons}
            options={REASONS.map((r) => ({ value: r, label: tv(`rating.reason.${r}` as VisitKey) }))}
          />
        )}
        <TextArea
          id="rating-comment"
          label={tv('rating.comment')}
          hint={tv('rating.counter', { n: comment.length, max: MAX_COMMENT })}
          value={comment}
          onInput={(v) => setComment(v.slice(0, MAX_COMMENT))}
          rows={3}
        />
        <FormMessages error={error} />
        <button type="submit" class="btn btn-primary" disabled={busy} id="rating-submit">
          {tv('rating.submit')}
        </button>
      </form>
    </section>
  );
}
