// The video call of an admitted visit, citizen side: the operator's video, our muted preview,
// microphone / camera / hang-up buttons. The VisitCall lives exactly as long as this panel.

import { useEffect, useRef, useState } from 'preact/hooks';
import { VisitCall, type CallState } from './call';
import { tv } from './i18n-visit';
import type { Realtime } from '../realtime';
import type { VisitClient } from './visit-api';

export function CallPanel(p: { client: VisitClient; realtime: Realtime; onHangup: () => void; large?: boolean }) {
  const remote = useRef<HTMLVideoElement>(null);
  const local = useRef<HTMLVideoElement>(null);
  const callRef = useRef<VisitCall | null>(null);
  const [state, setState] = useState<CallState>('idle');
  const [media, setMedia] = useState<VisitCall['media'] | null>(null);
  const [micOff, setMicOff] = useState(false);
  const [camOff, setCamOff] = useState(false);

  useEffect(() => {
    const call = new VisitCall({
      visitId: p.client.id,
      role: 'citizen',
      realtime: p.realtime,
      fetchIce: () => p.client.ice(),
      localVideo: local.current ?? undefined,
      remoteVideo: remote.current!,
      onState: setState,
    });
    callRef.current = call;
    void call.start().then(() => setMedia(call.media));
    return () => call.hangup();
  }, []);

  useEffect(() => {
    callRef.current?.setMuted(micOff, camOff);
  }, [micOff, camOff]);

  const status =
    state === 'connected'
      ? tv('call.connected')
      : state === 'failed'
        ? tv('call.failed')
        : state === 'ended'
          ? tv('call.ended')
          : tv('call.connecting');
  const btn = `btn ${p.large ? 'btn-lg' : 'btn-sm'}`;

  return (
    <section class={`call-panel ${p.large ? 'is-large' : ''}`} aria-labelledby="call-title" data-call-state={state}>
      <h3 class="h5" id="call-title">
        {tv('call.title')}
      </h3>
      <p role="status" class="call-status" id="call-status">
        {status}
      </p>
      <div class="call-videos">
        <video ref={remote} class="call-remote" autoPlay playsInline aria-label={tv('call.remote')} />
        <video ref={local} class="call-local" autoPlay playsInline muted aria-label={tv('call.local')} />
      </div>
      {media === 'audio' && <p class="small">{tv('call.noCamera')}</p>}
      {media === 'none' && <p class="small">{tv('call.noMedia')}</p>}
      <div class="call-controls d-flex flex-wrap gap-2">
        <button type="button" class={`${btn} btn-outline-primary`} disabled={media === 'none'} onClick={() => setMicOff(!micOff)}>
          {micOff ? tv('call.unmuteMic') : tv('call.muteMic')}
        </button>
        <button type="button" class={`${btn} btn-outline-primary`} disabled={media !== 'audio+video'} onClick={() => setCamOff(!camOff)}>
          {camOff ? tv('call.cameraOn') : tv('call.cameraOff')}
        </button>
        <button type="button" class={`${btn} btn-danger`} id="call-hangup" onClick={p.onHangup}>
          {tv('call.hangup')}
        </button>
      </div>
    </section>
  );
}
