// My account: a new time zone changes how times are shown; an API token is created (its
// secret shown once) and revoked after a confirmation.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { VIEWER, inspect, login, startApp } from './lib/harness.mjs';

describe('my account', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('changing the time zone changes the times shown', async () => {
    const page = await app.page('desktop');
    await login(page, VIEWER.email, VIEWER.password);
    await page.goto('/me');
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    await inspect(page, 'me');
    await page.locator('#time_zone').fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.locator('#time_zone-error').waitFor();
    assert.equal(await page.locator('#time_zone').inputValue(), 'Mars/Olympus');
    await inspect(page, 'me-time-zone-error');

    await page.locator('#time_zone').fill('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.getByText('Your time zone is now Asia/Tokyo').waitFor();
    assert.match(await page.locator('.my-now').innerText(), /JST$/);
    assert.match(await page.locator('footer').innerText(), /Times are in Asia\/Tokyo/);
    await page.locator('#time_zone').fill('America/New_York');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.getByText('Your time zone is now America/New_York').waitFor();
    assert.match(await page.locator('.my-now').innerText(), /E[SD]T$/);
  });

  it('a token is created, its secret shown once, and revoked', async () => {
    const page = await app.page('phone');
    page.on('dialog', (dialog) => dialog.accept());
    await login(page, VIEWER.email, VIEWER.password);
    await page.goto('/me');
    await page.getByLabel("New token's name").fill('e2e laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Your new API token' }).waitFor();
    const secret = await page.getByLabel('Token').inputValue();
    assert.match(secret, /^mg_[0-9a-f]{64}$/);
    await inspect(page, 'me-token-secret-phone');

    const api = await fetch(`${app.base}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(api.status, 200);

    await page.getByRole('link', { name: 'Done, back to My account' }).click();
    const row = page.locator('#tokens tr', { hasText: 'e2e laptop' });
    await row.waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is shown only once');
    await inspect(page, 'me-tokens-phone');
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByText('Revoked the token “e2e laptop”.').waitFor();
    assert.equal(await page.locator('#tokens tr', { hasText: 'e2e laptop' }).count(), 0);
    const revoked = await fetch(`${app.base}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(revoked.status, 401);
  });
});
