import { describe, expect, it } from 'vitest';
import { fileNameFromDisposition } from './download';

describe('fileNameFromDisposition', () => {
  it('reads the quoted or bare file name the server sends', () => {
    expect(fileNameFromDisposition('attachment; filename="contacts.csv"')).toBe('contacts.csv');
    expect(fileNameFromDisposition('attachment; filename=deals.csv; size=10')).toBe('deals.csv');
    expect(fileNameFromDisposition('attachment; filename="a \\"b\\".csv"')).toBe('a "b".csv');
  });
  it('prefers the UTF-8 name of RFC 6266 for non-ASCII names', () => {
    expect(fileNameFromDisposition(`attachment; filename="x.csv"; filename*=UTF-8''%E5%AE%A2%E6%88%B7.csv`)).toBe('客户.csv');
  });
  it('never returns a path, and null without a name', () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromDisposition('attachment')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});
