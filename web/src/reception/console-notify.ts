// Browser notifications of the workspace (issue 13): a knock or a message while the operator
// looks elsewhere. Asked for only by the operator's own click (never on load), shown only when
// the page is hidden, withdrawn as soon as what it announced is over (a colleague let that
// person in): the same tag closes it.

const open = new Map<string, Notification>();

export function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export function notificationsOn(): boolean {
  return notificationsSupported() && Notification.permission === 'granted';
}

/** Asks the browser (from a click). Resolves with whether notifications may be shown. */
export async function askNotifications(): Promise<boolean> {
  if (!notificationsSupported()) return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}

/** Shows `title`/`body` under `tag` while the page is hidden (visible: the page says it already). */
export function notify(tag: string, title: string, body: string): void {
  if (!notificationsOn() || document.visibilityState === 'visible') return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      n.close();
    };
    open.set(tag, n);
  } catch {
    // some browsers allow notifications only from a service worker: the page's alert remains
  }
}

/** Closes the notification under `tag`, if one is open. */
export function withdrawNotice(tag: string): void {
  const n = open.get(tag);
  if (!n) return;
  n.close();
  open.delete(tag);
}
