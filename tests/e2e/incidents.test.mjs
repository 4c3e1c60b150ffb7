// A multi-location incident on the demo: one update to every store of a 750-store network
// shows on each location's account page, beside the promises to one store and to all.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, inspect, login, startApp } from './lib/harness.mjs';

const TITLE = 'Card payments failing at every Zephyr store';

describe('Incidents across many accounts', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('an update on a 750-store incident shows on each store’s account page', async () => {
    const page = await app.page('desktop');
    page.on('dialog', (dialog) => dialog.accept());
    await login(page, ADMIN.email, ADMIN.password);
    await page.goto(`/problems?q=${encodeURIComponent('Zephyr')}`);
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.getByRole('heading', { level: 1, name: new RegExp(TITLE) }).waitFor();
    const customer = page.getByRole('region', { name: 'Customer', exact: true });
    assert.match(await customer.innerText(), /Every contact of every affected account: 751 contacts, 751 with an email address/);
    assert.match(await customer.innerText(), /and 721 more/);
    const promises = page.getByRole('region', { name: 'Promises', exact: true });
    assert.match(await promises.innerText(), /Refund every store’s card fees for the outage day|Refund every store's card fees/);
    assert.match(await promises.innerText(), /To 751 contacts/);
    assert.match(await promises.innerText(), /Lend Store 001 a standalone card terminal/);
    const composer = page.locator('#composer');
    assert.match(await composer.innerText(), /sent to 751 stakeholders \(every contact of the 751 affected accounts, 751 with an email address\)/);
    await inspect(page, 'incident-problem');

    const update = 'Cards work again at every store. Thank you for taking cash this morning.';
    await page.getByRole('radio', { name: /Update to the customer/ }).check();
    await page.getByLabel('Message').fill(update);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send update to customer' }).click()]);
    await page.locator('.flash').waitFor();

    for (const store of ['001', '375', '750']) {
      const name = `Zephyr Coffee — Store ${store}`;
      await page.goto(`/accounts?q=${encodeURIComponent(name)}`);
      await page.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      const open = page.getByRole('region', { name: 'Open problems' });
      const text = await open.innerText();
      assert.match(text, new RegExp(TITLE));
      assert.ok(text.includes(update), `the latest update on ${name}: ${text}`);
      assert.match(text, /affects 750 other accounts too/);
    }
    await inspect(page, 'incident-location');
    await page.goto('/accounts?q=Zephyr%20Coffee%20Franchise');
    await page.getByRole('link', { name: 'Zephyr Coffee Franchise', exact: true }).click();
    assert.ok((await page.getByRole('region', { name: 'Open problems' }).innerText()).includes(update));
    await page.context().close();
  });
});
