// First run: on an empty database `serve` prints a one-time setup link; following it creates
// the organisation and its first admin, signed in. The link then no longer works.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { inspect, login, startApp } from './lib/harness.mjs';

describe('setup on an empty database', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: false });
  });
  after(() => app?.close());

  it('the sign-in page says makegood is not set up yet', async () => {
    const page = await app.page('phone');
    await page.goto('/login');
    await page.getByText('makegood is not set up yet').waitFor();
    await inspect(page, 'setup-phone-login-not-set-up');
    await page.context().close();
  });

  it('a setup POST without the CSRF token is refused', async () => {
    const page = await app.page('desktop');
    await page.goto(app.setupLink);
    const token = new URL(app.setupLink).searchParams.get('token');
    const response = await page.request.post('/setup', {
      form: { token, organisation: 'Forged Ltd', name: 'Mallory', email: 'm@forged.example', password: 'long enough password', time_zone: 'UTC' },
      maxRedirects: 0,
    });
    assert.equal(response.status(), 403);
    await page.context().close();
  });

  it('creates the organisation and lands signed in; the link then is spent', async () => {
    const page = await app.page('desktop');
    await page.goto(app.setupLink);
    await page.getByRole('heading', { name: 'Set up makegood' }).waitFor();
    await inspect(page, 'setup-desktop-form');

    await page.getByLabel('Organisation name').fill('Riverside Studio');
    await page.getByLabel('Your name').fill('Jo Park');
    await page.getByLabel('Your email').fill('jo@riverside.example');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Time zone').fill('Europe/Berlin');
    // The browser would stop a too-short password only if the page said so; submit and let
    // the server say it, beside the field, with the other answers kept.
    await page.getByRole('button', { name: 'Create organisation and sign in' }).click();
    const password = page.getByLabel('Password');
    await page.locator('#password-error').waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.equal(await password.getAttribute('aria-describedby'), 'password-error');
    assert.equal(await page.getByLabel('Organisation name').inputValue(), 'Riverside Studio');
    assert.equal(await page.getByLabel('Your email').inputValue(), 'jo@riverside.example');
    assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Berlin');
    await inspect(page, 'setup-desktop-field-error');

    await password.fill('a long enough password');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: 'Create organisation and sign in' }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: 'Riverside Studio' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Signed in as Jo Park \(admin\)/);
    await page.getByText('Nothing needs doing right now').waitFor();
    await inspect(page, 'setup-desktop-today');
    await page.context().close();

    // The link works once.
    const again = await app.page('phone');
    const response = await again.goto(app.setupLink);
    assert.equal(response.status(), 404);
    await again.getByRole('heading', { name: 'Setup link not valid' }).waitFor();
    await inspect(again, 'setup-phone-link-spent');
    // And the new admin signs in the ordinary way.
    await login(again, 'jo@riverside.example', 'a long enough password');
    await again.getByRole('heading', { level: 1, name: 'Riverside Studio' }).waitFor();
    await again.context().close();
  });
});
