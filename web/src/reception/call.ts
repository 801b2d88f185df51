// WebRTC audio/video for one admitted visit, peer to peer between the citizen and the operator.
// Signalling rides the visit's topic on the shared Realtime socket (docs/API.md: the operator
// makes the offer, the citizen answers). The caller must already be subscribed to `visit:{id}`
// (the server relays signals only to connections subscribed as a party of the visit).
//
// The server relays signals only to whoever is connected at that moment, so a message can be
// lost if the other side is not listening yet: the operator repeats its offer until it gets an
// answer, and the citizen answers a repeated offer again with the same answer.

import type { Realtime, SignalFrom } from '../realtime';

export type CallState = 'idle' | 'connecting' | 'connected' | 'failed' | 'ended';
/** What the local side sends: camera and microphone, microphone only, or nothing (receive only). */
export type LocalMedia = 'audio+video' | 'audio' | 'none';

export interface IceConfig {
  ice_servers: RTCIceServer[];
  ice_transport_policy: 'all' | 'relay';
}

export interface VisitCallOptions {
  visitId: string;
  role: SignalFrom;
  realtime: Realtime;
  fetchIce: () => Promise<IceConfig>;
  localVideo?: HTMLVideoElement;
  remoteVideo: HTMLVideoElement;
  onState?: (s: CallState) => void;
}

type Signal =
  | { kind: 'offer' | 'answer'; sdp: string }
  | { kind: 'ice'; candidate: RTCIceCandidateInit }
  | { kind: 'bye' };

const OFFER_REPEAT_MS = 2_000;
const OFFER_REPEAT_MAX = 30;

export class VisitCall {
  private _pc: RTCPeerConnection | null = null;
  private _state: CallState = 'idle';
  private _media: LocalMedia = 'none';
  private localStream: MediaStream | null = null;
  private readonly remoteStream = new MediaStream();
  private readonly topic: string;
  /** Candidates that arrived before the remote description (they cannot be added yet). */
  private pendingIce: RTCIceCandidateInit[] = [];
  /** Signals that arrived while start() was still getting media and ICE servers. */
  private early: Signal[] = [];
  private offerTimer: number | undefined;
  private iceRestarted = false;
  private unlisten: (() => void) | null = null;

  constructor(private readonly opts: VisitCallOptions) {
    this.topic = `visit:${opts.visitId}`;
    (window as any).__sportelloCall = this;
  }

  get pc(): RTCPeerConnection | null {
    return this._pc;
  }

  get state(): CallState {
    return this._state;
  }

  /** What this side is sending, known once start() has resolved. */
  get media(): LocalMedia {
    return this._media;
  }

  /**
   * Gets camera and microphone (falling back to the microphone only, then to receiving only),
   * creates the peer connection with the server's ICE configuration and, for the operator,
   * sends the offer. Resolves once that is done, not when the call is connected (see onState).
   */
  async start(): Promise<void> {
    if (this._state !== 'idle') return;
    this.setState('connecting');
    // Listen before any await: the operator's offer may arrive while we ask for the camera.
    this.unlisten = this.opts.realtime.onSignal(this.topic, (from, data) => this.onSignal(from, data));
    try {
      const [ice, stream] = await Promise.all([this.opts.fetchIce(), this.getMedia()]);
      if (this.isOver()) {
        stream?.getTracks().forEach((t) => t.stop());
        return;
      }
      this.localStream = stream;
      if (stream && this.opts.localVideo) {
        const v = this.opts.localVideo;
        v.muted = true; // never play our own microphone back
        v.playsInline = true;
        v.srcObject = stream;
        void v.play().catch(() => undefined);
      }
      this.createPeer(ice, stream);
      const early = this.early;
      this.early = [];
      for (const s of early) await this.handle(s);
      if (this.opts.role === 'operator') await this.sendOffer(false);
    } catch (e) {
      console.warn('call start failed', e);
      this.cleanup();
      this.setState('failed');
    }
  }

  /** Ends the call on this side and tells the other side (the caller also DELETEs /call). */
  hangup(): void {
    if (this.isOver() && !this._pc) return;
    if (this._state !== 'idle') this.opts.realtime.signal(this.topic, { kind: 'bye' });
    this.cleanup();
    this.setState('ended');
  }

  /** Mutes the microphone and/or turns the camera off (the tracks keep flowing, silent/black). */
  setMuted(audio: boolean, video: boolean): void {
    this.localStream?.getAudioTracks().forEach((t) => (t.enabled = !audio));
    this.localStream?.getVideoTracks().forEach((t) => (t.enabled = !video));
  }

  // ---- internals ----------------------------------------------------------------------------

  private isOver(): boolean {
    return this._state === 'ended' || this._state === 'failed';
  }

