import { describe, expect, it } from 'vitest';
import { nextSortOrder } from './RecordTable';

describe('a sortable column header', () => {
  it('sorts ascending, then descending, then back to the list default', () => {
    expect(nextSortOrder(null)).toBe('asc');
    expect(nextSortOrder('asc')).toBe('desc');
    expect(nextSortOrder('desc')).toBeNull();
  });
});
