// Remedies on the demo, at desktop and phone widths: the account manager (an agent with an
// authority of 1,000.00) proposes a remedy above it, which waits for approval with its clock;
// the supervisor sees the duty on Today, approves it on the problem page, and records it
// delivered.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DEMO_PASSWORD, VIEWPORTS, inspect, login, startApp } from './lib/harness.mjs';

const SAM = { email: 'sam@northwind.example', password: DEMO_PASSWORD };
const MAYA = { email: 'maya@northwind.example', password: DEMO_PASSWORD };
const PROBLEM = "Brochures printed with last year's prices";

/** Submits with `button` (accepting its confirmation) and waits for the flash. */
async function send(page, button, flash) {
  await Promise.all([page.waitForNavigation(), button.click()]);
  const shown = page.locator('.flash');
  await shown.waitFor();
  assert.match(await shown.innerText(), flash);
}

/** The demo's reprint problem page, found through the problem list. */
async function openReprintProblem(page) {
  const list = await (await page.request.get('/api/v1/problems?limit=200')).json();
  const problem = list.items.find((p) => p.title === PROBLEM);
  assert.ok(problem, `no demo problem ${PROBLEM}`);
  await page.goto(`/problems/${problem.number}#remedies`);
  await page.getByRole('heading', { name: 'Remedies' }).waitFor();
  return problem.number;
}

describe('Remedies', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of Object.keys(VIEWPORTS)) {
    it(`an agent proposes above authority, a supervisor approves, it is delivered (${viewport})`, async () => {
      const description = `Free delivery of the reprint to every shop (${viewport})`;
      const page = await app.page(viewport);
      page.on('dialog', (dialog) => dialog.accept());
      await login(page, SAM.email, SAM.password);
      const number = await openReprintProblem(page);
      const panel = page.locator('#remedies');
      // The demo's reprint already waits for approval, with its clock.
      const reprint = panel.locator('li.remedy', { hasText: 'A reprint of all 5,000 brochures' });
      assert.match(await reprint.innerText(), /awaiting approval/);
      assert.match(await reprint.innerText(), /EUR 2,000\.00/);
      assert.match(await reprint.innerText(), /Approval clock/);
      assert.equal(await panel.getByRole('button', { name: /^Approve/ }).count(), 0, 'an agent cannot approve');

      // Money typed badly is refused beside the field, the input kept.
      await panel.getByText('Propose a remedy').click();
      await panel.getByLabel('Kind').selectOption('gift');
      await panel.getByLabel(/What the customer gets/).fill(description);
      await panel.getByLabel(/Cost to us/).fill('1.500,00');
      await Promise.all([page.waitForNavigation(), panel.getByRole('button', { name: 'Propose the remedy' }).click()]);
      await page.locator('#remedy-cost-error').waitFor();
      assert.equal(await page.getByLabel(/Cost to us/).inputValue(), '1.500,00');
      assert.equal(await page.getByLabel(/What the customer gets/).inputValue(), description);
      await inspect(page, `remedies-${viewport}-refused`);

      await page.getByLabel(/Cost to us/).fill('1,500.00');
      await send(page, page.getByRole('button', { name: 'Propose the remedy' }), /above your authority of EUR 1,000\.00/);
      const mine = page.locator('#remedies li.remedy', { hasText: description });
      assert.match(await mine.innerText(), /awaiting approval/);
      assert.match(await mine.innerText(), /left/);
      await inspect(page, `remedies-${viewport}-proposed`);
      await page.context().close();

      // The supervisor: the approval duty on Today, then approve and deliver on the problem.
      const boss = await app.page(viewport);
      boss.on('dialog', (dialog) => dialog.accept());
      await login(boss, MAYA.email, MAYA.password);
      const duty = boss.locator('main li, main tr', { hasText: `Approve the gift for Okafor & Daughters Bakery on ${number} (EUR 1,500.00)` }).first();
      await duty.waitFor();
      await inspect(boss, `remedies-${viewport}-today`);
      await boss.goto(`/problems/${number}#remedies`);
      const theirs = boss.locator('#remedies li.remedy', { hasText: description });
      await send(boss, theirs.getByRole('button', { name: /^Approve/ }), /Remedy approved — EUR 1,500\.00 net/);
      const approved = boss.locator('#remedies li.remedy', { hasText: description });
      assert.match(await approved.innerText(), /approved by Maya Ortiz/);
      assert.match(await approved.innerText(), /met/);
      await approved.getByText('Delivered to the customer').click();
      await send(boss, approved.getByRole('button', { name: 'Record the delivery' }), /Remedy delivered/);
      const delivered = boss.locator('#remedies li.remedy', { hasText: description });
      assert.match(await delivered.innerText(), /delivered \(approved by Maya Ortiz\)/);
      assert.match(await boss.locator('#timeline').innerText(), /Maya Ortiz approved remedy #\d+/);
      await inspect(boss, `remedies-${viewport}-delivered`);
      await boss.context().close();
    });
  }
});
