/**
 * The pairing token of a LAN screen. It arrives once in the pairing link (`/?token=…`), is kept
 * in this browser's storage, and is taken out of the address bar at once, so it does not end up
 * in bookmarks, screenshots or the history of a shared phone.
 */

const STORAGE_KEY = 'tendril.token';

export interface PairingPage {
  location: { href: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

export function takePairingToken(page: PairingPage): string | null {
  const url = new URL(page.location.href);
  const fresh = url.searchParams.get('token');
  if (fresh !== null) {
    url.searchParams.delete('token');
    page.history.replaceState(null, '', url.pathname + url.search + url.hash);
    if (fresh !== '') {
      try {
        page.localStorage.setItem(STORAGE_KEY, fresh);
      } catch {
        // Private browsing may refuse storage: the token still works until the page closes.
      }
      return fresh;
    }
  }
  try {
    return page.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** What an unpaired (or revoked) screen shows, so the grower knows the way in. */
export const NOT_PAIRED =
  'This screen is not paired with the station. Open the pairing link Tendril shows (it ends in ?token=…); ask whoever runs the station for one.';
