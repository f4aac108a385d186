// Writes that could not reach the server wait here, on the device, and are sent again in order
// when the connection returns. Each carries an Idempotency-Key (and creates carry a
// client-chosen id), so a write whose answer was lost is never applied twice.
import { isNetworkError } from '../api/errors';

export interface QueuedWrite {
  key: string; // the Idempotency-Key, also the queue entry's identity
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  version?: number;
  label: string; // what to tell the user ("Call logged on 明远科技")
  queuedAt: string;
  attempts: number;
}

export interface QueueStorage {
  load(): QueuedWrite[];
  save(items: QueuedWrite[]): void;
}

export interface FlushResult {
  sent: QueuedWrite[];
  rejected: { write: QueuedWrite; error: unknown }[]; // the server answered no: dropped, reported
  remaining: number; // still waiting for the network
}

export type Sender = (w: QueuedWrite) => Promise<unknown>;

export class RetryQueue {
  private items: QueuedWrite[];
  private flushing: Promise<FlushResult> | null = null;
  private listeners = new Set<(items: readonly QueuedWrite[]) => void>();

  constructor(private storage: QueueStorage, private send: Sender) {
    this.items = storage.load();
  }

  list(): readonly QueuedWrite[] {
    return this.items;
  }

  subscribe(listener: (items: readonly QueuedWrite[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enqueue(w: Omit<QueuedWrite, 'queuedAt' | 'attempts'>): QueuedWrite {
    const existing = this.items.find((i) => i.key === w.key);
    if (existing) return existing; // the same write queued twice is still one write
    const item: QueuedWrite = { ...w, queuedAt: new Date().toISOString(), attempts: 0 };
    this.items = [...this.items, item];
    this.changed();
    return item;
  }

  // Sends waiting writes oldest first. Stops at the first network failure (order matters: a
  // note about a record must not arrive before the record); a write the server refuses is
  // dropped and reported, since sending it again would get the same answer.
  flush(): Promise<FlushResult> {
    this.flushing ??= this.doFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async doFlush(): Promise<FlushResult> {
    const result: FlushResult = { sent: [], rejected: [], remaining: 0 };
    while (this.items.length > 0) {
      const head = this.items[0]!;
      try {
        await this.send(head);
        result.sent.push(head);
        this.items = this.items.slice(1);
        this.changed();
      } catch (error) {
        if (isNetworkError(error)) {
          this.items = [{ ...head, attempts: head.attempts + 1 }, ...this.items.slice(1)];
          this.changed();
          break;
        }
        result.rejected.push({ write: head, error });
        this.items = this.items.slice(1);
        this.changed();
      }
    }
    result.remaining = this.items.length;
    return result;
  }

  private changed(): void {
    this.storage.save(this.items);
    this.listeners.forEach((l) => l(this.items));
  }
}

export function localStorageQueue(key: string): QueueStorage {
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        const parsed: unknown = raw ? JSON.parse(raw) : [];
        return Array.isArray(parsed) ? (parsed as QueuedWrite[]) : [];
      } catch {
        return [];
      }
    },
    save(items) {
      try {
        localStorage.setItem(key, JSON.stringify(items));
      } catch {
        /* storage full or disabled: the queue still lives for this page */
      }
    },
  };
}

export function memoryQueue(initial: QueuedWrite[] = []): QueueStorage & { items: QueuedWrite[] } {
  const store = {
    items: initial,
    load: () => store.items,
    save: (items: QueuedWrite[]) => {
      store.items = items;
    },
  };
  return store;
}
