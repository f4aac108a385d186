import { describe, expect, it } from 'vitest';
import { formatOffset, offsetMinutes, timeZoneMatches, timeZoneOption, timeZoneOptions } from './timeZones';

const JAN = new Date('2027-01-15T12:00:00Z');
const JUL = new Date('2027-07-15T12:00:00Z');

describe('time zone options', () => {
  it('reads and writes offsets', () => {
    expect(offsetMinutes('GMT+05:30')).toBe(330);
    expect(offsetMinutes('GMT-08:00')).toBe(-480);
    expect(offsetMinutes('GMT')).toBe(0);
    expect(formatOffset(330)).toBe('UTC+05:30');
    expect(formatOffset(-210)).toBe('UTC−03:30');
  });

  it('labels a zone with its offset, city and name in the user language', () => {
    expect(timeZoneOption('Asia/Shanghai', 'en', JAN).label).toBe('UTC+08:00 · Shanghai · China Standard Time');
    expect(timeZoneOption('Asia/Shanghai', 'zh-CN', JAN).label).toBe('UTC+08:00 · 上海 · 中国标准时间');
    expect(timeZoneOption('America/Los_Angeles', 'en', JAN).label).toMatch(/^UTC−08:00 · Los Angeles · Pacific/);
    expect(timeZoneOption('America/Los_Angeles', 'en', JUL).offsetMinutes).toBe(-420); // summer time
    expect(timeZoneOption('UTC', 'zh-CN', JAN).label).toBe('UTC+00:00 · 协调世界时');
  });

  it('lists every zone once, common ones first, then by offset', () => {
    const all = timeZoneOptions('en', JAN);
    expect(all[0]!.value).toBe('Asia/Shanghai');
    expect(new Set(all.map((o) => o.value)).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(300);
    const rest = all.slice(10).map((o) => o.offsetMinutes);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
  });

  it('finds a zone by city, localised name, offset or IANA name', () => {
    const zh = timeZoneOption('Asia/Shanghai', 'zh-CN', JAN);
    expect(timeZoneMatches('上海', zh)).toBe(true);
    expect(timeZoneMatches('中国', zh)).toBe(true);
    expect(timeZoneMatches('+08', zh)).toBe(true);
    expect(timeZoneMatches('asia/shang', zh)).toBe(true);
    expect(timeZoneMatches('tokyo', zh)).toBe(false);
    const ny = timeZoneOption('America/New_York', 'en', JAN);
    expect(timeZoneMatches('new york', ny)).toBe(true);
    expect(timeZoneMatches('eastern', ny)).toBe(true);
  });
});
