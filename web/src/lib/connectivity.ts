// Whether the server can be reached, learnt from the requests themselves. A request that gets no
// answer makes the server "unreachable" and starts probing it (GET /healthz) after 1 s, then 2,
// 4, 8, 16 and every 30 s; any request or probe that gets an answer makes it reachable again at
// once. The browser's online/offline events are only hints: they make the next probe happen now,
// they never decide the state themselves (a browser can be "online" behind a dead network, and
// a server can be stopped while the browser is online).

export type Reachability = 'online' | 'unreachable';

export interface ConnectivityState {
  status: Reachability;
  probing: boolean; // a probe is in flight
  failedProbes: number; // probes that failed since the server was last reached
  nextProbeAt: number | null; // when the next probe is due (ms since the epoch)
  since: number | null; // when the server stopped answering
}

export const FIRST_PROBE_MS = 1_000;
export const MAX_PROBE_MS = 30_000;

// The wait before probe number `failedProbes + 1`: 1 s, 2 s, 4 s ... capped at 30 s.
export function probeDelay(failedProbes: number): number {
  return Math.min(FIRST_PROBE_MS * 2 ** Math.max(0, failedProbes), MAX_PROBE_MS);
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

// Resolves true when the server answered, false when it did not.
export type Probe = () => Promise<boolean>;

export class Connectivity {
  private current: ConnectivityState = { status: 'online', probing: false, failedProbes: 0, nextProbeAt: null, since: null };
  private timer: unknown = null;
  private generation = 0; // a probe started before the state last changed is ignored
  // A hint or "Retry now" came while a probe was in flight: that probe may have been sent before
  // the network changed, so if it fails, probe again at once instead of waiting out the backoff.
  private probeAgain = false;
  private listeners = new Set<(s: ConnectivityState, previous: ConnectivityState) => void>();

  constructor(private probe: Probe, private timers: Timers = realTimers) {}

  state(): ConnectivityState {
    return this.current;
  }

  subscribe(listener: (s: ConnectivityState, previous: ConnectivityState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // A request got an answer from the server (whatever its status).
  reportSuccess(): void {
    if (this.current.status === 'online') return;
    this.cancelTimer();
    this.generation++;
    this.set({ status: 'online', probing: false, failedProbes: 0, nextProbeAt: null, since: null });
  }

  // A request got no answer. Starts probing unless already doing so.
  reportFailure(): void {
    if (this.current.status === 'unreachable') return;
    this.generation++;
    this.set({ status: 'unreachable', probing: false, failedProbes: 0, nextProbeAt: null, since: this.timers.now() });
    this.schedule();
  }

  // Probe at once ("Retry now", or the browser says the network changed); if that probe fails
  // too, the backoff starts again from its beginning.
  probeNow(): void {
    if (this.current.probing) {
      this.probeAgain = true;
      return;
    }
    this.cancelTimer();
    if (this.current.status === 'unreachable') this.set({ ...this.current, failedProbes: 0 });
    void this.runProbe();
  }

  // The browser's online/offline events: both only make a probe happen now.
  hintOnline(): void {
    this.probeNow();
  }
  hintOffline(): void {
    this.probeNow();
  }

  private schedule(): void {
    this.cancelTimer();
    const delay = probeDelay(this.current.failedProbes);
    this.set({ ...this.current, nextProbeAt: this.timers.now() + delay });
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runProbe();
    }, delay);
  }

  private async runProbe(): Promise<void> {
    const gen = this.generation;
    this.probeAgain = false;
    this.set({ ...this.current, probing: true, nextProbeAt: null });
    let ok = false;
    try {
      ok = await this.probe();
    } catch {
      ok = false;
    }
    if (gen !== this.generation) return; // a request answered or failed meanwhile: it decided
    if (ok) {
      this.reportSuccess();
      if (this.current.probing) this.set({ ...this.current, probing: false });
      return;
    }
    if (this.current.status === 'online') {
      // The browser hinted a change while things worked, and the probe failed: now unreachable.
      this.generation++;
      this.set({ status: 'unreachable', probing: false, failedProbes: 1, nextProbeAt: null, since: this.timers.now() });
    } else {
      this.set({ ...this.current, probing: false, failedProbes: this.current.failedProbes + 1 });
    }
    if (this.probeAgain) {
      this.set({ ...this.current, failedProbes: 0 });
      void this.runProbe();
      return;
    }
    this.schedule();
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private set(next: ConnectivityState): void {
    const previous = this.current;
    this.current = next;
    this.listeners.forEach((l) => l(next, previous));
  }
}

// What the banner under the header says: nothing, the server cannot be reached (checking now or
// waiting for the next probe), or writes kept on this device are waiting to be sent.
export type Banner =
  | { kind: 'none' }
  | { kind: 'unreachable'; checking: boolean; pending: number }
  | { kind: 'pending'; pending: number };

export function bannerFor(s: ConnectivityState, pending: number): Banner {
  if (s.status === 'unreachable') return { kind: 'unreachable', checking: s.probing, pending };
  if (pending > 0) return { kind: 'pending', pending };
  return { kind: 'none' };
}
