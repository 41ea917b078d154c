/**
 * The console server's local publish endpoint, and the console page in headless Chromium
 * (Debian's, driven by playwright-core): the page connects with the dev token, joins a
 * room, shows a message published by `roomcast publish` with its position and latency,
 * publishes from its own form, counts a reconnect, shows a refused room in its alert
 * region, shows nothing more of a room it left, and draws the deliveries of those messages
 * in its pipeline charts (checked by screenshot, as in console-charts.test.ts). The last
 * screen is kept as test/artifacts/console.png (and console-360.png, at 360 px wide).
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudForFile, PATIENCE_MS, published } from './support.js';
import { faint, untilDrawn } from './chart-pixels.js';
import { LATENCY_STYLES, RATE_STYLES } from '../../web/console/pipeline-palette.js';
import { CHROMIUM, launchChromium, NO_CHROMIUM, type HeadlessChromium } from '../support/browser.js';
import { POSITION } from '../support/positions.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const artifacts = path.join(root, 'test/artifacts');
const run = promisify(execFile);

const title = CHROMIUM ? 'the console page in headless Chromium' : `the console page (${NO_CHROMIUM})`;

const cloud = cloudForFile();

describe('POST /_roomcast/publish (the page publishes through it)', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${cloud().info.controlUrl}/publish`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('publishes with the local credentials: 202 {room, id, pos}, the same answer for the same id', async () => {
    const first = await post(JSON.stringify({ room: 'console:api', data: { n: 1 }, id: 'api-1' }));
    expect(first.status).toBe(202);
    const answer = await first.json();
    expect(answer).toEqual({ room: 'console:api', id: 'api-1', pos: expect.stringMatching(POSITION) });
    expect(await (await post(JSON.stringify({ room: 'console:api', data: { n: 1 }, id: 'api-1' }))).json()).toEqual(answer);
  });

  it("answers refusals with the protocol's codes", async () => {
    const refused = async (body: string) => {
      const response = await post(body);
      return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
    };
    expect(await refused('{not json')).toEqual({ status: 400, code: 'INVALID_JSON' });
    expect(await refused(JSON.stringify({ room: 'console:api' }))).toEqual({ status: 400, code: 'INVALID_MESSAGE' });
    expect(await refused(JSON.stringify({ room: 'not a room', data: 1 }))).toEqual({ status: 400, code: 'INVALID_ROOM' });
  });

  it('refuses requests from pages of other origins, and other methods', async () => {
    const crossSite = await post(JSON.stringify({ room: 'console:api', data: 1 }), { origin: 'https://elsewhere.example' });
    expect(crossSite.status).toBe(403);
    expect((await fetch(`${cloud().info.controlUrl}/publish`)).status).toBe(405);
  });
});

describe.skipIf(!CHROMIUM)(title, () => {
  let browser: HeadlessChromium | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    ({ page } = browser);
    page.setDefaultTimeout(PATIENCE_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const room = (name: string) => page.locator(`.room[data-room="${name}"]`);
  const shown = (name: string) => room(name).locator('li[data-pos]');

  async function join(name: string): Promise<void> {
    await page.locator('#join-room').fill(name);
    await page.locator('#join-room').press('Enter');
    await room(name).waitFor();
  }

  it('connects with the dev token and says so', async () => {
    await page.goto(cloud().info.consoleUrl);
    await page.locator('#state[data-state="open"]').waitFor();
    expect(await page.locator('#token').inputValue()).toBe(cloud().info.token);
    expect(await page.locator('#ws-url').inputValue()).toBe(cloud().info.wsUrl);
    expect(await page.locator('#reconnects').textContent()).toBe('0');
    // Every field has a label, every button has text, errors have an alert region.
    const unlabeled = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')).filter((field) => !field.labels?.length).map((field) => field.id),
    );
    expect(unlabeled).toEqual([]);
    const blankButtons = await page.evaluate(() => Array.from(document.querySelectorAll('button')).filter((button) => !button.textContent?.trim()).length);
    expect(blankButtons).toBe(0);
    expect(await page.locator('[role="alert"]').count()).toBe(1);
  });

  it('joins a room and shows a message published from the CLI, with its pos and latency', async () => {
    await join('console:1');
    expect(await room('console:1').locator('.messages').getAttribute('aria-live')).toBe('polite');
    // The CLI finds the local cloud's console at its first port + 2.
    const consolePort = Number(new URL(cloud().info.consoleUrl).port);
    const { stdout } = await run(
      process.execPath,
      ['bin/roomcast.mjs', 'publish', 'console:1', '{"hello":"console"}', '--local-port', String(consolePort - 2)],
      { cwd: root, timeout: PATIENCE_MS },
    );
    const sent = JSON.parse(stdout) as { room: string; id: string; pos: string };
    expect(sent).toMatchObject({ room: 'console:1', pos: expect.stringMatching(POSITION) });
    // The join may still be in flight: a message published meanwhile that the snapshot (the
    // function's cached window of the room) does not hold is fetched once the next one shows
    // the gap.
    await published(cloud(), 'console:1', { next: true });
    const item = shown('console:1').and(page.locator(`[data-pos="${sent.pos}"]`));
    await item.waitFor();
    expect(await item.locator('.pos').textContent()).toBe(`pos ${sent.pos}`);
    expect(await item.locator('.latency').textContent()).toMatch(/^\d+ ms$/);
    expect(await item.locator('.data').textContent()).toBe('{"hello":"console"}');
  }, 45_000);

  it('publishes from its own form and shows the message arrive', async () => {
    expect(await page.locator('#publish-room').inputValue()).toBe('console:1');
    await page.locator('#publish-data').fill('{"from":"the page"}');
    await page.locator('#publish-id').fill('page-1');
    await page.getByRole('button', { name: 'Publish' }).click();
    const result = page.locator('#publish-result');
    await result.filter({ hasText: /pos \d+/ }).waitFor();
    const pos = /pos (\S+),/.exec((await result.textContent()) ?? '')?.[1];
    expect(pos).toMatch(POSITION);
    expect(await result.textContent()).toBe(`Published to console:1: pos ${pos}, id page-1`);
    const item = shown('console:1').and(page.locator(`[data-id="page-1"]`));
    await item.waitFor();
    expect(await item.getAttribute('data-pos')).toBe(pos);
    expect(await item.locator('.data').textContent()).toBe('{"from":"the page"}');
  });

  it('counts a reconnect when the gateway drops the socket, and keeps receiving', async () => {
    const dropped = await fetch(`${cloud().info.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ dropSockets: true }) });
    expect(dropped.status).toBe(200);
    await page.locator('#reconnects', { hasText: /^1$/ }).waitFor();
    await page.locator('#state[data-state="open"]').waitFor();
    // Published while the page may still be subscribing again: a message that was neither in
    // the resumed subscribe nor delivered live is fetched once the next one shows the gap.
    const first = await published(cloud(), 'console:1', { after: 'reconnect' });
    const second = await published(cloud(), 'console:1', { after: 'reconnect', again: true });
    for (const { pos } of [first, second]) await shown('console:1').and(page.locator(`[data-pos="${pos}"]`)).waitFor();
  });

  it('shows a refused room in the alert region with its protocol code', async () => {
    await join('not a room');
    await page.locator('#errors li', { hasText: 'INVALID_ROOM' }).waitFor();
    await room('not a room').locator('.room-status', { hasText: 'refused: INVALID_ROOM' }).waitFor();
    await room('not a room').getByRole('button', { name: 'Remove not a room' }).click();
    expect(await room('not a room').count()).toBe(0);
  });

  it('shows nothing more of a room it left', async () => {
    await room('console:1').getByRole('button', { name: 'Leave console:1' }).click();
    await room('console:1').and(page.locator('[data-joined="false"]')).waitFor();
    const before = await shown('console:1').count();
    await join('console:2');
    const left = await published(cloud(), 'console:1', { after: 'leave' });
    // console:2 is still joined: once its message is on the page, console:1's would be too.
    const { pos } = await published(cloud(), 'console:2', { still: 'joined' });
    await shown('console:2').and(page.locator(`[data-pos="${pos}"]`)).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await shown('console:1').count()).toBe(before);
    expect(await page.locator(`.room[data-room="console:1"] [data-pos="${left.pos}"]`).count()).toBe(0);
  });

  it('charts the deliveries of the messages above: their rate, and their latency', async () => {
    // One subscriber (this page): Published, FanoutPlanned and Delivered rise alike, and
    // Delivered is drawn over the other two; with few latencies, p99 is drawn over p50.
    expect(faint(await untilDrawn(page, 'rates', [RATE_STYLES.Delivered], PATIENCE_MS))).toEqual([]);
    expect(faint(await untilDrawn(page, 'latency', [LATENCY_STYLES[1]!], PATIENCE_MS))).toEqual([]);
  });

  it('fits 360 px wide, and keeps screenshots', async () => {
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'console.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(artifacts, 'console-360.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
