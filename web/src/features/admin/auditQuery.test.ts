import { describe, expect, it } from 'vitest';
import { auditQuery } from './auditQuery';

describe('auditQuery', () => {
  it('sends whole days: from the start of the first to the start of the day after the last', () => {
    const q = auditQuery(new URLSearchParams({ from: '2026-01-31', to: '2026-02-28', action: 'update' }));
    expect(q).toEqual({ limit: '100', from: '2026-01-31T00:00', to: '2026-03-01T00:00', action: 'update' });
  });
  it('leaves out empty and unknown parameters', () => {
    expect(auditQuery(new URLSearchParams({ entity: '', sort: 'x', record_id: 'abc' }))).toEqual({ limit: '100', record_id: 'abc' });
  });
  it('crosses the year at the end of December', () => {
    expect(auditQuery(new URLSearchParams({ to: '2026-12-31' })).to).toBe('2027-01-01T00:00');
  });
});
