// Runs one request per selected record, a few at a time, and reports each outcome: a bulk
// reassignment where 3 of 50 deals changed meanwhile gives 47 done and 3 reasons.
export interface BulkOutcome<T> {
  item: T;
  error?: unknown;
}

export async function runBulk<T>(items: T[], action: (item: T) => Promise<unknown>, concurrency = 4): Promise<BulkOutcome<T>[]> {
  const out: BulkOutcome<T>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      try {
        await action(item);
        out[i] = { item };
      } catch (error) {
        out[i] = { item, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
