import { useSyncExternalStore } from 'react';
import { screenFromHash, type ScreenId } from './screens';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The screen the address points at; follows links, the back button and typed addresses alike. */
export function useScreen(): ScreenId {
  return useSyncExternalStore(subscribe, () => screenFromHash(window.location.hash));
}
