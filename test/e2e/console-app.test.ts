/**
 * The console of an application that is not roomcast (the chat of test/fixtures/apps/), in
 * headless Chromium: it describes that application (its WebSocket API and routes, its
 * table, its outputs), hides the panels that speak roomcast's protocol, does not connect
 * and does not read roomcast's metrics.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, NO_CHROMIUM } from '../support/browser.js';
import { appCloud } from './apps.js';
import { PATIENCE_MS } from './support.js';

const title = CHROMIUM ? "the console of another application, in headless Chromium" : `the console of another application (${NO_CHROMIUM})`;

describe.skipIf(!CHROMIUM)(title, () => {
  const table = `console_${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8)}_connections`;
  const cloud = appCloud('chat-raw', { TableName: table });

  it('describes the application, hides the roomcast panels and does not connect', async () => {
    const browser = await launchChromium();
    try {
      await check(browser.page);
    } finally {
      await browser.close();
    }
  });

  async function check(page: Page): Promise<void> {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const metricsReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/_roomcast/metrics')) metricsReads.push(request.url());
    });
    page.setDefaultTimeout(PATIENCE_MS);
    await page.goto(cloud().info.consoleUrl);
    await page.locator('#not-roomcast').waitFor();
    const described = await page.locator('#application').innerText();
    expect(described).toContain('WebSocket API SimpleChatWebSocket');
    expect(described).toContain('routes: $connect $disconnect sendmessage $default');
    expect(described).toContain(table);
    expect(described).toContain(`Output WebSocketURI\n${cloud().info.wsUrl}`);
    for (const hidden of ['#connect-form', '#join-form', '#publish-form', '#pipeline']) expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    expect(await page.locator('#state').getAttribute('data-state')).toBe('closed');
    expect(cloud().servers.gateway!.gateway.connections()).toEqual([]);
    expect(await page.locator('#errors li').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    // The pipeline panel reads roomcast's metrics every second: not for this application.
    await page.reload();
    await page.locator('#not-roomcast').waitFor();
    await page.locator('#application dt').first().waitFor();
    expect(metricsReads).toEqual([]);
  }
});
