// Every message exists in both languages, no Chinese message is left in English, and every key
// the code asks for exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en';
import zhCN from './zh-CN';
import { pickLanguage } from './index';

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

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('i18n', () => {
  it('has the same keys in English and Chinese', () => {
    expect(Object.keys(zhFlat).sort()).toEqual(Object.keys(enFlat).sort());
  });
  it('has no empty messages', () => {
    for (const [k, v] of [...Object.entries(enFlat), ...Object.entries(zhFlat)]) expect(v.trim(), k).not.toBe('');
  });
  it('uses the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(enFlat)) expect(vars(zhFlat[k]!), k).toEqual(vars(enFlat[k]!));
  });
  it('translates Chinese messages (no message left as its English text)', () => {
    // Names of languages and codes are the same in both; anything else equal is untranslated.
    const sameOnPurpose = new Set(['app.languageName']);
    const untranslated = Object.keys(enFlat).filter(
      (k) => !sameOnPurpose.has(k) && zhFlat[k] === enFlat[k] && /[a-z]{3}/i.test(enFlat[k]!.replace(/{{\w+}}/g, '')),
    );
    expect(untranslated).toEqual([]);
  });
  it('has every key the code uses with t("...")', () => {
    const root = join(__dirname, '..');
    const missing: string[] = [];
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) if (!(m[1]! in enFlat)) missing.push(`${file}: ${m[1]}`);
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
        if (!Object.keys(enFlat).some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${file}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
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
