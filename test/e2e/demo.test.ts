/**
 * The demo checkout in a real headless Chromium against a gateway in sandbox mode (as `npm start`
 * runs it): a buyer picks a provider, pays on the provider sandbox's own page, comes back and the
 * "waiting for payment" screen turns to Paid through `orderStatusChanged` — for an Intergiro
 * payment link and a Pei checkout — and to Cancelled when the buyer cancels at Dintero. An
 * Intergiro card passes 3-D Secure on the demo page itself (the ACS page in a frame) and turns
 * to Paid, or to Payment failed when the buyer rejects the challenge.
 *
 * Chromium comes from Debian (`.ci/run` installs it); CHROMIUM_PATH overrides /usr/bin/chromium.
 * Without it the test fails when CI is set and is skipped (with a message) otherwise.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { GET_ORDER } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && !process.env['CI']) {
  console.warn(`test/e2e/demo.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

/** The machine has no internet: nothing in the background may try to reach it. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.runIf(HAVE_CHROMIUM || process.env['CI'])('demo checkout in headless Chromium', () => {
  let gateway: Gateway;
  /** The same with PERSISTED_OPERATIONS=require: the page must send hashes only. */
  let trusted: Gateway;
  let browser: BrowserContext;
  let profile: string;
  /** The demo page's console errors and uncaught exceptions (a CSP violation shows up here). */
  const problems: string[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
    // `npm start`'s configuration (sandbox mode, every provider simulated), on a free port; a
    // short reconciliation interval so a Pei cancel (which Pei never reports) shows quickly.
    gateway = await startGateway(loadConfig({ PORT: '0', RECONCILE_INTERVAL_MS: '200' }), { logger: silentLogger, shutdownGraceMs: 200 });
    trusted = await startGateway(loadConfig({ PORT: '0', PERSISTED_OPERATIONS: 'require' }), { logger: silentLogger, shutdownGraceMs: 200 });
    profile = mkdtempSync(join(tmpdir(), 'demo-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([gateway?.close(), trusted?.close()]);
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function demoPage(on: Gateway = gateway): Promise<Page> {
    const page = await browser.newPage();
    // Only on the gateway's origin: the provider sandboxes' pages are not the demo's.
    const ours = (): boolean => new URL(page.url()).origin === new URL(on.url).origin;
    page.on('console', (message) => {
      if (message.type() === 'error' && ours()) problems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      if (ours()) problems.push(`${page.url()}: ${error.message}`);
    });
    await page.goto(`${on.url}/demo`);
    return page;
  }

  /** Picks a provider, presses Pay, and waits to land on the provider sandbox's page. */
  async function payWith(page: Page, provider: RegExp): Promise<string> {
    const demoOrigin = new URL(page.url()).origin;
    await page.getByLabel(provider).check();
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL((url) => url.origin !== demoOrigin);
    return page.url();
  }

  /** The waiting screen's headline once it reads `title`. */
  async function statusTitle(page: Page, title: string): Promise<string> {
    await page.waitForURL((url) => url.pathname === '/demo');
    await page.waitForFunction((expected) => document.getElementById('status-title')?.textContent === expected, title, { timeout: 10_000 });
    return (await page.locator('#status-title').textContent()) ?? '';
  }

  it('Intergiro payment link: pay on the link page -> back on /demo, the screen turns to Paid', async () => {
    const page = await demoPage();
    const link = await payWith(page, /Intergiro payment link/);
    expect(link).toContain('/link/');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    expect(await statusTitle(page, 'Paid')).toBe('Paid');
    expect(await page.locator('#order-status').textContent()).toBe('AUTHORIZED');
    // A reload resumes after the last event seen and still shows the outcome.
    await page.reload();
    expect(await statusTitle(page, 'Paid')).toBe('Paid');
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.close();
  });

  it('Pei: the waiting screen survives a reload (resuming with `after`), then Confirm turns it to Paid', async () => {
    const page = await demoPage();
    const checkout = await payWith(page, /Pei/);
    // The buyer comes back before paying: the page is waiting, and keeps waiting after a reload.
    await page.goto(`${gateway.url}/demo`);
    expect(await statusTitle(page, 'Waiting for payment')).toBe('Waiting for payment');
    await page.waitForFunction(() => JSON.parse(sessionStorage.getItem('demo.order') ?? '{}').lastEventId !== undefined);
    await page.reload();
    expect(await statusTitle(page, 'Waiting for payment')).toBe('Waiting for payment');
    await page.goto(checkout);
    await page.getByRole('button', { name: 'Confirm' }).click();
    expect(await statusTitle(page, 'Paid')).toBe('Paid');
    expect(await page.locator('#order-status').textContent()).toBe('CAPTURED');
    await page.close();
  });

  /** Pays with the 3-D Secure test card: the challenge frame appears on the demo page itself. */
  async function payByCard(page: Page): Promise<FrameLocator> {
    await page.getByLabel(/Intergiro card with 3-D Secure/).check();
    await page.getByRole('button', { name: 'Pay' }).click();
    const challenge = page.frameLocator('#three-ds iframe');
    await challenge.getByRole('heading', { name: '3-D Secure challenge' }).waitFor({ timeout: 10_000 });
    return challenge;
  }

  it('Intergiro card: the hidden method step, then the challenge in a frame on /demo -> Authenticate -> Paid', async () => {
    const page = await demoPage();
    const challenge = await payByCard(page);
    // The buyer never left the page: the waiting screen is up, the bank's page is framed in it.
    expect(new URL(page.url()).pathname).toBe('/demo');
    expect(await statusTitle(page, 'Waiting for payment')).toBe('Waiting for payment');
    expect(await page.locator('#status-detail').textContent()).toContain('3-D Secure');
    // The method step ran first (hidden) and was resubmitted: only the challenge is left.
    expect(await page.locator('#three-ds iframe').count()).toBe(1);
    await challenge.getByRole('button', { name: 'Authenticate' }).click();
    expect(await statusTitle(page, 'Paid')).toBe('Paid');
    expect(await page.locator('#order-status').textContent()).toBe('AUTHORIZED');
    expect(await page.locator('#three-ds').isHidden()).toBe(true);
    // The provider agrees: the sandbox order passed both steps and is authorized.
    const id = (await page.evaluate(() => JSON.parse(sessionStorage.getItem('demo.order') ?? '{}').id)) as string;
    const { order } = await gqlOk(gateway.url, GET_ORDER, { id }, gateway.devToken);
    expect(order).toMatchObject({ provider: 'INTERGIRO', status: 'AUTHORIZED' });
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.close();
  });

  it('Intergiro card: a reload mid-challenge brings the challenge back; Reject -> Payment failed', async () => {
    const page = await demoPage();
    await payByCard(page);
    await page.reload();
    const challenge = page.frameLocator('#three-ds iframe');
    await challenge.getByRole('button', { name: 'Reject' }).click();
    expect(await statusTitle(page, 'Payment failed')).toBe('Payment failed');
    expect(await page.locator('#order-status').textContent()).toBe('FAILED');
    // "New order" offers the checkout again, ready to pay.
    await page.getByRole('button', { name: 'New order' }).click();
    expect(await page.getByRole('button', { name: 'Pay' }).isEnabled()).toBe(true);
    await page.close();
  });

  it('Dintero: the buyer cancels on the checkout page -> the screen turns to Cancelled', async () => {
    const page = await demoPage();
    await payWith(page, /Dintero/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await statusTitle(page, 'Cancelled')).toBe('Cancelled');
    // "New order" starts over with the provider choice.
    await page.getByRole('button', { name: 'New order' }).click();
    expect(await page.getByRole('button', { name: 'Pay' }).isVisible()).toBe(true);
    await page.close();
  });

  it('with only persisted documents allowed, the page pays by hash: Dintero -> Paid', async () => {
    const page = await demoPage(trusted);
    expect(await page.locator('#demo').getAttribute('data-persisted')).toBe('require');
    await payWith(page, /Dintero/);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    expect(await statusTitle(page, 'Paid')).toBe('Paid');
    await page.close();
  });

  it('with only persisted documents allowed, the card path continues by hash too: 3-D Secure -> Paid', async () => {
    const page = await demoPage(trusted);
    const challenge = await payByCard(page);
    await challenge.getByRole('button', { name: 'Authenticate' }).click();
    expect(await statusTitle(page, 'Paid')).toBe('Paid');
    await page.close();
  });

  it('logged no console error and no uncaught exception on the demo page', () => {
    expect(problems).toEqual([]);
  });
});
