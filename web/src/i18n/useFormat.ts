// Formatting in the user's language and time zone, for components.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { browserTimeZone, formatDate, formatDateTime, formatRelative, isValidTimeZone } from '../lib/dates';
import { numberFormat } from '../lib/intl';
import { formatMoney } from '../lib/money';

export function useTimeZone(): string {
  const { me } = useSession();
  return me?.time_zone && isValidTimeZone(me.time_zone) ? me.time_zone : browserTimeZone();
}

export function useFormat() {
  const { i18n } = useTranslation();
  const tz = useTimeZone();
  const locale = i18n.language;
  return useMemo(
    () => ({
      locale,
      tz,
      money: (minor: number | null | undefined, currency: string | null | undefined) => formatMoney(minor, currency, locale),
      dateTime: (iso: string | null | undefined) => formatDateTime(iso, locale, tz),
      date: (d: string | null | undefined) => formatDate(d, locale),
      relative: (iso: string) => formatRelative(iso, locale),
      number: (n: number) => numberFormat(locale).format(n),
    }),
    [locale, tz],
  );
}
