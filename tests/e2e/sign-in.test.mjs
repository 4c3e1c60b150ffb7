// Signing in as the demo's admin shows Today with the demo's duties, most urgent first;
// signing out ends the session. At desktop and phone widths.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, VIEWER, VIEWPORTS, inspect, login, startApp } from './lib/harness.mjs';

const RANK = { breached: 0, warning: 1, ok: 2 };

describe('sign in, Today, sign out', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of Object.keys(VIEWPORTS)) {
    it(`the admin sees the demo's duties on Today (${viewport})`, async () => {
      const page = await app.page(viewport);
      // Signed out, the home page sends you to sign in.
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/login');
      await assert.doesNotReject(page.getByRole('heading', { name: 'Sign in to makegood' }).waitFor());
      await inspect(page, `sign-in-${viewport}-login`);

      await login(page, ADMIN.email, ADMIN.password);
      await page.getByRole('heading', { level: 1, name: 'Northwind Consulting' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Signed in as Alex Morgan \(admin\)/);
      await page.getByRole('heading', { name: 'What needs you now' }).waitFor();

      // The demo gives Alex duties on both of Alex's problems, each saying for whom.
      const rows = page.locator('ol.duties > li');
      const texts = await rows.allInnerTexts();
      assert.ok(texts.length >= 2, `expected Alex's duties, got ${JSON.stringify(texts)}`);
      assert.ok(texts.some((t) => t.includes('Brightline Dental Group')), texts.join('\n'));
      assert.ok(texts.some((t) => t.includes('Sunny Side Cafés')), texts.join('\n'));
      // Each row says what to do, for whom, how long is left or overdue, and its state.
      for (const text of texts) {
        assert.match(text, /^.+ — .+ (left|overdue)\s+(breached|warning|ok)\b/, text);
      }
      // Most urgent first: breached above warning above ok.
      const states = await rows.evaluateAll((lis) => lis.map((li) => li.className));
      const ranks = states.map((s) => RANK[s]);
      assert.ok(ranks.every((r) => r !== undefined), `unknown states ${states}`);
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `not most urgent first: ${states}`);
      assert.ok(states.includes('breached'), `the demo has a breached duty for Alex: ${states}`);
      await inspect(page, `sign-in-${viewport}-today`);

      // Signing out lands on the sign-in page, and the session is gone.
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/login'),
        page.getByRole('button', { name: 'Sign out' }).click(),
      ]);
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/login');
      await inspect(page, `sign-in-${viewport}-signed-out`);
      await page.context().close();
    });
  }

  it('a viewer sees their own Today, with its empty state', async () => {
    const page = await app.page('phone');
    await login(page, VIEWER.email, VIEWER.password);
    assert.match(await page.locator('main').innerText(), /Signed in as Robin Hale \(viewer\)/);
    assert.equal(await page.locator('ol.duties > li').count(), 0);
    await page.getByText('Nothing needs doing right now').waitFor();
    await inspect(page, 'sign-in-phone-viewer-today');
    await page.context().close();
  });
});
