// Intl formatters, made once per locale and options and then reused. Building an
// Intl.NumberFormat or DateTimeFormat costs far more than formatting with one (tens of
// microseconds against about one, and much more on a slow phone); a list page formats a few
// hundred cells, so building one per cell was a measurable part of rendering a page.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function keyOf(locale: string, options: object): string {
  return locale + '\u0000' + JSON.stringify(options);
}

// Throws, as the constructor does, for an unknown currency or time zone (and caches nothing).
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = keyOf(locale, options);
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, f);
  }
  return f;
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = keyOf(locale, options);
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, f);
  }
  return f;
}
