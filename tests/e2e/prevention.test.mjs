// Prevention on the demo: the recurring problem names the earlier one and its prevention, the
// vendor's promise is at risk, the earlier prevention's effectiveness check is recorded (not
// effective reopens it), and the vendor's page shows its promises.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, inspect, login, startApp } from './lib/harness.mjs';

describe('Prevention', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('flags the recurring problem and records an effectiveness check', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    await page.goto('/problems');
    await page.getByRole('link', { name: /Patient scheduling app down/ }).first().click();
    const panel = page.locator('#preventions');
    await panel.waitFor();
    const recurring = panel.locator('.recurring');
    assert.match(await recurring.innerText(), /Recurring: same category as MG-\d+ \(custom software\) on .+, prevention: Ask Stackhouse for two weeks' notice of every change \(done\)/);
    assert.match(await panel.innerText(), /Pin the PHP version in Stackhouse's maintenance contract/);
    const vendor = page.locator('#vendor-promises');
    assert.match(await vendor.innerText(), /Roll the production server back to PHP 7\.4/);
    assert.equal(await vendor.locator('.badge.warning').count(), 1, 'the vendor promise is at risk');
    await inspect(page, 'prevention-recurring');

    // The earlier problem's check is due: not effective, without a note, is refused beside the field.
    await recurring.getByRole('link').click();
    await page.locator('#preventions').waitFor();
    const check = page.locator('form.check');
    await check.getByLabel('Not effective (reopens it)').check();
    await check.getByRole('button', { name: 'Record the check' }).click();
    await page.locator('#preventions .error').waitFor();
    assert.match(await page.locator('#preventions .error').innerText(), /note is required/);
    await page.locator('form.check').getByLabel('Not effective (reopens it)').check();
    await page.locator('form.check').getByLabel('What you saw').fill('Stackhouse changed PHP again without notice');
    await page.locator('form.check').getByRole('button', { name: 'Record the check' }).click();
    await page.getByText('Not effective — the prevention is open again').waitFor();
    assert.match(await page.locator('#preventions').innerText(), /not effective: Stackhouse changed PHP again without notice/);

    // The vendor's page, from the navigation.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Vendors' }).click();
    await page.getByRole('link', { name: 'Stackhouse Hosting' }).click();
    await page.getByRole('heading', { name: 'Stackhouse Hosting', level: 1 }).waitFor();
    assert.match(await page.locator('main').innerText(), /Roll the production server back to PHP 7\.4/);
    await inspect(page, 'prevention-vendor');
    await page.context().close();
  });
});
