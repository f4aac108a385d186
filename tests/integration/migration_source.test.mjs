// Migration 006 on the engine under test: free-text sources written by a version-5 schema become
// codes, and text that is no known spelling becomes 'other' kept in the description. The rows are
// written with the engine's own client (sqlite3 or psql), as an older Keel left them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEEL_BIN, DB_KIND, newPostgresDatabase } from './harness.mjs';

test('free-text sources become codes; unknown text becomes other, kept in the description', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-mig-'));
  const databaseUrl = DB_KIND === 'postgres' ? newPostgresDatabase() : '';
  const where = databaseUrl ? ['--database-url', databaseUrl] : ['--data-dir', dataDir];
  const keel = (...args) => execFileSync(KEEL_BIN, [...args, ...where], { encoding: 'utf8' });
  // -At: unaligned, tuples only, '|' between columns in both clients.
  const sql = (text) => (databaseUrl
    ? execFileSync('psql', [databaseUrl, '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' })
    : execFileSync('sqlite3', [join(dataDir, 'keel.db'), text], { encoding: 'utf8' }));
  try {
    assert.match(keel('migrate', '--to', '5'), /schema version 5\b/);
    const t = "'2026-01-01T00:00:00.000Z'";
    const rows = [['1', 'Trade Show', null], ['2', 'WEB', 'Met online'], ['3', 'Golf with the CEO', null],
      ['4', 'Yellow pages', 'Old notes'], ['5', '社交媒体', null]];
    const lit = (v) => (v === null ? 'NULL' : `'${v}'`);
    let script = `INSERT INTO roles (id, name, permissions, created_at, updated_at) VALUES ('r', 'r', '{}', ${t}, ${t});
      INSERT INTO users (id, email, name, password_hash, role_id, created_at, updated_at) VALUES ('u', 'u@example.com', 'U', 'x', 'r', ${t}, ${t});`;
    for (const table of ['contacts', 'leads', 'deals'])
      for (const [id, source, description] of rows)
        script += `INSERT INTO ${table} (id, version, owner_id, created_at, created_by, updated_at, updated_by, name, source, description)
          VALUES ('${id}', 1, 'u', ${t}, 'u', ${t}, 'u', 'N', ${lit(source)}, ${lit(description)});`;
    sql(script);
    assert.match(keel('migrate'), /schema version [6-9]/);
    for (const table of ['contacts', 'leads', 'deals']) {
      const out = sql(`SELECT id, source, COALESCE(REPLACE(description, '\n', '/'), '-') FROM ${table} ORDER BY id`);
      assert.deepEqual(out.trim().split('\n'), [
        '1|trade_show|-',
        '2|website|Met online',
        '3|other|Source: Golf with the CEO',
        '4|other|Old notes//Source: Yellow pages',
        '5|social_media|-',
      ], table);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
