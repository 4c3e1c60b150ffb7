// Stored XSS: script-bearing text in every field a member or a customer can fill (through the
// JSON API, as any client could, and the portal's reply form), then every page that shows it,
// twice: as shipped (with the Content-Security-Policy) and with the CSP bypassed, so that the
// escaping alone is what keeps the payloads inert. On every page: nothing ran, no element was
// injected, and the payloads read as the text that was typed.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, VIEWPORTS, login, portalLink, startApp } from './lib/harness.mjs';

/** Each would set window.__xss if it reached the page as markup. */
const VECTORS = [
  '<script>window.__xss=1</script>',
  '"><img src=x onerror="window.__xss=1">',
  '</textarea><svg onload="window.__xss=1">',
  "'><a href=\"javascript:window.__xss=1\">click</a>",
];
const ALL = VECTORS.join(' ');

/** The text for field number `n`: a tag to find it by, then every vector that fits in `max`. */
function payload(n, max = 10_000) {
  const tag = `XSS${String(n).padStart(2, '0')}`;
  const full = `${tag} ${ALL}`;
  return full.length <= max ? full : `${tag} ${VECTORS[n % VECTORS.length]}`;
}

/** Elements and attributes that only an injected payload would put on a page. */
const INJECTED = 'img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"], script:not([src])';

