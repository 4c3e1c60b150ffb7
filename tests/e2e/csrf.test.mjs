// Forms without their CSRF token are refused with 403 and change nothing.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, inspect, login, startApp } from './lib/harness.mjs';

describe('CSRF', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('a sign-in POST without the token is refused, even with the right password', async () => {
    const page = await app.page('desktop');
    // The sign-in page sets the double-submit cookie; the POST below carries it but no token.
    await page.goto('/login');
    const cookies = (await page.context().cookies()).map((c) => c.name);
    assert.ok(cookies.includes('makegood_form_csrf'), `cookies: ${cookies}`);
    for (const form of [
      { email: ADMIN.email, password: ADMIN.password },
      { email: ADMIN.email, password: ADMIN.password, csrf_token: 'forged' },
    ]) {
      const response = await page.request.post('/login', { form, maxRedirects: 0 });
      assert.equal(response.status(), 403, JSON.stringify(form));
      assert.match(await response.text(), /security token did not match/);
    }
    // No session was started: home still sends us to sign in.
    await page.goto('/');
    assert.equal(new URL(page.url()).pathname, '/login');
    // The control: the same request with the form's own token signs in, so the refusals
    // above were for the token alone (the cookie did travel with them).
    const token = await page.locator('input[name="csrf_token"]').inputValue();
    const signedIn = await page.request.post('/login', {
      form: { email: ADMIN.email, password: ADMIN.password, csrf_token: token },
      maxRedirects: 0,
    });
    assert.equal(signedIn.status(), 303);
    assert.equal(signedIn.headers().location, '/');
    await page.context().close();
  });

  it('a sign-out POST without the session token is refused and the session survives', async () => {
    const page = await app.page('desktop');
    await login(page, ADMIN.email, ADMIN.password);
    const response = await page.request.post('/logout', { form: { csrf_token: 'forged' }, maxRedirects: 0 });
    assert.equal(response.status(), 403);
    const missing = await page.request.post('/logout', { form: {}, maxRedirects: 0 });
    assert.equal(missing.status(), 403);
    // The refusal page, as a browser would show it, is accessible too.
    await page.setContent(await missing.text());
    await page.getByRole('heading', { name: 'Please try again' }).waitFor();
    await inspect(page, 'csrf-desktop-refused');
    // Still signed in, and the session's own token does sign out.
    await page.goto('/');
    assert.equal(new URL(page.url()).pathname, '/');
    const token = await page.locator('input[name="csrf_token"]').inputValue();
    const out = await page.request.post('/logout', { form: { csrf_token: token }, maxRedirects: 0 });
    assert.equal(out.status(), 303);
    await page.goto('/');
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.context().close();
  });
});
