// The board's call chime (WebAudio, two short tones) and the optional spoken call
// (speechSynthesis, in the page's language).
//
// Browsers refuse to start audio before a user gesture (autoplay policy): an AudioContext made
// at load stays "suspended" and every resume() logs "AudioContext was not allowed to start".
// So the context is made once, its state is published (audioState / onAudioState), and the
// board shows an "Attiva audio" button while it is blocked; any click or key on the page
// (a TV remote's OK key included) resumes it. A TV that plays sound unattended runs Chromium
// with --autoplay-policy=no-user-gesture-required (docs/OPERATIONS.md), and never sees the button.

export type AudioState = 'running' | 'blocked' | 'unavailable';

let ctx: AudioContext | null = null;
const listeners = new Set<(s: AudioState) => void>();

function context(): AudioContext | null {
  if (ctx) return ctx;
  try {
    ctx = new AudioContext();
    ctx.onstatechange = () => listeners.forEach((l) => l(audioState()));
  } catch {
    ctx = null;
  }
  return ctx;
}

export function audioState(): AudioState {
  const c = context();
  if (!c) return 'unavailable';
  return c.state === 'running' ? 'running' : 'blocked';
}

/** Calls `cb` whenever the audio state changes; returns the unsubscribe. */
export function onAudioState(cb: (s: AudioState) => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** Resumes the audio; only works inside a user gesture (click, key). */
export async function unlockAudio(): Promise<AudioState> {
  const c = context();
  if (!c) return 'unavailable';
  if (c.state !== 'running') await c.resume().catch(() => undefined);
  return audioState();
}

export function chime(): void {
  const c = context();
  if (!c) return;
  if (c.state === 'running') play(c);
  // After a gesture on this page (the citizen knocked, took a ticket) the browser lets it start.
  // Without one, trying would only log a refusal: the board shows its "Attiva audio" button.
  else if (navigator.userActivation?.hasBeenActive) void c.resume().then(() => c.state === 'running' && play(c), () => undefined);
}

function play(c: AudioContext): void {
  try {
    const now = c.currentTime;
    [880, 660].forEach((freq, i) => {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const start = now + i * 0.35;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      osc.connect(gain).connect(c.destination);
      osc.start(start);
      osc.stop(start + 0.32);
    });
  } catch {
    // no audio on this device
  }
}

export function speak(text: string, lang: string): void {
  try {
    if (!('speechSynthesis' in window)) return;
    const u = new SpeechSynthesisUtterance(text);
    u.lang = lang;
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  } catch {
    // no speech on this device
  }
}
