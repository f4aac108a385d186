import { describe, expect, it } from 'vitest';
import { shouldBlockNavigation, shouldWarnOnUnload, UnsavedChanges } from './leaveGuard';

describe('leaving a page with unsent changes', () => {
  it('asks only when a form on the page being left holds unsent changes', () => {
    const r = new UnsavedChanges();
    const at = (pathname: string) => ({ pathname });
    expect(shouldBlockNavigation(r.list(), at('/contacts/1'), at('/contacts'))).toBe(false);
    r.set('edit', '/contacts/1', true);
    expect(shouldBlockNavigation(r.list(), at('/contacts/1'), at('/contacts'))).toBe(true);
    expect(shouldBlockNavigation(r.list(), at('/contacts/1'), at('/contacts/2'))).toBe(true);
    // Same page, other query string (a tab, a list's filters): the form stays on screen.
    expect(shouldBlockNavigation(r.list(), at('/contacts/1'), at('/contacts/1'))).toBe(false);
    r.set('edit', '/contacts/1', false);
    expect(shouldBlockNavigation(r.list(), at('/contacts/1'), at('/contacts'))).toBe(false);
  });

  it('warns before closing the tab while anything is unsent, and stops once all are saved or discarded', () => {
    const r = new UnsavedChanges();
    let changes = 0;
    r.subscribe(() => changes++);
    expect(shouldWarnOnUnload(r.list())).toBe(false);
    r.set('a', '/accounts', true);
    r.set('b', '/accounts', true);
    r.set('a', '/accounts', true); // again: no change
    expect(r.count()).toBe(2);
    expect(shouldWarnOnUnload(r.list())).toBe(true);
    r.set('a', '/accounts', false);
    expect(shouldWarnOnUnload(r.list())).toBe(true);
    r.set('b', '/accounts', false);
    expect(shouldWarnOnUnload(r.list())).toBe(false);
    expect(changes).toBe(4);
  });
});
