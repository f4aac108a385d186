// A simulated sync device for the protocol tests: a replica (entity/id -> record), the cursor,
// and pulls and pushes exactly as the web app makes them. It applies answers the way a device
// must: upserts replace what it holds (unless it holds a newer version), deletes and gones
// remove.
import { randomUUID } from 'node:crypto';

export const SYNC_ENTITIES = ['pipelines', 'products', 'accounts', 'contacts', 'leads', 'deals', 'orders', 'tasks', 'activities'];

export class Device {
  constructor(client, { id = randomUUID(), name = 'test device' } = {}) {
    this.client = client;
    this.id = id;
    this.name = name;
    this.cursor = null;
    this.replica = new Map(); // `${entity}/${id}` -> record
    this.pages = []; // every page answered, for assertions
  }

  key(entity, id) { return `${entity}/${id}`; }
  get(entity, id) { return this.replica.get(this.key(entity, id)); }
  // The records of one entity this device holds, as a Map id -> record.
  of(entity) {
    const out = new Map();
    for (const [k, v] of this.replica) if (k.startsWith(entity + '/')) out.set(k.slice(entity.length + 1), v);
    return out;
  }

  apply(change) {
    const k = this.key(change.entity, change.id);
    if (change.op === 'upsert') {
      const held = this.replica.get(k);
      if (!held || held.version <= change.version) this.replica.set(k, change.record);
    } else {
      this.replica.delete(k);
    }
  }

  // One pull request; returns the raw answer. Throws unless 200 when `expect` is 200.
  async pullOnce({ limit, cursor = this.cursor, headers } = {}) {
    const params = new URLSearchParams({ device: this.id, name: this.name });
    if (cursor) params.set('cursor', cursor);
    if (limit) params.set('limit', String(limit));
    return this.client.get('/api/v1/sync/pull?' + params, { headers });
  }

  // Pulls until the server says there is no more; `between` runs after each page (to write
  // concurrently). Returns the pages.
  async sync({ limit, between } = {}) {
    const pages = [];
    for (let i = 0; i < 10000; i++) {
      const r = await this.pullOnce({ limit });
      if (r.status !== 200) {
        const e = new Error(`pull: ${r.status} ${r.text}`);
        e.response = r;
        throw e;
      }
      for (const c of r.json.changes) this.apply(c);
      this.cursor = r.json.cursor;
      pages.push(r.json);
      this.pages.push(r.json);
      if (between) await between(i, r.json);
      if (!r.json.has_more) return pages;
    }
    throw new Error('pull did not finish in 10000 pages');
  }

  async push(mutations, { name = this.name } = {}) {
    return this.client.post('/api/v1/sync/push', { device: this.id, device_name: name, mutations });
  }
}

// A mutation as the app builds it.
export function mutation(entity, op, record_id, extra = {}) {
  return { id: randomUUID(), entity, op, record_id, ...extra };
}
