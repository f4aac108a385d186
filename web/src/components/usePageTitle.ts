// The browser tab's title for the screen being shown: its heading or the record's name, then
// the product ("Contacts · Keel", "上海明远科技有限公司 · Keel"), in the user's language, so tabs,
// history and screen readers (which announce the title on navigation) tell screens apart. Each
// screen calls it once, unconditionally (before any early return); the newest screen's call
// wins, and a language switch re-renders it in the new language.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

export function usePageTitle(page: string | null | undefined): void {
  const { t } = useTranslation();
  const title = page ? t('app.pageTitle', { page }) : 'Keel';
  useEffect(() => {
    document.title = title;
  }, [title]);
}
