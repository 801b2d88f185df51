// Before knocking: the office's situation right now (open for chat / video, operators on duty,
// people waiting, estimated wait) and the knock form (optional name and topic, chat or video).

import { useEffect, useRef, useState } from 'preact/hooks';
import { FormMessages, TextField } from '../components/forms';
import { Deflection, DeflectionEnded } from '../knowledge/deflection';
import type { ArticleHit } from '../knowledge/kb-api';
import { tv } from './i18n-visit';
import { formatWait, formatWhen } from './text';
import { errorText, type Reception, type VisitMode } from './visit-api';
import { fullName, signedInPrefill } from '../citizens/signed-in';

const MODES: VisitMode[] = ['chat', 'video'];

/** The modes this office offers, in the order chat, video. */
export function offeredModes(r: Reception): VisitMode[] {
  return MODES.filter((m) => r.modes[m] !== undefined && r.modes[m]?.offered !== false);
}

export function canKnockAny(r: Reception): boolean {
  return MODES.some((m) => r.can_knock[m]);
}

/** The earliest next opening among the offered modes (for the "closed" notice). */
export function nextOpening(r: Reception): string | null {
  const times = offeredModes(r)
    .map((m) => r.modes[m]?.next_opens_at)
    .filter((x): x is string => !!x)
    .sort();
  return times[0] ?? null;
}

/** Closed when no offered mode is open now; open but nobody can knock means nobody is on duty. */
export function refusalReason(r: Reception): 'closed' | 'unstaffed' {
  return offeredModes(r).some((m) => r.modes[m]?.open) ? 'unstaffed' : 'closed';
}

const modeName = (m: VisitMode) => (m === 'chat' ? tv('reception.chat') : tv('reception.video'));

export function ReceptionInfo({ r, tz }: { r: Reception; tz: string }) {
  return (
    <section class="reception-info" aria-labelledby="reception-now-title">
      <h2 class="h5" id="reception-now-title">
        {tv('reception.now')}
      </h2>
      <dl class="reception-facts">
        {offeredModes(r).map((m) => {
          const s = r.modes[m]!;
          return (
            <div class="fact" data-mode={m} data-open={s.open ? 'true' : 'false'}>
              <dt>{modeName(m)}</dt>
              <dd>
                <span class={`office-status ${s.open ? 'is-open' : 'is-closed'}`}>
                  {s.open
                    ? tv('reception.open')
                    : s.next_opens_at
                      ? tv('reception.closedUntil', { when: formatWhen(s.next_opens_at, tz) })
                      : tv('reception.closed')}
                </span>
              </dd>
            </div>
          );
        })}
        <div class="fact" id="reception-operators">
          <dt>{tv('reception.operators')}</dt>
          <dd>{r.operators_available}</dd>
        </div>
        <div class="fact" id="reception-waiting">
          <dt>{tv('reception.waiting')}</dt>
          <dd>{r.waiting}</dd>
        </div>
        <div class="fact" id="reception-wait">
          <dt>{tv('reception.wait')}</dt>
          <dd>{formatWait(r.estimated_wait_ms)}</dd>
        </div>
      </dl>
    </section>
  );
}

export interface KnockInput {
  name?: string;
  topic?: string;
  mode: VisitMode;
}

/**
 * The knock form. Modes that cannot be used now are shown disabled with the reason, so the
 * person knows video exists even while only chat is open. `onKnock` throws to show an error.
 */
export function KnockForm({ r, onKnock, compact = false, slug }: { r: Reception; onKnock: (k: KnockInput) => Promise<void>; compact?: boolean; slug?: string }) {
  const modes = offeredModes(r);
  // ?name=…&topic=…&mode=video pre-fill the form (a video appointment's "Entra nella
  // videochiamata" link carries the person's name and the booking code).
  const q = new URLSearchParams(location.search);
  const wanted = q.get('mode') === 'video' && r.can_knock.video ? 'video' : null;
  const [mode, setMode] = useState<VisitMode>(wanted ?? modes.find((m) => r.can_knock[m]) ?? modes[0] ?? 'chat');
  const [name, setName] = useState((q.get('name') ?? '').slice(0, 80));
  const [topic, setTopic] = useState((q.get('topic') ?? '').slice(0, 200));
  // Signed in with SPID/CIE: the name comes prefilled, still editable (issue 19).
  useEffect(() => {
    if (slug) void signedInPrefill(slug).then((p) => p && setName((n) => n || fullName(p).slice(0, 80)));
  }, [slug]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // The question ended at a scheda ("Ho trovato la risposta"): the form gives way until "Mi
  // serve ancora aiuto", which brings it back as it was, the focus on the topic.
  const [ended, setEnded] = useState<ArticleHit | null>(null);
  const wasEnded = useRef(false);
  useEffect(() => {
    if (wasEnded.current && !ended) document.getElementById('knock-topic')?.focus();
    wasEnded.current = !!ended;
  }, [ended]);

  if (ended && slug)
    return (
      <section class="knock-form" aria-labelledby="knock-ended-title">
        <DeflectionEnded slug={slug} article={ended} idPrefix="knock" headingLevel={2} onBack={() => setEnded(null)} />
      </section>
    );

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onKnock({ name: name.trim() || undefined, topic: topic.trim() || undefined, mode });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <section class="knock-form" aria-labelledby="knock-title">
      <h2 class={compact ? 'h5 mb-4' : 'h4 mb-5'} id="knock-title">
        {tv('knock.title')}
      </h2>
      <form noValidate onSubmit={onSubmit}>
        <TextField id="knock-name" label={tv('knock.name')} hint={compact ? undefined : tv('knock.nameHint')} value={name} onInput={setName} autoComplete="given-name" maxLength={80} />
        <TextField id="knock-topic" label={tv('knock.topic')} hint={compact ? undefined : tv('knock.topicHint')} value={topic} onInput={setTopic} maxLength={200} />
        {modes.length > 1 && (
          <fieldset class="form-fieldset mb-3" id="knock-mode">
            <legend class="fieldset-legend">{tv('knock.mode')}</legend>
            {modes.map((m) => {
              const usable = !!r.can_knock[m];
              return (
                <div class="form-check">
                  <input
                    type="radio"
                    name="knock-mode"
                    id={`knock-mode-${m}`}
                    value={m}
                    checked={mode === m}
                    disabled={!usable}
                    onChange={() => setMode(m)}
                    aria-describedby={usable ? undefined : `knock-mode-${m}-note`}
                  />
                  <label for={`knock-mode-${m}`}>{m === 'chat' ? tv('knock.modeChat') : tv('knock.modeVideo')}</label>
                  {!usable && (
                    <small class="form-text d-block field-hint" id={`knock-mode-${m}-note`}>
                      {tv('knock.modeClosed', { mode: modeName(m) })}
                    </small>
                  )}
                </div>
              );
            })}
          </fieldset>
        )}
        <FormMessages error={error} />
        <button type="submit" class="btn btn-primary btn-lg knock-button" id="knock-button" disabled={busy}>
          {busy ? tv('knock.submitting') : tv('knock.submit')}
        </button>
      </form>
      {/* Under the button: a suggestion appearing never pushes the button away. */}
      {slug && <Deflection slug={slug} text={topic} context={compact ? 'widget' : 'knock'} idPrefix="knock" onEnded={setEnded} />}
    </section>
  );
}
