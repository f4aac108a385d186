// Between antd form values (custom fields nested under "custom") and the flat patch keys the
// conflict logic uses ("custom.<name>"), and server field errors placed on form fields.
import type { FormInstance } from 'antd';
import { fieldErrorsByField } from '../api/errorMessages';
import type { AnyRecord } from '../api/types';

export function flattenValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k === 'custom' && v && typeof v === 'object') {
      for (const [ck, cv] of Object.entries(v as Record<string, unknown>)) out[`custom.${ck}`] = cv;
    } else out[k] = v;
  }
  return out;
}

export function recordToFormValues(record: AnyRecord, fieldNames: string[], customNames: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const n of fieldNames) values[n] = record[n] ?? null;
  values.custom = Object.fromEntries(customNames.map((n) => [n, record.custom?.[n] ?? null]));
  return values;
}

// Puts each server field error on its input; returns the messages for fields the form does not
// show (they are displayed above the form instead of being lost).
export function applyServerErrors(form: FormInstance, error: unknown, shown: Set<string>): string[] {
  const unplaced: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [field, messages] of Object.entries(fieldErrorsByField(error))) {
    if (shown.has(field)) fields.push({ name: field.startsWith('custom.') ? ['custom', field.slice(7)] : [field], errors: messages });
    else unplaced.push(...messages.map((m) => `${field}: ${m}`));
  }
  form.setFields(fields);
  if (fields[0]) form.scrollToField(fields[0].name, { block: 'center' });
  return unplaced;
}
