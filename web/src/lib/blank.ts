// A field value that shows as "—": nothing, an empty string or an empty list. What record pages
// hide behind "Show N empty fields", what a phone list leaves off a row's second line, and what
// FieldValue draws as a dash.
export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}
