import { describe, expect, it } from 'vitest';
import type { CustomField } from '../../api/types';
import { customFieldPatch } from './customFieldPatch';

const field: CustomField = {
  id: 'f1', entity: 'accounts', name: 'tier', label: 'Tier', type: 'select', options: ['A', 'B'],
  required: false, max_length: 200, position: 0, version: 3,
  created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z',
};

describe('customFieldPatch', () => {
  it('sends only what changed, with the version seen', () => {
    expect(customFieldPatch(field, { ...field, label: 'Level', options: ['A', 'B', 'C'] })).toEqual({
      label: 'Level', options: ['A', 'B', 'C'], version: 3,
    });
  });
  it('never sends the fixed name, type or entity', () => {
    const patch = customFieldPatch(field, { ...field, name: 'other', type: 'text', required: true });
    expect(patch).toEqual({ required: true, version: 3 });
  });
  it('sends no options for a field that is not a choice', () => {
    const text: CustomField = { ...field, type: 'text', options: [] };
    expect(customFieldPatch(text, { ...text, options: ['x'], max_length: 50 })).toEqual({ max_length: 50, version: 3 });
  });
  it('is null when nothing changed or the form left a setting out', () => {
    expect(customFieldPatch(field, { ...field })).toBeNull();
    expect(customFieldPatch(field, { label: 'Tier', max_length: undefined })).toBeNull();
  });
});
