// The knock sound: a short two-tone beep made with WebAudio (no audio file). Browsers let a
// page play sound only after a user gesture, so the AudioContext is created and resumed on the
// first click or key press; before that, knocks are shown and announced but not heard.

let ctx: AudioContext | null = null;
const listeners = new Set<(on: boolean) => void>();

function notify(): void {
  const on = soundReady();
  listeners.forEach((fn) => fn(on));
}

/** Unlocks audio (call it from a user gesture). */
export function unlockSound(): void {
  try {
    ctx ??= new AudioContext();
    void ctx.resume().then(notify, notify);
  } catch {
    ctx = null;
  }
}

/** Unlocks audio on the first click or key press on the page; returns the remover. */
export function unlockSoundOnGesture(): () => void {
  const onGesture = () => {
    unlockSound();
    remove();
  };
  const remove = () => {
    document.removeEventListener('pointerdown', onGesture, true);
    document.removeEventListener('keydown', onGesture, true);
  };
  document.addEventListener('pointerdown', onGesture, true);
  document.addEventListener('keydown', onGesture, true);
  return remove;
}

export function soundReady(): boolean {
  return ctx?.state === 'running';
}

export function onSoundChange(fn: (on: boolean) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Plays the knock beep; false when audio is not unlocked yet. */
export function beep(): boolean {
  if (!ctx || ctx.state !== 'running') return false;
  const t0 = ctx.currentTime;
  const gain = ctx.createGain();
  gain.connect(ctx.destination);
  gain.gain.setValueAtTime(0.0001, t0);
  for (const [i, freq] of [880, 660].entries()) {
    const start = t0 + i * 0.18;
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(freq, start);
    osc.connect(gain);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
    osc.start(start);
    osc.stop(start + 0.16);
  }
  return true;
}
