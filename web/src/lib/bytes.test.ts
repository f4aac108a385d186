import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

const n = (x: number) => new Intl.NumberFormat('en').format(x);

describe('formatBytes', () => {
  it('uses powers of 1024 with one decimal', () => {
    expect(formatBytes(0, n)).toBe('0 B');
    expect(formatBytes(1023, n)).toBe('1,023 B');
    expect(formatBytes(1536, n)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024 * 1024, n)).toBe('5 GB');
  });
  it('formats in the viewer\'s locale', () => {
    const de = (x: number) => new Intl.NumberFormat('de').format(x);
    expect(formatBytes(1536, de)).toBe('1,5 KB');
  });
});
