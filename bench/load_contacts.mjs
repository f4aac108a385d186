// Loads N contacts through the public API (as a real import would), with bounded concurrency.
// Prints the ids it created to the file given, one per line, for the wrk scripts.
// usage: node load_contacts.mjs BASE_URL TOKEN COUNT IDS_FILE
import { writeFileSync } from 'node:fs';

const [base, token, countArg, idsFile] = process.argv.slice(2);
const count = Number(countArg);
const family = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', 'Smith', 'Johnson', 'Brown', 'Garcia', 'Müller'];
const given = ['伟', '芳', '娜', '敏', '静', '小明', '建国', 'Alice', 'Bob', 'Carol', 'David', 'Eve', 'Frank', 'Grace'];
const ids = new Array(count);
let next = 0, failures = 0;
const started = Date.now();

async function worker() {
  for (;;) {
    const i = next++;
    if (i >= count) return;
    const body = {
      first_name: given[i % given.length],
      last_name: family[(i * 7) % family.length],
      emails: [`person${i}@example${i % 97}.com`],
      phones: [`+86 138 ${String(1000 + (i % 9000)).padStart(4, '0')} ${String(i % 10000).padStart(4, '0')}`],
      title: i % 3 ? 'Buyer' : '采购经理',
      tags: [i % 2 ? 'vip' : 'lead'],
    };
    const r = await fetch(base + '/api/v1/contacts', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const j = await r.json();
    if (r.status !== 201) { failures++; if (failures < 5) console.error(r.status, JSON.stringify(j)); continue; }
    ids[i] = j.id;
  }
}
await Promise.all(Array.from({ length: 32 }, worker));
writeFileSync(idsFile, ids.filter(Boolean).join('\n') + '\n');
const secs = (Date.now() - started) / 1000;
console.log(`loaded ${count - failures} contacts in ${secs.toFixed(1)} s (${((count - failures) / secs).toFixed(0)}/s), ${failures} failures`);
if (failures) process.exit(1);
