// The service worker (vite.config.ts, VitePWA): registered once the page has loaded, so that
// precaching the app never competes with the first page for the network. When a new build has
// been installed it waits; `updateReady` tells the app, which offers a reload (UpdateBanner).
import { registerSW } from 'virtual:pwa-register';

type Listener = () => void;
let ready = false;
let apply: ((reload?: boolean) => Promise<void>) | null = null;
const listeners = new Set<Listener>();

export function updateReady(): boolean {
  return ready;
}

export function onUpdateReady(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

// Switches to the waiting build and reloads the page.
export function applyUpdate(): void {
  void apply?.(true);
}

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const start = () => {
    apply = registerSW({
      immediate: true,
      onNeedRefresh() {
        ready = true;
        for (const l of listeners) l();
      },
    });
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
