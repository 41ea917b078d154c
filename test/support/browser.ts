import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, which CI installs (.ci/run); Playwright never downloads a browser here. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => existsSync(file));

/** Why browser tests skip where there is no chromium. */
export const NO_CHROMIUM = 'skipped: no /usr/bin/chromium; apt-get install chromium';

/** Headless, and quiet on this machine's closed network. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

export interface HeadlessChromium {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Chromium with a fresh profile of its own, and its first page. */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<HeadlessChromium> {
  if (!CHROMIUM) throw new Error(`no chromium (${NO_CHROMIUM})`);
  const profile = await mkdtemp(path.join(tmpdir(), 'roomcast-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, ...(options.viewport ? { viewport: options.viewport } : {}) });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
