// Language choice: an explicit choice saved on this device wins; otherwise the browser's
// preferred languages decide (any zh* → Simplified Chinese, else English).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import en from './en';
import zhCN from './zh-CN';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'keel.language';

export function pickLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  for (const tag of browser) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled (private mode): fall back to the browser's languages
  }
}

export function initialLanguage(): Language {
  const nav = globalThis.navigator;
  return pickLanguage(readSaved(), nav ? (nav.languages?.length ? nav.languages : [nav.language]) : []);
}

export function applyDayjsLocale(lang: Language): void {
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
}

export async function setLanguage(lang: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* the choice still applies to this page */
  }
  applyDayjsLocale(lang);
  if (globalThis.document) document.documentElement.lang = lang;
  await i18next.changeLanguage(lang);
}

export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

const lang = initialLanguage();
void i18next.use(initReactI18next).init({
  resources,
  lng: lang,
  fallbackLng: false, // a missing key must show up (as its key) in tests, not hide behind English
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
applyDayjsLocale(lang);
if (globalThis.document) document.documentElement.lang = lang;

// Untyped lookup for keys built at run time (field labels, choices, error codes), with a
// fallback text when the key does not exist.
export function tr(key: string, fallback: string, options?: Record<string, unknown>): string {
  return i18next.exists(key) ? String(i18next.t(key, options as never)) : fallback;
}

export default i18next;
