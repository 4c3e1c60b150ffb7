// The customer portal against the demo, as Kestrel's Controller — the "done when": a
// sign-in link from `makegood portal-link`, Continue, the problem and the promises made to her,
// a reply by email threaded onto the problem, a reply in the portal, confirming the fix, rating
// it 2/5 — and the owner and a supervisor alerted. The used link is refused; another account's
// problem by URL is the portal's 404 page.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, ingestMail, inspect, login, portalLink, startApp } from './lib/harness.mjs';

/** The demo's customer contact (crates/makegood/src/demo/customer.rs) and their problem. */
const NORA = { email: 'nora@kestrel.example', name: 'Nora Quinn' };
const ACCOUNT = 'Kestrel Property Management';
const PROBLEM = 'Tenant portal charged late fees in error';
const KEPT = 'Refund every wrongly charged late fee';
const OPEN = 'A written summary of the cause and what we changed';
/** The problem's owner and the demo's supervisor, who hear of a low rating. */
const OWNER = 'sam@northwind.example';
const SUPERVISOR = 'maya@northwind.example';

/** Nora's answer to one of our emails about problem `number` (e.g. MG-8), as her mail client sends it. */
function emailReply(number) {
  return [
    'From: Nora Quinn <nora@kestrel.example>',
    'To: makegood <makegood@localhost>',
    `Subject: Re: [${number}] ${PROBLEM}`,
    'Message-ID: <e2e-nora-1@kestrel.example>',
    'Date: Thu, 03 Dec 2026 09:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The refunds are showing on most statements now, thank you.',
    '',
    'On Mon, Sam Patel wrote:',
    '> All 212 late fees are refunded and the job is fixed.',
    '',
  ].join('\r\n');
}

/** The id of a demo problem that does not affect Kestrel, found through the team's API. */
async function otherAccountsProblem(app) {
  const team = await app.page('desktop');
  await login(team, ADMIN.email, ADMIN.password);
  const problems = (await (await team.request.get('/api/v1/problems?limit=200')).json()).items;
  const fees = problems.find((p) => p.title === PROBLEM);
  assert.ok(fees, `no demo problem ${PROBLEM}`);
  const kestrel = fees.accounts[0];
  const other = problems.find((p) => !p.accounts.includes(kestrel));
  assert.ok(other, 'a demo problem of another account');
  await team.context().close();
  return other;
}

