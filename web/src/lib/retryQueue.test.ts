import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import { memoryQueue, RetryQueue, type QueuedWrite } from './retryQueue';

const write = (key: string) => ({ key, method: 'POST' as const, path: '/api/v1/activities', body: { id: key }, label: key });

describe('offline retry queue', () => {
  it('keeps writes while the network is down and sends them in order when it is back', async () => {
    let online = false;
    const sent: string[] = [];
    const storage = memoryQueue();
    const q = new RetryQueue(storage, async (w: QueuedWrite) => {
      if (!online) throw new NetworkError();
      sent.push(w.key);
    });
    q.enqueue(write('a'));
    q.enqueue(write('b'));
    let r = await q.flush();
    expect(r).toMatchObject({ remaining: 2, sent: [] });
    expect(storage.items[0]!.attempts).toBe(1);
    online = true;
    r = await q.flush();
    expect(sent).toEqual(['a', 'b']);
    expect(r.remaining).toBe(0);
    expect(storage.items).toEqual([]);
  });
  it('survives a reload: the queue is read back from storage', async () => {
    const storage = memoryQueue();
    new RetryQueue(storage, async () => { throw new NetworkError(); }).enqueue(write('a'));
    const sent: string[] = [];
    const again = new RetryQueue(storage, async (w) => { sent.push(w.key); });
    expect(again.list()).toHaveLength(1);
    await again.flush();
    expect(sent).toEqual(['a']);
  });
  it('drops and reports a write the server refuses, and goes on with the rest', async () => {
    const q = new RetryQueue(memoryQueue(), async (w) => {
      if (w.key === 'bad') throw new ApiError({ status: 422, code: 'validation_failed' });
    });
    q.enqueue(write('bad'));
    q.enqueue(write('good'));
    const r = await q.flush();
    expect(r.rejected.map((x) => x.write.key)).toEqual(['bad']);
    expect(r.sent.map((x) => x.key)).toEqual(['good']);
  });
  it('queues the same write once, and never sends it twice when flushes overlap', async () => {
    let calls = 0;
    const q = new RetryQueue(memoryQueue(), async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
    });
    q.enqueue(write('a'));
    q.enqueue(write('a'));
    await Promise.all([q.flush(), q.flush()]);
    expect(calls).toBe(1);
  });
  it('tells subscribers how many writes wait', async () => {
    const counts: number[] = [];
    const q = new RetryQueue(memoryQueue(), async () => undefined);
    q.subscribe((items) => counts.push(items.length));
    q.enqueue(write('a'));
    await q.flush();
    expect(counts).toEqual([1, 0]);
  });
});
