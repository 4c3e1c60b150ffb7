// The reports page on the demo: every section with its headline and chart, the filter by an
// account's name (and its error beside the field), a section's CSV, axe on each view.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, VIEWER, inspect, login, startApp } from './lib/harness.mjs';

const SECTIONS = [
  'Promise reliability',
  'Time to tell and time to fix',
  'Update cadence',
  'Remedies',
  'Prevention',
  'Recovery',
  'The hierarchy of failure',
];

describe('Reports', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of ['desktop', 'phone']) {
    it(`shows every section with a headline and a chart, and filters by account (${viewport})`, async () => {
      const page = await app.page(viewport);
      await login(page, ADMIN.email, ADMIN.password);
      await page.goto('/reports');
      await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

      // Every section, in order, each telling its story in a sentence, with a chart image.
      const headings = await page.locator('section.report-section h2').allInnerTexts();
      assert.deepEqual(headings, SECTIONS);
      for (const name of SECTIONS) {
        const section = page.locator('section.report-section', { has: page.getByRole('heading', { name, level: 2 }) });
        assert.ok((await section.locator('p.headline').innerText()).length > 20, `${name} has a headline`);
        assert.ok((await section.locator('.downloads a[download]').count()) > 0, `${name} has a CSV download`);
      }
      assert.ok((await page.locator('svg.chart[role="img"]').count()) >= SECTIONS.length);
      assert.match(
        await page.locator('#promises p.headline').innerText(),
        /^\d+ of \d+ promises? kept on time/,
      );
      // The demo's year at a glance: eight promises broken (seven of them early in the year,
      // two without a word), then none once the team learned.
      assert.match(await page.locator('#promises p.headline').innerText(), /8 broken, 2 of them without notice/);
      // The promise level is the one highlighted in the hierarchy of failure.
      assert.match(await page.locator('#failures tr.highlight').innerText(), /Promise to a customer/);
      await inspect(page, `reports-${viewport}`);

      // A section's CSV, with the page's filter.
      const href = await page.locator('#promises .downloads a').first().getAttribute('href');
      assert.match(href, /^\/reports\/promises\.csv/);
      const csv = await page.request.get(href);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'], /^text\/csv/);
      assert.match((await csv.text()).split('\n')[0], /^month,kept,renegotiated/);

      // An account by name, not from a 760-item list; a name that matches none is refused beside it.
      await page.getByRole('searchbox', { name: 'Account' }).fill('no such account anywhere');
      await page.getByRole('button', { name: 'Show the report' }).click();
      await page.locator('#account-error').waitFor();
      assert.match(await page.locator('#account-error').innerText(), /no account name contains/);
      assert.equal(await page.getByRole('searchbox', { name: 'Account' }).inputValue(), 'no such account anywhere');
      await inspect(page, `reports-${viewport}-error`);

      await page.getByRole('searchbox', { name: 'Account' }).fill('Harbor Freight Logistics');
      await page.getByRole('button', { name: 'Show the report' }).click();
      await page.waitForURL((url) => url.searchParams.get('account') === 'Harbor Freight Logistics');
      await page.getByText('only the account Harbor Freight Logistics').waitFor();
      assert.deepEqual(await page.locator('section.report-section h2').allInnerTexts(), SECTIONS);
      await inspect(page, `reports-${viewport}-account`);
      await page.context().close();
    });
  }

  it('is open to a viewer from the navigation', async () => {
    const page = await app.page('desktop');
    await login(page, VIEWER.email, VIEWER.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    assert.equal(await page.locator('section.report-section').count(), SECTIONS.length);
    await page.context().close();
  });
});
