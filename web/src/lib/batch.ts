// Splitting work into requests the server accepts (bulk actions and id[in] lists take at most
// 200 ids) and gathering single look-ups made at the same moment into one request.

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Waiter<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

// Returns load(key): keys asked for within delayMs of each other are fetched together by
// fetchMany, at most maxSize per call (a list of 300 rows makes two requests, not 300).
// A key fetchMany does not return resolves to undefined; a failed call rejects its keys.
export function createBatcher<V>(
  fetchMany: (keys: string[]) => Promise<Map<string, V>>,
  { maxSize = 200, delayMs = 10 }: { maxSize?: number; delayMs?: number } = {},
): (key: string) => Promise<V | undefined> {
  let pending = new Map<string, Waiter<V>[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    const batch = pending;
    pending = new Map();
    timer = null;
    for (const keys of chunked([...batch.keys()], maxSize)) {
      fetchMany(keys).then(
        (found) => keys.forEach((k) => batch.get(k)!.forEach((w) => w.resolve(found.get(k)))),
        (error: unknown) => keys.forEach((k) => batch.get(k)!.forEach((w) => w.reject(error))),
      );
    }
  };

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
      timer ??= setTimeout(flush, delayMs);
    });
}
