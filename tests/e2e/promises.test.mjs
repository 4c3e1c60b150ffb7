// The promise ledger on the demo: the broken promise under Broken, reliability counting it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, inspect, login, startApp } from './lib/harness.mjs';

describe('Promises', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of ['desktop', 'phone']) {
    it(`shows the broken promise and the reliability tables (${viewport})`, async () => {
      const page = await app.page(viewport);
      await login(page, ADMIN.email, ADMIN.password);
      await page.goto('/promises');
      await page.getByRole('heading', { name: 'Promises', level: 1 }).waitFor();
      // Open promises count down to their due time.
      const open = page.locator('table.promises tbody tr');
      assert.ok((await open.count()) > 0, 'the demo has open promises');
      assert.equal(await page.locator('time[data-countdown="left"]').count() > 0, true);
      await inspect(page, `promises-${viewport}-open`);

      await page.getByRole('navigation', { name: 'Promise states' }).getByRole('link', { name: 'Broken' }).click();
      await page.waitForURL((url) => url.searchParams.get('state') === 'broken');
      const broken = page.locator('table.promises tbody tr', { hasText: 'Send Carl the corrected fuel surcharge invoice' });
      await broken.waitFor();
      assert.match(await broken.innerText(), /Sam Patel/);
      assert.match(await broken.innerText(), /Carl Mendez \(Harbor Freight Logistics\)/);
      assert.equal(await broken.locator('.badge.broken').count(), 1);
      assert.match(await broken.getByRole('link').first().getAttribute('href'), /^\/problems\/MG-\d+$/);

      // Sam's line in the member table counts the broken promise.
      const byMember = page.locator('table.reliability-table', { has: page.locator('caption', { hasText: 'By member' }) });
      const sam = byMember.locator('tr', { hasText: 'Sam Patel' });
      assert.match(await sam.innerText(), /Broken:?\s*1\b/);
      assert.equal(await sam.getAttribute('class'), 'has-broken');
      const byAccount = page.locator('table.reliability-table', { has: page.locator('caption', { hasText: 'By account' }) });
      assert.match(await byAccount.locator('tr', { hasText: 'Harbor Freight Logistics' }).innerText(), /Broken:?\s*1\b/);
      await inspect(page, `promises-${viewport}-broken`);

      // The period is in the URL too, and so are the filters.
      await page.getByRole('navigation', { name: 'Reliability period' }).getByRole('link', { name: 'All time' }).click();
      await page.waitForURL((url) => url.searchParams.get('period') === 'all' && url.searchParams.get('state') === 'broken');
      await page.getByLabel('Made by').selectOption({ label: 'Me' });
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL((url) => url.searchParams.get('member') === 'me');
      // Alex's own broken promises of all time: the demo's past year has some, and only his.
      const mine = page.locator('table.promises tbody tr');
      await mine.first().waitFor();
      for (const row of await mine.all()) {
        assert.match(await row.innerText(), /Alex Morgan/);
        assert.equal(await row.locator('.badge.broken').count(), 1);
      }
      await inspect(page, `promises-${viewport}-filtered`);
      await page.context().close();
    });
  }
});
