// "Lascia un messaggio": the offline form that always reaches a person. It creates a callback
// request (POST …/callback-requests), which opens a case, and shows the case's code and secret
// prominently (the pair the tracking page asks for), with the focus on them.

import { useEffect, useRef, useState } from 'preact/hooks';
import { Checkbox, FormMessages, TextArea, TextField, useSubmit } from '../components/forms';
import { Deflection, DeflectionEnded } from '../knowledge/deflection';
import type { ArticleHit } from '../knowledge/kb-api';
import { tv } from './i18n-visit';
import { sendCallbackRequest, type CallbackCase } from './visit-api';
import { fullName, linkCase, signedInPrefill } from '../citizens/signed-in';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^\+?[0-9][0-9 ./-]{5,19}$/;
const FIELDS = ['name', 'contact', 'message', 'privacy_accepted'];

export function MessageForm({ slug, office, idPrefix = 'cb', headingLevel = 2 }: { slug: string; office: string; idPrefix?: string; headingLevel?: 2 | 3 }) {
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [message, setMessage] = useState('');
  const [privacy, setPrivacy] = useState(false);
  const [code, setCode] = useState<string | null>(null);
  const [track, setTrack] = useState<CallbackCase | null>(null);
  const { state, run } = useSubmit((f) => FIELDS.includes(f));
  const codeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (code) codeRef.current?.focus();
  }, [code]);
  // Signed in with SPID/CIE: name and contact come prefilled, still editable (issue 19).
  useEffect(() => {
    void signedInPrefill(slug).then((p) => {
      if (!p) return;
      setName((n) => n || fullName(p));
      setContact((c) => c || p.email || p.phone);
    });
  }, [slug]);
  // The question ended at a scheda: no message to leave, until "Mi serve ancora aiuto".
  const [ended, setEnded] = useState<ArticleHit | null>(null);
  const wasEnded = useRef(false);
  useEffect(() => {
    if (wasEnded.current && !ended) document.getElementById(`${idPrefix}-message`)?.focus();
    wasEnded.current = !!ended;
  }, [ended]);

  const H = headingLevel === 3 ? 'h3' : 'h2';
  const id = (f: string) => `${idPrefix}-${f}`;

  if (code)
    return (
      <section class="callback-done" aria-labelledby={id('done-title')}>
        <div class="alert alert-success callback-code-box" tabIndex={-1} ref={codeRef} id="callback-code-box">
          <H class="h4" id={id('done-title')}>
            {tv('message.sent')}
          </H>
          {track ? (
            // One pair to keep: the case's code and secret, the same the tracking page asks for
            // (reception's message code is for the office only).
            <>
              <p class="mb-2">{tv('message.caseLead')}</p>
              <dl class="callback-codes mb-2">
                <dt>{tv('message.caseCode')}</dt>
                <dd class="callback-code" id="callback-code">
                  {track.code}
                </dd>
                <dt>{tv('message.caseSecret')}</dt>
                <dd class="callback-code callback-secret" id="callback-secret">
                  {track.secret}
                </dd>
              </dl>
              <p class="mb-2">{tv('message.caseHint')}</p>
              <p class="mb-0 d-flex flex-wrap gap-3 align-items-center">
                <a id="callback-case-link" href={track.tracking_link} target="_blank" rel="noopener">
                  {tv('message.track', { code: track.code })}
                </a>
                <button type="button" class="btn btn-outline-primary btn-sm" onClick={() => window.print()}>
                  {tv('message.print')}
                </button>
              </p>
              <p class="mb-0">
                <small>{tv('message.trackHint')}</small>
              </p>
            </>
          ) : (
            <>
              <p class="mb-1">{tv('message.code')}:</p>
              <p class="callback-code" id="callback-code">
                {code}
              </p>
              <p class="mb-0">{tv('message.codeHint')}</p>
            </>
          )}
        </div>
      </section>
    );

  if (ended)
    return (
      <section class="callback-form" aria-labelledby={`${idPrefix}-ended-title`} id="message-form">
        <DeflectionEnded slug={slug} article={ended} idPrefix={idPrefix} headingLevel={headingLevel === 3 ? 3 : 2} onBack={() => setEnded(null)} />
      </section>
    );

  const onSubmit = (e: Event) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const c = contact.trim();
    if (!name.trim()) errors.name = tv('message.required');
    else if (name.trim().length > 80) errors.name = tv('message.tooLong', { n: 80 });
    if (!c) errors.contact = tv('message.required');
    else if (!EMAIL_RE.test(c) && !PHONE_RE.test(c)) errors.contact = tv('message.badContact');
    if (!message.trim()) errors.message = tv('message.required');
    else if (message.length > 2000) errors.message = tv('message.tooLong', { n: 2000 });
    if (!privacy) errors.privacy_accepted = tv('message.privacyRequired');
    void run(async () => {
      const r = await sendCallbackRequest(slug, office, { name: name.trim(), contact: c, message: message.trim(), privacy_accepted: true });
      if (r.case) {
        setTrack(r.case);
        void linkCase(slug, r.case.code, r.case.secret);  // into the personal area when signed in
      }
      setCode(r.code);
    }, errors);
  };

  return (
    <section class="callback-form" aria-labelledby={id('title')} id="message-form">
      <H class="h4" id={id('title')} tabIndex={-1}>
        {tv('message.title')}
      </H>
      <p>{tv('message.lead')}</p>
      <form noValidate onSubmit={onSubmit}>
        <TextField id={id('name')} label={tv('message.name')} value={name} onInput={setName} required autoComplete="name" maxLength={80} error={state.errors.name} />
        <TextField
          id={id('contact')}
          label={tv('message.contact')}
          hint={tv('message.contactHint')}
          value={contact}
          onInput={setContact}
          required
          autoComplete="email"
          error={state.errors.contact}
        />
        <TextArea id={id('message')} label={tv('message.body')} value={message} onInput={setMessage} required rows={4} error={state.errors.message} />
        <Checkbox
          id={id('privacy_accepted')}
          label={tv('message.privacy')}
          hint={tv('message.privacyNotice')}
          checked={privacy}
          onChange={setPrivacy}
          error={state.errors.privacy_accepted}
          required
        />
        <FormMessages error={state.formError} />
        <button type="submit" class="btn btn-primary mt-2" disabled={state.busy}>
          {state.busy ? tv('message.submitting') : tv('message.submit')}
        </button>
      </form>
      <Deflection slug={slug} text={message} context="message" idPrefix={idPrefix} headingLevel={headingLevel === 3 ? 4 : 3} onEnded={setEnded} />
    </section>
  );
}