  private async getMedia(): Promise<MediaStream | null> {
    const md = navigator.mediaDevices;
    if (!md?.getUserMedia) return null;
    const attempts: [MediaStreamConstraints, LocalMedia][] = [
      [{ audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 } } }, 'audio+video'],
      [{ audio: true, video: false }, 'audio'],
    ];
    for (const [constraints, media] of attempts) {
      try {
        const s = await md.getUserMedia(constraints);
        this._media = media;
        return s;
      } catch {
        // no camera, or refused: try with less
      }
    }
    this._media = 'none';
    return null;
  }

  private createPeer(ice: IceConfig, stream: MediaStream | null): void {
    const pc = new RTCPeerConnection({
      iceServers: ice.ice_servers,
      iceTransportPolicy: ice.ice_transport_policy,
    });
    this._pc = pc;
    const hasAudio = !!stream?.getAudioTracks().length;
    const hasVideo = !!stream?.getVideoTracks().length;
    stream?.getTracks().forEach((t) => pc.addTrack(t, stream));
    // The operator's offer must ask to receive audio and video even when it sends neither.
    if (this.opts.role === 'operator') {
      if (!hasAudio) pc.addTransceiver('audio', { direction: 'recvonly' });
      if (!hasVideo) pc.addTransceiver('video', { direction: 'recvonly' });
    }
    pc.onicecandidate = (ev) => {
      if (ev.candidate) this.opts.realtime.signal(this.topic, { kind: 'ice', candidate: ev.candidate.toJSON() });
    };
    pc.ontrack = (ev) => {
      if (!this.remoteStream.getTracks().includes(ev.track)) this.remoteStream.addTrack(ev.track);
      const v = this.opts.remoteVideo;
      if (v.srcObject !== this.remoteStream) {
        v.playsInline = true;
        v.srcObject = this.remoteStream;
      }
      void v.play().catch(() => undefined);
    };
    pc.onconnectionstatechange = () => {
      switch (pc.connectionState) {
        case 'connected':
          this.stopOfferRepeat();
          this.setState('connected');
          break;
        case 'failed':
          // One ICE restart (operator side, which owns the offers) before giving up.
          if (this.opts.role === 'operator' && !this.iceRestarted) {
            this.iceRestarted = true;
            void this.sendOffer(true);
          } else this.setState('failed');
          break;
        case 'disconnected':
          if (this._state === 'connected') this.setState('connecting');
          break;
        default:
          break;
      }
    };
  }

  private async sendOffer(iceRestart: boolean): Promise<void> {
    const pc = this._pc;
    if (!pc) return;
    const offer = await pc.createOffer({ iceRestart });
    await pc.setLocalDescription(offer);
    const send = () => {
      if (pc.localDescription && pc.signalingState === 'have-local-offer')
        this.opts.realtime.signal(this.topic, { kind: 'offer', sdp: pc.localDescription.sdp });
    };
    send();
    this.stopOfferRepeat();
    let n = 0;
    this.offerTimer = window.setInterval(() => {
      if (++n > OFFER_REPEAT_MAX || pc.signalingState !== 'have-local-offer') this.stopOfferRepeat();
      else send();
    }, OFFER_REPEAT_MS);
  }

  private stopOfferRepeat(): void {
    window.clearInterval(this.offerTimer);
    this.offerTimer = undefined;
  }

  private onSignal(from: SignalFrom, data: any): void {
    if (from === this.opts.role || !data || typeof data.kind !== 'string' || data.kind === 'typing') return;
    const s = data as Signal;
    if (!this._pc && s.kind !== 'bye') {
      this.early.push(s);
      return;
    }
    void this.handle(s).catch((e) => console.warn('signal failed', s.kind, e));
  }

  private async handle(s: Signal): Promise<void> {
    const pc = this._pc;
    if (s.kind === 'bye') {
      this.cleanup();
      this.setState('ended');
      return;
    }
    if (!pc || this.isOver()) return;
    switch (s.kind) {
      case 'offer': {
        if (this.opts.role !== 'citizen') return;
        // The same offer again: our answer was probably lost, send it again.
        if (pc.remoteDescription?.sdp === s.sdp) {
          if (pc.localDescription) this.opts.realtime.signal(this.topic, { kind: 'answer', sdp: pc.localDescription.sdp });
          return;
        }
        await pc.setRemoteDescription({ type: 'offer', sdp: s.sdp });
        await this.flushIce();
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        this.opts.realtime.signal(this.topic, { kind: 'answer', sdp: answer.sdp ?? '' });
        return;
      }
      case 'answer': {
        if (this.opts.role !== 'operator' || pc.signalingState !== 'have-local-offer') return;
        this.stopOfferRepeat();
        await pc.setRemoteDescription({ type: 'answer', sdp: s.sdp });
        await this.flushIce();
        return;
      }
      case 'ice': {
        if (!s.candidate) return;
        if (!pc.remoteDescription) this.pendingIce.push(s.candidate);
        else await pc.addIceCandidate(s.candidate).catch((e) => console.warn('bad ICE candidate', e));
        return;
      }
    }
  }

  private async flushIce(): Promise<void> {
    const pc = this._pc;
    const list = this.pendingIce;
    this.pendingIce = [];
    for (const c of list) await pc?.addIceCandidate(c).catch((e) => console.warn('bad ICE candidate', e));
  }

  private cleanup(): void {
    this.stopOfferRepeat();
    this.unlisten?.();
    this.unlisten = null;
    this.localStream?.getTracks().forEach((t) => t.stop());
    this.localStream = null;
    this.remoteStream.getTracks().forEach((t) => this.remoteStream.removeTrack(t));
    if (this._pc) {
      this._pc.onicecandidate = null;
      this._pc.ontrack = null;
      this._pc.onconnectionstatechange = null;
      this._pc.close();
    }
    this._pc = null;
    this.pendingIce = [];
    this.early = [];
    if (this.opts.localVideo) this.opts.localVideo.srcObject = null;
    this.opts.remoteVideo.srcObject = null;
  }

  private setState(s: CallState): void {
    if (s === this._state) return;
    this._state = s;
    this.opts.onState?.(s);
  }
}
