import { describe, expect, it } from 'vitest';
import { dueBucket, formatDate, formatDateTime, isoToWall, isValidTimeZone, todayBounds, wallToIso } from './dates';

describe('dates and time zones', () => {
  it('shows an instant in the user time zone and language', () => {
    const iso = '2026-11-24T08:30:00.000Z';
    expect(formatDateTime(iso, 'en', 'Asia/Shanghai')).toBe('Nov 24, 2026, 4:30 PM');
    expect(formatDateTime(iso, 'en', 'America/New_York')).toBe('Nov 24, 2026, 3:30 AM');
    expect(formatDateTime(iso, 'zh-CN', 'Asia/Shanghai')).toBe('2026年11月24日 16:30');
  });
  it('shows a calendar date as the same day everywhere', () => {
    expect(formatDate('2027-06-15', 'en')).toBe('Jun 15, 2027');
    expect(formatDate('2027-06-15', 'zh-CN')).toBe('2027年6月15日');
  });
  it('converts between wall time in a zone and UTC', () => {
    expect(isoToWall('2026-11-24T08:30:00.000Z', 'Asia/Shanghai')).toBe('2026-11-24T16:30:00');
    expect(wallToIso('2026-11-24T16:30:00', 'Asia/Shanghai')).toBe('2026-11-24T08:30:00.000Z');
    // Across a daylight-saving change (New York, 8 March 2026)
    expect(wallToIso('2026-03-08T12:00:00', 'America/New_York')).toBe('2026-03-08T16:00:00.000Z');
  });
  it('knows where today starts and ends in the user zone', () => {
    const now = new Date('2026-11-24T20:00:00Z'); // already 25 Nov in Shanghai
    expect(todayBounds('Asia/Shanghai', now)).toEqual({ start: '2026-11-24T16:00:00.000Z', end: '2026-11-25T16:00:00.000Z' });
  });
  it('sorts tasks into overdue, today, upcoming and no date', () => {
    const now = new Date('2026-11-24T04:00:00Z'); // 12:00 in Shanghai
    expect(dueBucket('2026-11-24T03:00:00Z', 'Asia/Shanghai', now)).toBe('overdue');
    expect(dueBucket('2026-11-24T15:00:00Z', 'Asia/Shanghai', now)).toBe('today');
    expect(dueBucket('2026-11-24T17:00:00Z', 'Asia/Shanghai', now)).toBe('upcoming');
    expect(dueBucket(null, 'Asia/Shanghai', now)).toBe('noDate');
  });
  it('recognises IANA zone names', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
