// Small formatting helpers of the reception pages: opening times in the ente's time zone,
// estimated waits, positions in line.

import { formatDateLong, formatTime, localDate } from '../format';
import { tv } from './i18n-visit';

/** "mercoledì 2 dicembre 2026 alle 14:00" in the ente's time zone (no relative words: the
 *  browser's clock may differ from the server's). */
export function formatWhen(instant: string, tz: string): string {
  return tv('when.at', { date: formatDateLong(localDate(instant, tz)), time: formatTime(instant, tz) });
}

/** "circa 8 minuti" (rounded up), "meno di un minuto"; unknown when there is no average yet. */
export function formatWait(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return tv('wait.unknown');
  if (ms < 60_000) return tv('wait.lessThanMinute');
  const n = Math.ceil(ms / 60_000);
  return n === 1 ? tv('wait.minute') : tv('wait.minutes', { n });
}

/** The contract's estimate: position × average handling time ÷ operators on duty (at least 1). */
export function estimateWait(position: number, avgHandleMs: number, operators: number): number {
  // The server's formula (src/reception/model/visit.cc, estimatedWaitMs): the turns of those
  // ahead shared by the operators on duty, plus half a turn for the first free one.
  if (position <= 0) return 0;
  const ops = Math.max(1, operators);
  return Math.ceil(((position - 1) * avgHandleMs) / ops) + Math.floor(avgHandleMs / (2 * ops));
}

/** "Sei il 3° in attesa" / "Sei il primo in attesa". */
export function positionText(position: number): string {
  return position <= 1 ? tv('waiting.first') : tv('waiting.position', { n: position });
}
