// Problems: filter and search through the form, the URL bookmarkable; recording a problem
// through the form (errors shown beside the fields, then success) at desktop and phone widths.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, VIEWPORTS, inspect, login, startApp } from './lib/harness.mjs';

describe('Problems', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('filters and searches, and the view is a bookmarkable URL', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Problems', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Problems' }).waitFor();
    const all = await page.locator('table.problems tbody tr').count();
    assert.ok(all >= 4, `the demo's problems: ${all}`);
    await inspect(page, 'problems-desktop-all');

    // "memory card" is only in a customer update, not in any title.
    await page.getByLabel('Search titles, updates and notes').fill('memory card');
    await page.getByLabel('Severity').selectOption('major');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === 'memory card'),
      page.getByRole('button', { name: 'Show problems' }).click(),
    ]);
    const url = page.url();
    assert.equal(new URL(url).searchParams.get('severity'), 'major');
    const rows = await page.locator('table.problems tbody tr').allInnerTexts();
    assert.equal(rows.length, 1, rows.join('\n'));
    assert.match(rows[0], /Six scenes of the spring campaign footage lost/);
    await inspect(page, 'problems-desktop-search');

    // The same URL, opened fresh, shows the same view with the form filled in.
    const bookmark = await app.page('phone');
    await login(bookmark, ADMIN.email, ADMIN.password);
    await bookmark.goto(url.replace(app.base, ''));
    assert.equal(await bookmark.getByLabel('Search titles, updates and notes').inputValue(), 'memory card');
    assert.equal(await bookmark.getByLabel('Severity').inputValue(), 'major');
    assert.equal(await bookmark.locator('table.problems tbody tr').count(), 1);
    await inspect(bookmark, 'problems-phone-bookmark');
    await bookmark.context().close();

    // Nothing matches: the empty state says so and clears the filters.
    await page.getByLabel('Search titles, updates and notes').fill('zebra crossing');
    await page.getByRole('button', { name: 'Show problems' }).click();
    await page.getByText('No problems match these filters').waitFor();
    await inspect(page, 'problems-desktop-no-match');
    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await page.waitForURL((u) => u.pathname === '/problems' && u.search === '');
    assert.equal(await page.locator('table.problems tbody tr').count(), all);
    await page.context().close();
  });

  for (const viewport of Object.keys(VIEWPORTS)) {
    it(`the admin records a problem through the form (${viewport})`, async () => {
      const page = await app.page(viewport);
      await login(page, ADMIN.email, ADMIN.password);
      await page.goto('/problems');
      await page.getByRole('link', { name: 'New problem' }).click();
      await page.getByRole('heading', { name: 'Record a problem' }).waitFor();
      await inspect(page, `problems-${viewport}-new`);

      const title = `Label printer jammed ${viewport}`;
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Description').fill('Shipping labels came out blank all morning.');
      await page.getByLabel('Severity').selectOption('critical');
      // No affected account: the form comes back with the error beside the accounts.
      await page.getByRole('button', { name: 'Record the problem' }).click();
      await page.getByText('choose at least one affected account').waitFor();
      assert.equal(await page.getByLabel('Title').inputValue(), title, 'input kept');
      assert.equal(await page.getByLabel('Severity').inputValue(), 'critical', 'input kept');
      await inspect(page, `problems-${viewport}-new-error`);

      await page.locator('fieldset.choices input[name="accounts"]').first().check();
      await Promise.all([
        page.waitForURL((url) => /^\/problems\/MG-\d+$/.test(url.pathname)),
        page.getByRole('button', { name: 'Record the problem' }).click(),
      ]);
      const number = new URL(page.url()).pathname.split('/').pop();
      await inspect(page, `problems-${viewport}-created`);

      await page.goto(`/problems?q=${encodeURIComponent(`label printer ${viewport}`)}`);
      const rows = await page.locator('table.problems tbody tr').allInnerTexts();
      assert.equal(rows.length, 1, rows.join('\n'));
      assert.ok(rows[0].includes(number) && rows[0].includes(title), rows[0]);
      assert.match(rows[0], /critical/);
      await inspect(page, `problems-${viewport}-created-listed`);
      await page.context().close();
    });
  }
});