describe('the customer portal', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('a contact signs in by link, sees updates and promises, replies, confirms, and cannot open another account’s problem', async () => {
    const other = await otherAccountsProblem(app);
    const link = await portalLink(app.server, NORA.email);
    const page = await app.page('desktop');

    // The link page only shows Continue: opening it (as a mail scanner would) uses nothing.
    await page.goto(link.replace(app.base, ''));
    await page.getByRole('heading', { level: 1, name: `Welcome, ${NORA.name}` }).waitFor();
    await inspect(page, 'portal-link');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/portal'),
      page.getByRole('button', { name: 'Continue' }).click(),
    ]);

    // The list: Kestrel's problem and the promises made to Nora, one kept, one open.
    await page.getByRole('heading', { level: 1, name: `Problems affecting ${ACCOUNT}` }).waitFor();
    const problemLink = page.locator('.portal-problems a').filter({ hasText: PROBLEM });
    assert.equal(await problemLink.count(), 1, await page.locator('main').innerText());
    assert.match(await page.locator('.portal-problems li').filter({ hasText: PROBLEM }).innerText(), /Fixed — please confirm/);
    assert.equal(await page.locator('.portal-problems a').filter({ hasText: other.title }).count(), 0);
    const kept = page.locator('.portal-promises li').filter({ hasText: KEPT });
    const open = page.locator('.portal-promises li').filter({ hasText: OPEN });
    assert.match(await kept.innerText(), /\bKept\b/);
    assert.match(await open.innerText(), /\bOpen\b.*due/s);
    assert.equal(await kept.getAttribute('class'), 'promise-kept');
    assert.equal(await open.getAttribute('class'), 'promise-open');
    await inspect(page, 'portal-list');

    // The problem: the team's updates, never its internal note.
    await Promise.all([page.waitForURL(/\/portal\/problems\/\d+$/), problemLink.click()]);
    await page.getByRole('heading', { level: 1, name: new RegExp(PROBLEM) }).waitFor();
    const timeline = page.locator('#timeline');
    assert.match(await timeline.innerText(), /All 212 late fees are refunded/);
    assert.doesNotMatch(await page.locator('main').innerText(), /half-cent rents/);
    assert.match(await page.locator('.portal-promises').innerText(), new RegExp(`${KEPT}[\\s\\S]*${OPEN}|${OPEN}[\\s\\S]*${KEPT}`));
    await inspect(page, 'portal-problem');

    // Nora answers one of our emails: the reply threads onto the problem by its [MG-n] tag,
    // without the quoted thread.
    const number = (await page.locator('h1 .number').innerText()).trim();
    await ingestMail(app.server, emailReply(number));
    await page.reload();
    const byEmail = timeline.locator('li').filter({ hasText: 'You, by email' });
    assert.match(await byEmail.innerText(), /refunds are showing on most statements/);
    assert.doesNotMatch(await byEmail.innerText(), /All 212 late fees are refunded and the job/);

    // A reply in the portal: shown on the problem.
    const reply = 'Thanks Sam. Two tenants still see the fee on their statement; can you check units 4B and 7A?';
    await page.getByLabel('Your message to the team').fill(reply);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send reply' }).click()]);
    assert.match(await page.locator('.flash').innerText(), /your reply is on the problem/);
    assert.match(await timeline.locator('li').last().innerText(), /units 4B and 7A/);
    await inspect(page, 'portal-problem-replied');

    // Confirming the fix: recorded, and the question is gone.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'It works now' }).click()]);
    assert.match(await page.locator('.flash').innerText(), /recorded that it works now/);
    await page.getByText('You confirmed it works. Thank you.').waitFor();
    assert.match(await page.locator('.portal-status').innerText(), /Fixed and confirmed/);
    assert.equal(await page.getByRole('button', { name: 'It works now' }).count(), 0);
    await inspect(page, 'portal-problem-confirmed');

    // The follow-up survey, sent by the scheduler once the policy's days after the fix passed
    // (it runs as `serve` starts): a 2/5 rating with a detractor's recommend.
    const survey = page.locator('#survey');
    await survey.getByRole('heading', { name: 'How did we do?' }).waitFor();
    await survey.locator('input[name="rating"][value="2"]').check();
    await survey.locator('input[name="recommend"][value="4"]').check();
    await survey.getByLabel('Anything you want to tell us? (optional)').fill('Fixed in the end, but it took far too long and we had to chase.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send my answer' }).click()]);
    assert.match(await page.locator('.flash').innerText(), /Thank you for telling us how we did/);
    assert.match(await survey.innerText(), /You rated us 2\/5 and would recommend us 4\/10/);
    await inspect(page, 'portal-survey-answered');

    // The owner and a supervisor are alerted at once: the low-rating emails are in the outbox.
    const team = await app.page('desktop');
    await login(team, ADMIN.email, ADMIN.password);
    const outbox = (await (await team.request.get('/api/v1/deliveries?limit=200')).json()).items;
    const alerted = outbox.filter((d) => d.notice.type === 'low_rating').map((d) => d.recipient);
    assert.ok(alerted.includes(OWNER), `no low-rating alert to the owner: ${JSON.stringify(alerted)}`);
    assert.ok(alerted.includes(SUPERVISOR), `no low-rating alert to the supervisor: ${JSON.stringify(alerted)}`);
    const wrote = outbox.filter((d) => d.notice.type === 'customer_wrote').map((d) => d.recipient);
    assert.ok(wrote.includes(OWNER), 'the owner heard of the replies');
    await team.context().close();

    // Another account's problem by URL: the portal's own 404, the same as for a missing one.
    const response = await page.goto(`/portal/problems/${other.id}`);
    assert.equal(response.status(), 404);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    const notFound = await page.locator('main').innerText();
    assert.doesNotMatch(notFound, new RegExp(other.title));
    await inspect(page, 'portal-not-found');
    const missing = await page.goto('/portal/problems/999999');
    assert.equal(missing.status(), 404);
    assert.equal(await page.locator('main').innerText(), notFound);

    // The link worked once: a second use is refused with the reason.
    const again = await app.page('phone');
    await again.goto(link.replace(app.base, ''));
    await again.getByText(/has been used already/).waitFor();
    await inspect(again, 'portal-link-used');
  });
});
