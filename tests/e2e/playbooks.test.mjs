// Playbooks on the demo: an admin's broken template is refused beside its field with the line,
// then saved and deleted (after confirming); on a problem the checklist shows its progress and
// ticks, and the composer starts from the apology template written to the chosen contact.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, inspect, login, startApp } from './lib/harness.mjs';

const OUTAGE = 'Patient scheduling app down after server upgrade';

describe('Playbooks', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('refuses a broken template with its line and keeps what was typed', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    await page.goto('/settings/playbooks');
    await page.getByRole('heading', { name: 'Playbooks', level: 1 }).waitFor();
    const rows = page.locator('table.playbooks tbody tr');
    assert.equal(await rows.count(), 5, 'a playbook per demo category');
    await inspect(page, 'playbooks-list');

    await page.getByRole('link', { name: 'New playbook' }).click();
    await page.getByLabel('Problem category').fill('Hardware');
    await page.getByLabel('Checklist, one item per line').fill('Call the office manager\nShip a spare unit today');
    await page.getByLabel('Apology').fill('Dear {{ contact.first_name }},\n{{ contact.nickname }}');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save playbook' }).click()]);
    const error = page.locator('#template-apology-error');
    assert.match(await error.innerText(), /^line 2: unknown variable/);
    assert.equal(await page.getByLabel('Apology').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Problem category').inputValue(), 'Hardware');
    assert.equal(await page.getByLabel('Checklist, one item per line').inputValue(), 'Call the office manager\nShip a spare unit today');
    await inspect(page, 'playbooks-refused');

    await page.getByLabel('Apology').fill('Dear {{ contact.first_name }}, we are sorry about {{ problem.number }}.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save playbook' }).click()]);
    assert.match(await page.locator('.flash').innerText(), /Playbook for “Hardware” saved/);
    assert.equal(await rows.count(), 6);

    // Deleting asks first; declining keeps it, accepting deletes it.
    const hardware = rows.filter({ hasText: 'Hardware' });
    page.once('dialog', (d) => d.dismiss());
    await hardware.getByRole('button', { name: /Delete/ }).click();
    assert.equal(await rows.count(), 6);
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForNavigation(), hardware.getByRole('button', { name: /Delete/ }).click()]);
    assert.match(await page.locator('.flash').innerText(), /Playbook for “Hardware” deleted/);
    assert.equal(await rows.count(), 5);
    await page.context().close();
  });

  for (const viewport of ['desktop', 'phone']) {
    it(`ticks the checklist and starts an apology from the template (${viewport})`, async () => {
      const page = await app.page(viewport);
      await login(page, ADMIN.email, ADMIN.password);
      await page.goto('/problems');
      await page.getByRole('link', { name: OUTAGE }).first().click();
      const panel = page.locator('#checklist');
      await panel.waitFor();
      const progress = panel.locator('.progress');
      const before = Number((await progress.innerText()).match(/(\d+) of 5 done/)[1]);
      assert.ok(before >= 2, 'the demo ticked two items');
      const open = panel.locator('li.open').first();
      const text = (await open.innerText()).trim();
      await Promise.all([page.waitForNavigation(), open.getByRole('button').click()]);
      assert.match(await page.locator('.flash').innerText(), new RegExp(`${before + 1} of 5 done`));
      assert.match(await progress.innerText(), new RegExp(`${before + 1} of 5 done`));
      assert.match(await page.locator('#timeline').innerText(), /ticked off “/);
      assert.ok(text.length > 0);
      await inspect(page, `playbooks-checklist-${viewport}`);

      await page.getByLabel('Template').selectOption({ label: 'Apology' });
      await page.getByLabel('Written to').selectOption({ label: 'Tom Becker' });
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Fill in the message' }).click()]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('template'), 'apology');
      const body = await page.getByLabel('Message').inputValue();
      assert.match(body, /^Dear Tom,/);
      assert.match(body, /\(MG-\d+\)/);
      assert.ok(await page.locator('#kind-update').isChecked(), 'a template is an update to the customer');
      await inspect(page, `playbooks-composer-${viewport}`);
      await page.context().close();
    });
  }
});
