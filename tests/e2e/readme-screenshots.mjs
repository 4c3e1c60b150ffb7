// The README's screenshots, from the demo: Today, a problem and the promise ledger as the
// demo's admin sees them at desktop width. Not a test; run it after a UI change:
//   MAKEGOOD_BIN=target/debug/makegood node tests/e2e/readme-screenshots.mjs
// It writes docs/screenshots/{today,problem,promises}.png.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { ADMIN, REPO_ROOT, login, startApp } from './lib/harness.mjs';

const out = path.join(REPO_ROOT, 'docs', 'screenshots');
await mkdir(out, { recursive: true });
const app = await startApp({ demo: true });
try {
  const page = await app.page('desktop');
  await login(page, ADMIN.email, ADMIN.password);
  const shots = { today: '/', problem: '/problems/MG-1', promises: '/promises?state=broken' };
  for (const [name, url] of Object.entries(shots)) {
    await page.goto(url);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  }
} finally {
  await app.close();
}
