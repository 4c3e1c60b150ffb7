// Settings: the admin invites a member, who opens the link in a fresh browser, sets a
// password and lands signed in; the admin edits a policy (a bad value is kept and explained).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, VIEWER, inspect, login, startApp } from './lib/harness.mjs';

describe('settings', () => {
  let app;
  before(async () => {
    app = await startApp({ demo: true });
  });
  after(() => app?.close());

  it('an invited member sets a password and is signed in', async () => {
    const admin = await app.page('desktop');
    await login(admin, ADMIN.email, ADMIN.password);
    await admin.goto('/settings');
    await admin.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await inspect(admin, 'settings-index');

    await admin.getByRole('link', { name: 'Members' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await inspect(admin, 'settings-members');
    await admin.getByRole('link', { name: 'Invite a member' }).click();
    await admin.getByLabel('Name').fill('Ivy Invited');
    await admin.getByLabel('Email').fill('ivy@northwind.example');
    await admin.getByLabel('Role').selectOption('agent');
    await admin.getByLabel('Remedy authority').fill('250');
    await admin.getByLabel('Time zone').fill('Europe/Berlin');
    await inspect(admin, 'settings-invite');
    await admin.getByRole('button', { name: 'Invite and show the link' }).click();
    await admin.getByRole('heading', { name: 'Invitation for Ivy Invited' }).waitFor();
    await inspect(admin, 'settings-invited');
    const link = await admin.getByLabel('Invitation link').inputValue();
    assert.match(link, /\/invite\/[0-9a-f]{64}$/);
    assert.match(await admin.locator('main').innerText(), /does not email it/);

    // The invitee, in a fresh context (no cookies), opens the link on this server.
    const invitee = await app.page('phone');
    await invitee.goto(new URL(link).pathname);
    await invitee.getByRole('heading', { name: 'Welcome to makegood, Ivy Invited' }).waitFor();
    await inspect(invitee, 'invite-accept-phone');
    await invitee.getByLabel('Password').fill('short');
    // The browser's own minlength check would stop a short password; bypass it to see ours.
    await invitee.locator('form').evaluate((f) => f.setAttribute('novalidate', ''));
    await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
    await invitee.locator('#password-error').waitFor();
    assert.match(await invitee.locator('#password-error').innerText(), /at least 10/);
    await invitee.getByLabel('Password').fill('ivy-long-password');
    await Promise.all([
      invitee.waitForURL((url) => url.pathname === '/'),
      invitee.getByRole('button', { name: 'Set password and sign in' }).click(),
    ]);
    await invitee.getByText('Welcome, Ivy Invited!').waitFor();
    await inspect(invitee, 'invite-signed-in-phone');

    // The link works once.
    const again = await app.page('desktop');
    await again.goto(new URL(link).pathname);
    await again.getByRole('heading', { name: 'Invitation already used' }).waitFor();
    await inspect(again, 'invite-used');

    // The member is listed, and can sign in with the password.
    await admin.goto('/settings/members');
    await admin.getByRole('link', { name: 'Ivy Invited' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Ivy Invited' }).waitFor();
    await inspect(admin, 'settings-member');
    const fresh = await app.page('desktop');
    await login(fresh, 'ivy@northwind.example', 'ivy-long-password');
  });

  it('the admin edits a policy; a bad duration is kept and explained', async () => {
    const admin = await app.page('desktop');
    await login(admin, ADMIN.email, ADMIN.password);
    await admin.goto('/settings/policies');
    await admin.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    await inspect(admin, 'settings-policies');
    await admin.locator('#critical_tell').fill('whenever');
    await admin.getByRole('button', { name: 'Save policies' }).click();
    await admin.locator('#critical_tell-error').waitFor();
    assert.equal(await admin.locator('#critical_tell').inputValue(), 'whenever');
    await inspect(admin, 'settings-policies-error');
    await admin.locator('#critical_tell').fill('45m');
    await admin.locator('#critical_update').fill('3h 30m');
    await admin.getByRole('button', { name: 'Save policies' }).click();
    await admin.getByText('Policies saved').waitFor();
    assert.equal(await admin.locator('#critical_tell').inputValue(), '45m');
    assert.equal(await admin.locator('#critical_update').inputValue(), '3h 30m');

    await admin.goto('/settings/tokens');
    await admin.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await inspect(admin, 'settings-tokens');
  });

  it('a viewer gets the not-allowed page', async () => {
    const viewer = await app.page('phone');
    await login(viewer, VIEWER.email, VIEWER.password);
    const response = await viewer.goto('/settings/members');
    assert.equal(response.status(), 403);
    await viewer.getByRole('heading', { name: 'Not allowed' }).waitFor();
  });
});
