// The browser-test harness: the real makegood binary on a random loopback port with a fresh
// SQLite database, Debian's chromium driven by playwright-core, and axe-core for accessibility.
//
// It builds nothing: the binary comes from MAKEGOOD_BIN (default target/debug/makegood under
// the repository root); tests/e2e/run builds it when MAKEGOOD_BIN is unset.

import { spawn, execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The repository root. */
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
/** The binary under test. */
export const BIN = process.env.MAKEGOOD_BIN || path.join(REPO_ROOT, 'target', 'debug', 'makegood');
/** Debian's chromium; never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Where screenshots go (gitignored). */
export const SCREENSHOTS = path.join(here, '..', 'screenshots');

/** The password `makegood demo` gives every demo member in these tests. */
export const DEMO_PASSWORD = 'e2e-demo-password';
/** The demo's admin and its read-only viewer (crates/makegood/src/demo). */
export const ADMIN = { email: 'alex@northwind.example', name: 'Alex Morgan', password: DEMO_PASSWORD };
export const VIEWER = { email: 'robin@northwind.example', password: DEMO_PASSWORD };

/** Viewport presets: a laptop and a phone. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

/** How long any single wait may take before a test fails, in milliseconds. */
const WAIT_MS = 10_000;

const run = promisify(execFile);

/**
 * Starts makegood on 127.0.0.1:0 over a fresh database in a new temp dir.
 * With `demo: true` the database is first filled by `makegood demo`; without it the
 * database is empty and `setupLink` holds the one-time link `serve` prints.
 */
export async function startServer({ demo = true } = {}) {
  await access(BIN, constants.X_OK).catch(() => {
    throw new Error(`no makegood binary at ${BIN}: set MAKEGOOD_BIN or run \`cargo build -p makegood\``);
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'makegood-e2e-'));
  const databaseUrl = `sqlite://${path.join(dir, 'makegood.db')}`;
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' };
  delete env.MAKEGOOD_DATABASE_URL;
  if (demo) {
    try {
      await run(BIN, ['--database-url', databaseUrl, 'demo', '--password', DEMO_PASSWORD], { env });
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }
  const child = spawn(BIN, ['--database-url', databaseUrl, 'serve', '--listen', '127.0.0.1:0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Resolves with the first stdout line matching `re`, or fails if the server exits first.
  const seen = [];
  const waiters = [];
  lines.on('line', (line) => {
    seen.push(line);
    for (const w of [...waiters]) {
      const m = line.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const waitForLine = (re) => {
    for (const line of seen) {
      const m = line.match(re);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const w = { re, resolve };
      waiters.push(w);
      const timer = setTimeout(() => reject(new Error(`makegood printed no line matching ${re}:\n${seen.join('\n')}\n${stderr}`)), WAIT_MS);
      timer.unref();
      exited.then((code) => reject(new Error(`makegood serve exited (${code}) before printing ${re}:\n${stderr}`)));
    });
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  // A test runner that dies must not leave a server behind.
  process.once('exit', () => child.kill('SIGKILL'));
  try {
    const [, base] = await waitForLine(/^makegood listening on (http:\/\/\S+)$/);
    const setupLink = demo ? null : (await waitForLine(/^\s+(http:\/\/\S+\/setup\?token=\S+)$/))[1];
    return { base, setupLink, databaseUrl, stop, stderr: () => stderr };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Launches Debian's chromium headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * One server and one browser for a test file: call in `before`, and `close()` in `after`.
 * `page(viewport)` opens a page in a new browser context (its own cookies) at that preset.
 */
export async function startApp({ demo = true } = {}) {
  const server = await startServer({ demo });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  const page = async (viewport = 'desktop') => {
    const size = VIEWPORTS[viewport];
    if (!size) throw new Error(`no viewport preset ${viewport}`);
    const context = await browser.newContext({ baseURL: server.base, viewport: size });
    context.setDefaultTimeout(WAIT_MS);
    return context.newPage();
  };
  const close = async () => {
    await browser.close();
    await server.stop();
  };
  return { server, browser, base: server.base, setupLink: server.setupLink, page, close };
}

/** Signs in through the login form and waits for the home page. */
export async function login(page, email, password) {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) {
    await page.goto('/login');
  }
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** Saves a full-page screenshot as tests/e2e/screenshots/NAME.png. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

let axeSource;

/**
 * Runs axe-core on the page and fails on any violation of serious or critical impact.
 * `allow` lists rule ids that are known and accepted on this page; each use must say why
 * where it is passed. Returns every violation found (of any impact) for further checks.
 */
export async function checkA11y(page, { allow = [] } = {}) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so a Content-Security-Policy cannot block it.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
      })),
    ),
  );
  const failing = violations.filter(
    (v) => (v.impact === 'serious' || v.impact === 'critical') && !allow.includes(v.id),
  );
  if (failing.length > 0) {
    const report = failing
      .map((v) =>
        [`- ${v.id} (${v.impact}): ${v.help}`, `  ${v.helpUrl}`]
          .concat(v.nodes.map((n) => `  at ${n.target}: ${n.html}\n    ${(n.summary || '').replace(/\n/g, '\n    ')}`))
          .join('\n'),
      )
      .join('\n');
    throw new Error(`accessibility violations on ${page.url()}:\n${report}`);
  }
  return violations;
}

/** Looks at the page the way a person would: an accessibility check and a screenshot. */
export async function inspect(page, name, options) {
  await screenshot(page, name);
  return checkA11y(page, options);
}

/**
 * A single-use customer-portal sign-in link for the contact with `email`, made by
 * `makegood portal-link` on the server's own database and under the server's base URL.
 * `extra` are more arguments, e.g. `['--problem', 'MG-3']`.
 */
export async function portalLink(server, email, extra = []) {
  const env = { ...process.env, RUST_LOG: 'warn' };
  delete env.MAKEGOOD_DATABASE_URL;
  delete env.MAKEGOOD_PUBLIC_URL;
  const { stdout } = await run(
    BIN,
    ['--database-url', server.databaseUrl, 'portal-link', email, '--public-url', server.base, ...extra],
    { env },
  );
  const link = stdout.trim();
  if (!link.startsWith(`${server.base}/portal/link/`)) {
    throw new Error(`makegood portal-link printed ${JSON.stringify(link)}, not a link under ${server.base}`);
  }
  return link;
}

/**
 * Delivers one RFC 5322 message to the server's database as an MTA pipe would:
 * `makegood mail ingest` with the message on stdin. Resolves with its stdout.
 */
export function ingestMail(server, raw) {
  const env = { ...process.env, RUST_LOG: 'warn' };
  delete env.MAKEGOOD_DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = execFile(
      BIN,
      ['--database-url', server.databaseUrl, 'mail', 'ingest'],
      { env },
      (error, stdout, stderr) => (error ? reject(new Error(`mail ingest failed: ${stderr || error}`)) : resolve(stdout)),
    );
    child.stdin.end(raw);
  });
}
