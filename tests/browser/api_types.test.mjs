// The committed API types (web/src/api/schema.d.ts, openapi.json) must match the OpenAPI
// document of the server under test; when the server changes, regenerate them with
// `cd web && npm run api:types -- http://127.0.0.1:PORT`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, startAppServer } from './helpers.mjs';

let server;
before(async () => { server = await startAppServer(); });
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('committed API types match the server OpenAPI document', () => {
  let output = '';
  try {
    output = execFileSync(process.execPath, [join(repoRoot, 'web', 'scripts', 'gen-api-types.mjs'), '--check', server.url], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  assert.match(output, /match/);
});
