// Forms with changes not yet saved on the server (a record being edited, a create form with
// typed values, a save that failed) register here; while any is registered, leaving the page
// asks first: in-app navigation through the router's blocker, closing or reloading the tab
// through beforeunload. Offline sync (a later issue) will make most of these writes queueable.

export interface UnsavedSource {
  id: string;
  pathname: string; // the page the unsent changes live on
}

export class UnsavedChanges {
  private sources = new Map<string, UnsavedSource>();
  private listeners = new Set<() => void>();

  set(id: string, pathname: string, dirty: boolean): void {
    const had = this.sources.has(id);
    if (dirty) this.sources.set(id, { id, pathname });
    else this.sources.delete(id);
    if (had !== dirty) this.listeners.forEach((l) => l());
  }

  count(): number {
    return this.sources.size;
  }

  list(): UnsavedSource[] {
    return [...this.sources.values()];
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

// Whether moving from one location to another must ask first: only when it leaves a page that
// has unsent changes. Changing the query string of the same page (a list's filters, paging)
// keeps the form on screen and is not leaving.
export function shouldBlockNavigation(sources: readonly UnsavedSource[], from: { pathname: string }, to: { pathname: string }): boolean {
  if (from.pathname === to.pathname) return false;
  return sources.some((s) => s.pathname === from.pathname);
}

// Whether closing or reloading the tab must ask first.
export function shouldWarnOnUnload(sources: readonly UnsavedSource[]): boolean {
  return sources.length > 0;
}
