import { describe, expect, it } from 'vitest';
import { runBulk } from './runBulk';

describe('runBulk', () => {
  it('reports each item, keeps order, and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const outcomes = await runBulk([1, 2, 3, 4, 5, 6], async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (n % 3 === 0) throw new Error(`no ${n}`);
    }, 2);
    expect(peak).toBeLessThanOrEqual(2);
    expect(outcomes.map((o) => o.item)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcomes.filter((o) => o.error).map((o) => o.item)).toEqual([3, 6]);
  });
  it('handles an empty selection', async () => {
    expect(await runBulk([], async () => undefined)).toEqual([]);
  });
});
