// Accounts on the demo: the directory, a franchise network with its locations, adding a contact.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, inspect, login, startApp } from './lib/harness.mjs';

describe('Accounts', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of ['desktop', 'phone']) {
    it(`lists, searches and shows a network with its locations (${viewport})`, async () => {
      const page = await app.page(viewport);
      await login(page, ADMIN.email, ADMIN.password);
      await page.goto('/accounts');
      await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
      assert.ok((await page.locator('table.accounts tbody tr').count()) >= 6);
      await inspect(page, `accounts-${viewport}-list`);

      await page.getByLabel('Search by name').fill('sunny');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL((url) => url.searchParams.get('q') === 'sunny');
      const rows = page.locator('table.accounts tbody tr');
      assert.equal(await rows.count(), 6, 'the network and its five locations');
      await rows.first().getByRole('link', { name: 'Sunny Side Cafés', exact: true }).click();
      await page.getByRole('heading', { name: 'Sunny Side Cafés', level: 1 }).waitFor();
      const locations = page.getByRole('region', { name: 'Locations' }).getByRole('listitem');
      assert.equal(await locations.count(), 5);
      assert.match(await page.getByRole('region', { name: 'Contacts' }).innerText(), /Grace Liu/);
      assert.match(await page.getByRole('region', { name: 'Problem history' }).innerText(), /Online ordering down at four locations/);
      await inspect(page, `accounts-${viewport}-network`);

      await locations.filter({ hasText: 'Austin' }).getByRole('link').click();
      await page.getByText('Location of Sunny Side Cafés').waitFor();
      await inspect(page, `accounts-${viewport}-location`);
      await page.context().close();
    });
  }

  it('adds a contact, refusing a bad email beside the field first', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    await page.goto('/accounts?q=harbor');
    await page.getByRole('link', { name: 'Harbor Freight Logistics' }).click();
    const form = page.getByRole('region', { name: 'Add a contact' });
    await form.getByLabel('Name').fill('Dana Whitfield');
    await form.getByLabel('Role').fill('Fleet Manager');
    await form.getByLabel('Email').fill('dana@');
    // The browser's own email check would stop the bad address; the server's is tested here.
    await form.locator('form').evaluate((f) => f.setAttribute('novalidate', ''));
    await form.getByRole('button', { name: 'Add contact' }).click();
    await page.locator('#contact-email-error').waitFor();
    assert.equal(await form.getByLabel('Name').inputValue(), 'Dana Whitfield');
    await inspect(page, 'accounts-desktop-contact-error');

    await form.getByLabel('Email').fill('dana@harborfreight.example');
    await form.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('status').filter({ hasText: 'Dana Whitfield added as a contact' }).waitFor();
    const contacts = page.getByRole('region', { name: 'Contacts' });
    assert.match(await contacts.innerText(), /Dana Whitfield[\s\S]*Fleet Manager/);
    await inspect(page, 'accounts-desktop-contact-added');
    await page.context().close();
  });
});
