// Finding a contact that already holds an email or phone, as the web app's create form does
// before saving (web/src/features/records/duplicates.ts): the list's search, in the caller's
// permission scope, finds it by the whole email and by the phone's last eight digits, however
// the number was written; a contact the caller may not read is never answered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, adminClient, userClient, qs } from './harness.mjs';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await adminClient(server);
});
after(async () => server?.close());

const digits = () => String(Math.floor(1e7 + Math.random() * 9e7));

async function search(client, q) {
  const r = await client.get('/api/v1/contacts' + qs({ q, limit: 20 }));
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

test('the whole email and the last eight digits of a phone find the contact', async () => {
  const tail = digits();
  const email = `Dup.${randomUUID().slice(0, 8)}@Example.cn`;
  const c = (await admin.post('/api/v1/contacts', { last_name: '王', first_name: '重复', emails: [email], phones: [`+86 13${tail.slice(0, 1)} ${tail.slice(1, 5)} ${tail.slice(5)}`] })).json;
  assert.ok((await search(admin, email.toLowerCase())).some((r) => r.id === c.id), 'email, any case');
  const written = `13${tail.slice(0, 1)}-${tail.slice(1)}`; // the same number without +86, another way
  const q = written.replace(/\D/g, '').slice(-8);
  assert.ok((await search(admin, q)).some((r) => r.id === c.id), 'phone by its tail');
  assert.ok(!(await search(admin, `other.${email}`)).some((r) => r.id === c.id), 'another email does not');
});

test('a contact the caller may not read is not found, so its name cannot leak', async () => {
  const email = `hidden.${randomUUID().slice(0, 8)}@example.cn`;
  const tail = digits();
  const hidden = (await admin.post('/api/v1/contacts', { last_name: 'Secret', emails: [email], phones: [`+86 139 ${tail}`] })).json;
  const sales = await userClient(server, admin, { role: 'sales' });
  assert.deepEqual(await search(sales, email), [], 'not by email');
  assert.deepEqual(await search(sales, tail), [], 'not by phone');
  // Their own contact with the same phone is found: the scope, not the search, hides the other.
  const mine = (await sales.post('/api/v1/contacts', { last_name: 'Mine', phones: [`139${tail}`] })).json;
  assert.deepEqual((await search(sales, tail)).map((r) => r.id), [mine.id]);
  assert.ok((await search(admin, tail)).some((r) => r.id === hidden.id), 'the admin sees both');
});
