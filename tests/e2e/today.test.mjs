// Today: the admin's breached duty on top, the team view with the demo's broken promise,
// the agent who broke it told to talk to the customer, the viewer's empty state, and a
// one-click action that lands on the problem's composer.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, DEMO_PASSWORD, VIEWER, inspect, login, startApp } from './lib/harness.mjs';

const SAM = { email: 'sam@northwind.example', password: DEMO_PASSWORD };
const MAYA = { email: 'maya@northwind.example', password: DEMO_PASSWORD };
const BROKEN = 'Send Carl the corrected fuel surcharge invoice';

describe('Today', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('the admin sees the breached duty on top and acts on it in one click', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    const first = page.locator('ol.duties > li').first();
    assert.equal(await first.getAttribute('class'), 'breached');
    const text = await first.innerText();
    assert.match(text, /^(Tell|Update|Fix|Keep|Have) .+ — .+ (left|overdue)/, text);
    await inspect(page, 'today-desktop-admin');

    // The one-click action opens the problem with the customer-update composer chosen.
    const action = first.getByRole('link');
    const href = await action.getAttribute('href');
    assert.match(href, /^\/problems\/MG-\d+(\?compose=update#composer|#promises)?$/, href);
    const [response] = await Promise.all([page.waitForNavigation(), action.click()]);
    const url = new URL(page.url());
    assert.match(url.pathname, /^\/problems\/MG-\d+$/);
    if (href.includes('compose=update')) {
      assert.equal(url.searchParams.get('compose'), 'update');
      assert.equal(url.hash, '#composer');
    }
    if (response?.status() === 200 && href.includes('#composer')) {
      await page.locator('#composer').waitFor();
    }
    await inspect(page, 'today-desktop-admin-action');
    await page.context().close();
  });

  it('the team view shows whose duty it is and the broken promise', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    await Promise.all([
      page.waitForURL((url) => url.search === '?view=team'),
      page.getByRole('link', { name: 'Team', exact: true }).click(),
    ]);
    await page.getByRole('heading', { name: 'What needs the team now' }).waitFor();
    const broken = await page.locator('section.broken').innerText();
    assert.match(broken, new RegExp(`Sam Patel broke a promise to .+: ${BROKEN} — talk to them now`), broken);
    const owners = await page.locator('ol.duties .owner').allInnerTexts();
    assert.ok(new Set(owners).size >= 2, `several members' duties: ${owners}`);
    await inspect(page, 'today-desktop-team');
    await page.context().close();
  });

  it('the agent who broke a promise is told to talk to the customer now (phone)', async () => {
    const page = await app.page('phone');
    await login(page, SAM.email, SAM.password);
    const broken = page.locator('section.broken li');
    assert.match(await broken.first().innerText(), new RegExp(`You broke your promise to .+: ${BROKEN} — talk to them now`));
    assert.equal(await page.getByRole('link', { name: 'Team', exact: true }).count(), 0, 'agents have no team view');
    await inspect(page, 'today-phone-agent-broken');
    await page.context().close();
  });

  it('a supervisor switches between Mine and Team (phone)', async () => {
    const page = await app.page('phone');
    await login(page, MAYA.email, MAYA.password);
    await page.getByRole('link', { name: 'Mine', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('heading', { name: 'What needs the team now' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Team', exact: true }).getAttribute('aria-current'), 'page');
    await inspect(page, 'today-phone-supervisor-team');
    await page.context().close();
  });

  it('a viewer gets a helpful empty state, and no team view', async () => {
    const page = await app.page('phone');
    await login(page, VIEWER.email, VIEWER.password);
    await page.getByText('Nothing needs doing right now').waitFor();
    assert.equal(await page.locator('ol.duties > li').count(), 0);
    await page.getByRole('link', { name: 'open problem' }).waitFor();
    await inspect(page, 'today-phone-viewer-empty');
    await page.goto('/?view=team');
    await page.getByText('The team view is for supervisors and admins').waitFor();
    await inspect(page, 'today-phone-viewer-team-refused');
    await page.context().close();
  });
});
