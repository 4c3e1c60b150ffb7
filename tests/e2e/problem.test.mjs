// The Problem page against the demo, at desktop and phone widths: the owner posts an internal
// note (the tell clock keeps running) and a customer update (the tell clock is met), makes a
// promise, renegotiates it and keeps it, waits on the vendor and resumes; a viewer sees the problem but no composer.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO_PASSWORD, VIEWER, VIEWPORTS, inspect, login, startApp } from './lib/harness.mjs';

/** The demo's agent who owns the print-shop problem, and its customer. */
const SAM = { email: 'sam@northwind.example', password: DEMO_PASSWORD, name: 'Sam Patel' };
const ACCOUNT = 'Okafor & Daughters Bakery';
const CONTACT = 'Ada Okafor';

/** `days` from now at 10:00 as a `datetime-local` value: in the future in any time zone. */
function local(days) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T10:00`;
}

/**
 * A fresh problem owned by the signed-in member, whose tell clock runs (no demo problem has
 * one that is not already breached): made through the JSON API with the session's CSRF token.
 */
async function freshProblem(page, title) {
  await page.goto('/');
  const csrf = await page.locator('input[name="csrf_token"]').first().inputValue();
  const accounts = await (await page.request.get('/api/v1/accounts?limit=200')).json();
  const account = accounts.items.find((a) => a.name === ACCOUNT);
  assert.ok(account, `no demo account ${ACCOUNT}`);
  const contacts = await (await page.request.get(`/api/v1/contacts?account=${account.id}`)).json();
  const contact = contacts.items.find((c) => c.name === CONTACT);
  assert.ok(contact, `no demo contact ${CONTACT}`);
  const response = await page.request.post('/api/v1/problems', {
    headers: { 'X-CSRF-Token': csrf },
    data: {
      title,
      origin: 'ours',
      severity: 'minor',
      category: 'print',
      accounts: [account.id],
      stakeholders: [contact.id],
    },
  });
  assert.equal(response.status(), 201, await response.text());
  return (await response.json()).number;
}

/** The clock row named `name` on the problem page. */
const clock = (page, name) => page.locator('#clocks li').filter({ hasText: name });

/** Submits with `button` (accepting its confirmation) and waits for the flash. */
async function send(page, button, flash) {
  await Promise.all([page.waitForNavigation(), button.click()]);
  const shown = page.locator('.flash');
  await shown.waitFor();
  assert.match(await shown.innerText(), flash);
}

describe('the Problem page', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of Object.keys(VIEWPORTS)) {
    it(`the owner tells the customer, notes, and works a promise (${viewport})`, async () => {
      const page = await app.page(viewport);
      page.on('dialog', (dialog) => dialog.accept());
      await login(page, SAM.email, SAM.password);
      const number = await freshProblem(page, `Flyers cut to the wrong size (${viewport})`);
      await page.goto(`/problems/${number}?compose=note#composer`);
      await page.getByRole('heading', { level: 1, name: new RegExp(`${number} Flyers cut`) }).waitFor();
      assert.match(await clock(page, 'Tell the customer').innerText(), /\bok\b/);
      // Preselected: an internal note; the destination is spelt out, with the stakeholder's name.
      const composer = page.locator('#composer');
      assert.ok(await page.getByRole('radio', { name: /Internal note/ }).isChecked());
      assert.match(await composer.innerText(), /Update to the customer — sent to 1 stakeholder \(Ada Okafor\)/);
      await inspect(page, `problem-${viewport}-new`);

      // An empty message is refused beside the field; the choice is kept.
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add internal note' }).click()]);
      await page.locator('#body-error').waitFor();
      assert.equal(await page.getByLabel('Message').getAttribute('aria-invalid'), 'true');
      assert.ok(await page.getByRole('radio', { name: /Internal note/ }).isChecked());
      await inspect(page, `problem-${viewport}-refused`);

      // An internal note: recorded, shown as internal, and the tell clock keeps running.
      await page.getByLabel('Message').fill('Cutter was set to A5 instead of DL; checking the other jobs.');
      await send(page, page.getByRole('button', { name: 'Add internal note' }), /Internal note added/);
      const note = page.locator('.timeline li.note').last();
      assert.match(await note.innerText(), /Internal note by Sam Patel/);
      assert.match(await clock(page, 'Tell the customer').innerText(), /\bok\b/);
      assert.doesNotMatch(await clock(page, 'Tell the customer').innerText(), /\bmet\b/);
      await inspect(page, `problem-${viewport}-note`);

      // A customer update: the button follows the choice, and the tell clock is met.
      await page.getByRole('radio', { name: /Update to the customer/ }).check();
      assert.ok(await page.getByRole('button', { name: 'Send update to customer' }).isVisible());
      assert.ok(!(await page.getByRole('button', { name: 'Add internal note' }).isVisible()));
      await page.getByLabel('Message').fill('Ada, the flyers we delivered are the wrong size. We are reprinting them today at our cost.');
      await send(page, page.getByRole('button', { name: 'Send update to customer' }), /Update sent to the customer — the tell clock is met/);
      assert.match(await clock(page, 'Tell the customer').innerText(), /\bmet\b/);
      assert.match(await page.locator('.timeline li.update').last().innerText(), /Sam Patel told the customer/);
      await inspect(page, `problem-${viewport}-told`);

      // A promise: made, renegotiated before it is due, then kept.
      const promises = page.locator('#promises');
      await page.getByLabel('What you promised').fill('Reprinted flyers delivered');
      assert.ok(await page.getByRole('checkbox', { name: /Ada Okafor/ }).isChecked());
      await promises.getByLabel(/^Due/).fill(local(2));
      await send(page, page.getByRole('button', { name: 'Record the promise' }), /Promise recorded/);
      const open = promises.locator('li.promise.open');
      assert.equal(await open.count(), 1);
      assert.match(await clock(page, 'Promise: Reprinted flyers delivered').innerText(), /left/);
      await inspect(page, `problem-${viewport}-promised`);

      await open.getByText('Renegotiate the due time').click();
      await open.getByLabel(/New due time/).fill(local(3));
      await open.getByLabel('Reason').fill('The paper stock arrives a day later');
      await send(page, open.getByRole('button', { name: 'Renegotiate', exact: true }), /Promise renegotiated in time/);
      assert.equal(await promises.locator('li.promise.renegotiated').count(), 1);
      assert.equal(await promises.locator('li.promise.open').count(), 1);
      assert.match(await page.locator('#timeline').innerText(), /The paper stock arrives a day later/);
      await inspect(page, `problem-${viewport}-renegotiated`);

      await send(page, promises.locator('li.promise.open').getByRole('button', { name: /Kept/ }), /Promise kept/);
      assert.equal(await promises.locator('li.promise.open').count(), 0);
      assert.match(await promises.locator('li.promise.kept').innerText(), /kept/);
      await inspect(page, `problem-${viewport}-kept`);

      // Waiting on the vendor pauses the fix clock; resuming runs it again.
      const actions = page.locator('#actions');
      await actions.getByRole('radio', { name: 'on the vendor' }).check();
      await actions.getByLabel('Reason').fill('Printwell is re-cutting the stock');
      await send(page, actions.getByRole('button', { name: 'Start waiting' }), /Waiting on the vendor/);
      assert.match(await clock(page, 'Fix it').innerText(), /paused/);
      assert.match(await page.locator('#timeline').innerText(), /Waiting on the vendor \(Sam Patel\)/);
      await inspect(page, `problem-${viewport}-waiting`);
      await send(page, page.locator('#actions').getByRole('button', { name: /Resume/ }), /Resumed/);
      assert.match(await clock(page, 'Fix it').innerText(), /left/);
      await page.context().close();

      // A viewer reads the same page but has no composer and no forms on it.
      const viewer = await app.page(viewport);
      await login(viewer, VIEWER.email, VIEWER.password);
      await viewer.goto(`/problems/${number}`);
      await viewer.getByRole('heading', { level: 1, name: new RegExp(number) }).waitFor();
      assert.equal(await viewer.locator('#composer').count(), 0);
      assert.equal(await viewer.locator(`main form[action^="/problems/"]`).count(), 0);
      assert.match(await viewer.locator('#read-only').innerText(), /cannot post updates or notes/);
      await inspect(viewer, `problem-${viewport}-viewer`);
      await viewer.context().close();
    });
  }
});