describe('stored XSS', () => {
  let app;
  let admin;
  let csrf;
  /** The field texts by tag. */
  const written = new Map();
  /** What was made: ids and numbers to visit. */
  const made = {};
  let contactEmail;
  /** Tags of fields only the API shows. */
  const apiOnly = new Set();

  /** POSTs JSON as the admin's session; fails on anything but `status`. */
  async function post(path, data, status = 201) {
    const response = await admin.request.post(`/api/v1${path}`, { headers: { 'X-CSRF-Token': csrf }, data });
    assert.equal(response.status(), status, `POST ${path}: ${await response.text()}`);
    return response.json();
  }

  let n = 0;
  /** The next payload, remembered under its tag. */
  function text(max) {
    n += 1;
    const t = payload(n, max);
    written.set(t.slice(0, 5), t);
    return t;
  }

  before(async () => {
    app = await startApp({ demo: true });
    admin = await app.page('desktop');
    await login(admin, ADMIN.email, ADMIN.password);
    csrf = await admin.locator('input[name="csrf_token"]').first().inputValue();

    const account = await post('/accounts', { name: text(200) });
    made.account = account.id;
    contactEmail = `xss-${Date.now()}@customer.example`;
    const contact = await post('/contacts', {
      account: account.id,
      name: text(120),
      role_title: text(100),
      email: contactEmail,
    });
    const member = await post('/members', { name: text(120), email: `xss-${Date.now()}@team.example`, role: 'agent' });
    const vendor = await post('/vendors', { name: text(200) });
    const problem = await post('/problems', {
      title: text(200),
      description: text(),
      category: 'xss',
      origin: 'ours',
      severity: 'major',
      accounts: [account.id],
      stakeholders: [contact.id],
      owner: member.id,
    });
    made.problem = problem.number;
    made.problemId = problem.id;
    const at = `/problems/${problem.number}`;
    await post(`${at}/updates`, { body: text() });
    await post(`${at}/notes`, { body: text() });
    const due = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    await post('/promises', { what: text(500), contacts: [contact.id], problem: problem.number, due_at: due });
    await post(`${at}/vendor-promises`, { vendor: vendor.id, what: text(500), due_at: due });
    await post(`${at}/remedies`, { kind: 'credit', description: text(1000), cost: { minor: 1000, currency: 'EUR' } });
    await post(`${at}/preventions`, {
      root_cause: text(),
      cause_category: text(80),
      corrective_action: text(500),
      due_at: due,
    });
    await post('/failures', { level: 'pilot', what_happened: text(), lesson: text(), problem: problem.number });
    // No page shows a webhook's name (only the API does), so it is not looked for below.
    await post('/webhooks', { name: text(100), url: 'https://hooks.example/xss' });
    apiOnly.add(`XSS${String(n).padStart(2, '0')}`);
    await post('/tokens', { name: text(100) });
    // A javascript: URL is not an address a webhook may have.
    await post('/webhooks', { name: 'js', url: 'javascript:window.__xss=1' }, 422);
  });
  after(() => app?.close());

  /** Opens `path` in `page`, watching for script that runs or is refused. */
  async function visit(page, path) {
    const response = await page.goto(path);
    assert.equal(response.status(), 200, `${path}: ${response.status()}`);
    const state = await page.evaluate((injected) => ({
      xss: window.__xss,
      injected: [...document.querySelectorAll(injected)].map((e) => e.outerHTML.slice(0, 120)),
      violations: window.__violations,
      text: document.body.textContent,
    }), INJECTED);
    assert.equal(state.xss, undefined, `${path}: a payload ran`);
    assert.deepEqual(state.injected, [], `${path}: injected elements`);
    // A payload parsed as markup shows as a refused inline script or handler.
    assert.deepEqual(state.violations.filter((v) => v.startsWith('script')), [], `${path}: CSP refused a script`);
    return state.text;
  }

  /** A browser context that records CSP violations and dialogs; `bypassCSP` drops the policy. */
  async function context(bypassCSP) {
    const ctx = await app.browser.newContext({ baseURL: app.base, viewport: VIEWPORTS.desktop, bypassCSP });
    ctx.setDefaultTimeout(10_000);
    await ctx.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
      });
    });
    const page = await ctx.newPage();
    page.on('dialog', (d) => {
      page.__dialogs = (page.__dialogs || 0) + 1;
      d.dismiss();
    });
    return page;
  }

  /** Asserts `text` shows each tag's payload as it was written. */
  function assertShown(path, text, tags) {
    for (const tag of tags) {
      const t = written.get(tag);
      assert.ok(t, `no field ${tag}`);
      assert.ok(text.includes(t), `${path}: ${tag} is not shown as the text written: ${JSON.stringify(t)}`);
    }
  }

  for (const bypassCSP of [false, true]) {
    it(`the team's pages keep every payload inert (${bypassCSP ? 'CSP bypassed' : 'as shipped'})`, async () => {
      const page = await context(bypassCSP);
      await login(page, ADMIN.email, ADMIN.password);
      // Tags in the order the fields were filled above.
      const pages = [
        [`/problems/${made.problem}`, ['XSS06', 'XSS08', 'XSS10']],
        ['/problems', ['XSS06']],
        ['/problems?q=XSS06', ['XSS06']],
        [`/accounts/${made.account}`, ['XSS01', 'XSS02']],
        ['/accounts', ['XSS01']],
        ['/promises', ['XSS10']],
        ['/', []],
        ['/reports', []],
        ['/failures', ['XSS16', 'XSS17']],
        ['/settings', []],
        ['/settings/members', ['XSS04']],
        ['/settings/tokens', []],
        ['/settings/deliveries', []],
        ['/settings/inbox', []],
        ['/me', []],
      ];
      for (const [path, tags] of pages) {
        const shown = await visit(page, path);
        assertShown(path, shown, tags);
      }
      // Every tag shows somewhere among these pages, as its text.
      const everywhere = [];
      for (const [path] of pages) everywhere.push(await visit(page, path));
      const all = everywhere.join('\n');
      const missing = [...written.keys()].filter((tag) => !apiOnly.has(tag) && !all.includes(written.get(tag)));
      assert.deepEqual(missing, [], `fields not shown as written on any page: ${missing.join(', ')}`);
      assert.equal(page.__dialogs, undefined, 'a dialog opened');
      await page.context().close();
    });
  }

  it('the portal keeps payloads inert, including a reply typed there', async () => {
    const link = await portalLink(app.server, contactEmail, ['--problem', made.problem]);
    for (const bypassCSP of [false, true]) {
      const page = await context(bypassCSP);
      await page.goto(link.replace(app.base, ''));
      if (!bypassCSP) {
        await Promise.all([
          page.waitForURL((url) => url.pathname.startsWith('/portal') && !url.pathname.includes('/link/')),
          page.getByRole('button', { name: 'Continue' }).click(),
        ]);
        const reply = payload(99);
        written.set('XSS99', reply);
        await page.goto(`/portal/problems/${made.problemId}`);
        await page.getByLabel('Your message to the team').fill(reply);
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send reply' }).click()]);
      } else {
        // The link was used above; the bypassed context shares nothing, so sign in again.
        const again = await portalLink(app.server, contactEmail, ['--problem', made.problem]);
        await page.goto(again.replace(app.base, ''));
        await Promise.all([
          page.waitForURL((url) => url.pathname.startsWith('/portal') && !url.pathname.includes('/link/')),
          page.getByRole('button', { name: 'Continue' }).click(),
        ]);
      }
      const list = await visit(page, '/portal');
      assertShown('/portal', list, ['XSS06']);
      const shown = await visit(page, `/portal/problems/${made.problemId}`);
      assertShown('portal problem', shown, ['XSS06', 'XSS08', 'XSS99']);
      assert.ok(!shown.includes(written.get('XSS09')), 'a note reached the portal');
      assert.equal(page.__dialogs, undefined, 'a dialog opened');
      await page.context().close();
    }
    // The reply, on the team's side.
    const team = await context(true);
    await login(team, ADMIN.email, ADMIN.password);
    assertShown('problem with the reply', await visit(team, `/problems/${made.problem}`), ['XSS99']);
    await team.context().close();
  });
});
