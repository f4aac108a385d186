// Every message exists in both languages, no Chinese message is left in English, and every key
// the code asks for exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en';
import zhCN from './zh-CN';
import i18next, { pickLanguage } from './index';

function flatten(obj: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flatten(v as object, key));
    else out[key] = String(v);
  }
  return out;
}

const enFlat = flatten(en);
const zhFlat = flatten(zhCN);

// Plural keys ("board.dealCount_one") by their base key, and the forms a language's grammar
// has (English one and other, Chinese other only), which are the keys it must provide.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (key: string) => key.replace(PLURAL, '');
const pluralForms = (lang: string) => new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
function formsByBase(flat: Record<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of Object.keys(flat)) {
    const m = PLURAL.exec(k);
    if (m) out.set(base(k), [...(out.get(base(k)) ?? []), m[1]!].sort());
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('i18n', () => {
  it('has the same keys in English and Chinese, plurals in the forms each language has', () => {
    const plain = (flat: Record<string, string>) => Object.keys(flat).filter((k) => !PLURAL.test(k)).sort();
    expect(plain(zhFlat)).toEqual(plain(enFlat));
    const enPlurals = formsByBase(enFlat);
    const zhPlurals = formsByBase(zhFlat);
    expect([...zhPlurals.keys()].sort()).toEqual([...enPlurals.keys()].sort());
    for (const [k, forms] of enPlurals) expect(forms, `en ${k}`).toEqual(pluralForms('en'));
    for (const [k, forms] of zhPlurals) expect(forms, `zh-CN ${k}`).toEqual(pluralForms('zh-CN'));
  });
  it('says every count with plural keys, so "1 deals" cannot happen', () => {
    const counted = Object.keys(enFlat).filter((k) => /{{count\b/.test(enFlat[k]!) && !PLURAL.test(k));
    expect(counted).toEqual([]);
  });
  it('formats counts in the plural form and number format of the language', () => {
    const say = (lng: string, count: number) => i18next.t('board.dealCount', { lng, count });
    expect([say('en', 0), say('en', 1), say('en', 2), say('en', 12345)]).toEqual(['0 deals', '1 deal', '2 deals', '12,345 deals']);
    expect([say('zh-CN', 1), say('zh-CN', 12345)]).toEqual(['1 个商机', '12,345 个商机']);
    expect(i18next.t('list.selected', { lng: 'en', count: 1 })).toBe('1 record selected');
  });
  it('has no empty messages', () => {
    for (const [k, v] of [...Object.entries(enFlat), ...Object.entries(zhFlat)]) expect(v.trim(), k).not.toBe('');
  });
  it('uses the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/{{(\w+)(?:, *\w+)?}}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(enFlat)) expect(vars(zhFlat[k] ?? zhFlat[`${base(k)}_other`]!), k).toEqual(vars(enFlat[k]!));
  });
  it('translates Chinese messages (no message left as its English text)', () => {
    // Names of languages and codes are the same in both; anything else equal is untranslated.
    const sameOnPurpose = new Set(['app.languageName', 'app.pageTitle']);
    const untranslated = Object.keys(enFlat).filter(
      (k) => !sameOnPurpose.has(k) && zhFlat[k] === enFlat[k] && /[a-z]{3}/i.test(enFlat[k]!.replace(/{{[^}]+}}/g, '')),
    );
    expect(untranslated).toEqual([]);
  });
  it('has every key the code uses with t("...")', () => {
    const root = join(__dirname, '..');
    const missing: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        if (!(m[1]! in enFlat) && !(`${m[1]}_other` in enFlat)) missing.push(`${file}: ${m[1]}`);
      }
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
        if (!Object.keys(enFlat).some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${file}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
  });
  it('calls the board a board in Chinese, not a funnel (a funnel is a report)', () => {
    expect([zhCN.nav.pipeline, zhCN.board.title].filter((s) => s.includes('漏斗'))).toEqual([]);
  });
  it('chooses the language from the browser unless one was saved', () => {
    expect(pickLanguage(null, ['zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLanguage(null, ['zh-TW'])).toBe('zh-CN');
    expect(pickLanguage(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(pickLanguage(null, ['fr'])).toBe('en');
    expect(pickLanguage('en', ['zh-CN'])).toBe('en');
    expect(pickLanguage('zh-CN', ['en-US'])).toBe('zh-CN');
  });
});
