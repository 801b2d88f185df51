// Helpers shared by the staff pages (console, admin): session guard, role names, sign-out.

import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../api';
import { t, tMaybe } from '../i18n';
import { goToLogin, loadSession, logout } from '../session';
import { apiMessage } from './forms';

export function roleName(role: string): string {
  return tMaybe(`role.${role}`, role);
}

export function LogoutButton({ slug }: { slug: string }) {
  return (
    <button
      type="button"
      class="btn btn-link header-link"
      onClick={async () => {
        try {
          await logout();
        } finally {
          goToLogin(slug);
        }
      }}
    >
      {t('console.logout')}
    </button>
  );
}

/** Loads the session for a staff page of `slug`; not signed in (or another ente) → login. */
export function useStaffSession(slug: string) {
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadSession()
      .then((s) => {
        if (!s || s.ente?.slug !== slug) goToLogin(slug);
        else setSession(s);
      })
      .catch((e) => setError(apiMessage(e)));
  }, [slug]);
  return { session, setSession, error };
}

