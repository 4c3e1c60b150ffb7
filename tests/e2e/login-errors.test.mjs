// A failed sign-in says so beside the form, keeps the email and never echoes the password.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, VIEWPORTS, inspect, startApp } from './lib/harness.mjs';

describe('wrong password', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  for (const viewport of Object.keys(VIEWPORTS)) {
    it(`shows the error and keeps the email (${viewport})`, async () => {
      const page = await app.page(viewport);
      await page.goto('/login');
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill('not the password');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.equal(response.status(), 401);
      await page.waitForLoadState();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal((await alert.innerText()).trim(), 'The email or password is wrong.');
      // The error sits with the form, above its first field.
      const [alertBox, formBox] = await Promise.all([alert.boundingBox(), page.locator('form').boundingBox()]);
      assert.ok(alertBox.y < formBox.y + 10, 'the error is shown above the form');
      assert.equal(await page.getByLabel('Email').inputValue(), ADMIN.email);
      assert.equal(await page.getByLabel('Password').inputValue(), '');
      assert.ok(!(await page.content()).includes('not the password'), 'the password is not echoed');
      await inspect(page, `login-errors-${viewport}-wrong-password`);

      // The kept form still works: the right password now signs in.
      await page.getByLabel('Password').fill(ADMIN.password);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      await page.getByRole('heading', { level: 1, name: 'Northwind Consulting' }).waitFor();
      await page.context().close();
    });
  }

  it('an unknown email gets the same message', async () => {
    const page = await app.page('desktop');
    await page.goto('/login');
    await page.getByLabel('Email').fill('nobody@northwind.example');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal((await page.getByRole('alert').innerText()).trim(), 'The email or password is wrong.');
    assert.equal(await page.getByLabel('Email').inputValue(), 'nobody@northwind.example');
    await page.context().close();
  });
});
