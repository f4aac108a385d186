import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../../api/types';
import { fieldInputFor, listActionsFor, recordPanels, registerFieldInput, registerListAction, registerRecordPanel } from './registry';

const record = { id: 'r1', deleted_at: null } as unknown as AnyRecord;
const render = () => null;

describe('the record engine registry', () => {
  it('gives each slot the panels that apply, in the order they were registered', () => {
    registerRecordPanel({ key: 'a', slot: 'top', applies: () => true, render });
    registerRecordPanel({ key: 'b', slot: 'top', applies: (e) => e === 'deals', render });
    registerRecordPanel({ key: 'c', slot: 'side', applies: () => true, render });
    registerRecordPanel({ key: 'd', slot: 'top', applies: () => true, render });
    expect(recordPanels('top', 'deals', record).map((p) => p.key)).toEqual(['a', 'b', 'd']);
    expect(recordPanels('top', 'accounts', record).map((p) => p.key)).toEqual(['a', 'd']);
    expect(recordPanels('side', 'accounts', record).map((p) => p.key)).toEqual(['c']);
    expect(recordPanels('actions', 'accounts', record)).toEqual([]);
  });

  it('replaces a panel registered again under the same key, in place', () => {
    registerRecordPanel({ key: 'a', slot: 'top', applies: () => false, render });
    expect(recordPanels('top', 'deals', record).map((p) => p.key)).toEqual(['b', 'd']);
  });

  it('finds the input registered for a kind, and none for others', () => {
    const Items = () => null;
    registerFieldInput('items', Items);
    expect(fieldInputFor('items')).toBe(Items);
    expect(fieldInputFor('text')).toBeUndefined();
  });

  it('gives a list the actions registered for its entity only', () => {
    registerListAction({ key: 'board', applies: (e) => e === 'deals', render });
    registerListAction({ key: 'all', applies: () => true, render });
    expect(listActionsFor('deals').map((a) => a.key)).toEqual(['board', 'all']);
    expect(listActionsFor('contacts').map((a) => a.key)).toEqual(['all']);
  });
});
