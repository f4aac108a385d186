import { describe, expect, it } from 'vitest';
import { bannerFor, Connectivity, MAX_PROBE_MS, probeDelay, type Timers } from './connectivity';

// Timers driven by the test: advance() runs what is due, in order.
function fakeTimers() {
  let now = 1_000_000;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers & { advance(ms: number): Promise<void>; pending(): number[] } = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++seq;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void due.delete(h as number),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (!next || next[1].at > end) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await flushPromises();
      }
      now = end;
    },
    pending: () => [...due.values()].map((d) => d.at - now),
  };
  return timers;
}

const flushPromises = () => new Promise<void>((r) => setTimeout(r, 0));

// A probe whose answers the test sets; it records when it was asked.
function fakeProbe(timers: Timers) {
  const asked: number[] = [];
  const probe = {
    up: false,
    asked,
    fn: async () => {
      asked.push(timers.now());
      return probe.up;
    },
  };
  return probe;
}

describe('probe backoff', () => {
  it('waits 1, 2, 4, 8, 16 s, then 30 s at most', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 100].map(probeDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    expect(probeDelay(50)).toBe(MAX_PROBE_MS);
  });

  it('probes after a network failure on that schedule until the server answers', async () => {
    const timers = fakeTimers();
    const probe = fakeProbe(timers);
    const c = new Connectivity(probe.fn, timers);
    const start = timers.now();
    c.reportFailure();
    expect(c.state().status).toBe('unreachable');
    await timers.advance(100_000);
    const gaps = probe.asked.map((t, i) => t - (i === 0 ? start : probe.asked[i - 1]!));
    expect(gaps.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    probe.up = true;
    await timers.advance(30_000);
    expect(c.state().status).toBe('online');
    const count = probe.asked.length;
    await timers.advance(120_000);
    expect(probe.asked.length).toBe(count); // no probing while reachable
    expect(timers.pending()).toEqual([]);
  });

  it('starts again from 1 s after the server was reached in between', async () => {
    const timers = fakeTimers();
    const probe = fakeProbe(timers);
    const c = new Connectivity(probe.fn, timers);
    c.reportFailure();
    await timers.advance(7_000); // probes at 1 s and 3 s failed; next due at 7 s
    c.reportSuccess();
    expect(timers.pending()).toEqual([]);
    const before = probe.asked.length;
    c.reportFailure();
    await timers.advance(1_000);
    expect(probe.asked.length).toBe(before + 1);
  });
});

describe('reachability state', () => {
  it('goes back online the moment any request gets an answer, without waiting for a probe', async () => {
    const timers = fakeTimers();
    const probe = fakeProbe(timers);
    const c = new Connectivity(probe.fn, timers);
    const seen: string[] = [];
    c.subscribe((s, prev) => {
      if (s.status !== prev.status) seen.push(s.status);
    });
    c.reportFailure();
    c.reportFailure(); // a second failed request changes nothing
    await timers.advance(500);
    c.reportSuccess();
    expect(c.state()).toMatchObject({ status: 'online', probing: false, nextProbeAt: null });
    expect(seen).toEqual(['unreachable', 'online']);
    expect(probe.asked).toEqual([]);
  });

  it('ignores a probe that fails after a request already answered', async () => {
    const timers = fakeTimers();
    let finish: (ok: boolean) => void = () => {};
    const c = new Connectivity(() => new Promise<boolean>((r) => (finish = r)), timers);
    c.reportFailure();
    await timers.advance(1_000);
    expect(c.state().probing).toBe(true);
    c.reportSuccess();
    finish(false);
    await flushPromises();
    expect(c.state().status).toBe('online');
    expect(timers.pending()).toEqual([]);
  });

  it('takes the browser events as hints: a probe at once, the answer decides', async () => {
    const timers = fakeTimers();
    const probe = fakeProbe(timers);
    const c = new Connectivity(probe.fn, timers);
    probe.up = true;
    c.hintOffline(); // the browser says offline, but the server answers
    await flushPromises();
    expect(c.state().status).toBe('online');
    probe.up = false;
    c.hintOnline(); // the browser says online, but the server does not answer
    await flushPromises();
    expect(c.state().status).toBe('unreachable');
    // Unreachable and waiting 16 s: "online" probes now instead of waiting.
    await timers.advance(2_000 + 4_000 + 8_000);
    const n = probe.asked.length;
    probe.up = true;
    c.hintOnline();
    await flushPromises();
    expect(probe.asked.length).toBe(n + 1);
    expect(c.state().status).toBe('online');
  });
});

describe('a hint during a probe', () => {
  it('probes again at once when the network came back while a probe was in flight', async () => {
    const timers = fakeTimers();
    let release: (ok: boolean) => void = () => {};
    const asked: number[] = [];
    const c = new Connectivity(
      () =>
        new Promise<boolean>((r) => {
          asked.push(timers.now());
          release = r;
        }),
      timers,
    );
    c.reportFailure(); // a request got no answer
    await timers.advance(1_000); // the first probe is sent, offline, and hangs
    expect(asked.length).toBe(1);
    c.hintOnline(); // the network is back while that probe is still out
    release(false); // the old probe fails: it was sent before
    await flushPromises();
    expect(asked.length).toBe(2); // probed again now, not after the 2 s backoff
    release(true);
    await flushPromises();
    expect(c.state().status).toBe('online');
  });
});

describe('the banner', () => {
  it('shows the server away while unreachable, then what waits, then nothing', async () => {
    const timers = fakeTimers();
    const probe = fakeProbe(timers);
    const c = new Connectivity(probe.fn, timers);
    expect(bannerFor(c.state(), 0)).toEqual({ kind: 'none' });
    c.reportFailure();
    expect(bannerFor(c.state(), 2)).toEqual({ kind: 'unreachable', checking: false, pending: 2 });
    let checking: boolean | undefined;
    c.subscribe((s) => {
      if (s.probing) checking = (bannerFor(s, 2) as { checking: boolean }).checking;
    });
    probe.up = true;
    await timers.advance(1_000);
    expect(checking).toBe(true);
    expect(bannerFor(c.state(), 2)).toEqual({ kind: 'pending', pending: 2 }); // reachable: the queue is being sent
    expect(bannerFor(c.state(), 0)).toEqual({ kind: 'none' });
  });
});
