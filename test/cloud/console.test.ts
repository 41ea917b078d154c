import { afterEach, describe, expect, it } from 'vitest';
import type { FaultTargets } from '../../local/cloud/faults.js';
import type { CloudInfo } from '../../local/cloud/options.js';
import { startConsole, type ConsoleServer } from '../../local/console/index.js';
import type { FaultSettings } from '../../local/gateway/index.js';

const PAGE = new URL('../../web/index.html', import.meta.url).pathname;
const opened: ConsoleServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

function faultTargets(): FaultTargets {
  let current: Omit<FaultSettings, 'dropSockets'> = {};
  return {
    gateway: { set: (settings) => void (current = { ...current, ...settings }), clear: () => void (current = {}), current: () => current },
    functions: { failNext: () => undefined, clear: () => undefined },
    functionId: () => undefined,
  };
}

async function start(state: ReturnType<Parameters<typeof startConsole>[0]['state']>): Promise<string> {
  const server = await startConsole({ host: '127.0.0.1', port: 0, page: PAGE, state: () => state, log: () => undefined });
  opened.push(server);
  return server.url;
}

describe('the console server', () => {
  it('serves the page, and 503 on the API until the cloud is ready', async () => {
    const url = await start(undefined);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<html lang="en">');
    expect((await fetch(`${url}/_roomcast/info`)).status).toBe(503);
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });

  it('serves the charting library and its stylesheet, which the page loads from the server', async () => {
    const url = await start(undefined);
    const library = await fetch(`${url}/uplot.js`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await library.text()).toMatch(/export\s*\{[^}]*\bas default\b/);
    const styles = await fetch(`${url}/uplot.css`);
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await styles.text()).toContain('.u-legend');
    // The page's own script imports it from there rather than holding a copy.
    const script = await (await fetch(`${url}/console.js`)).text();
    expect(script).toMatch(/from "\/uplot\.js"/);
    expect(script).not.toContain('uPlot.assign');
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('<link rel="stylesheet" href="/uplot.css">');
  });

  it('answers the info and the faults', async () => {
    const info = { stackName: 'roomcast', token: 't' } as CloudInfo;
    const url = await start({ info, faults: faultTargets() });
    expect(await (await fetch(`${url}/_roomcast/info`)).json()).toEqual(info);
    const post = await fetch(`${url}/_roomcast/faults`, { method: 'POST', body: JSON.stringify({ postDelayMs: 30 }) });
    expect(await post.json()).toEqual({ postDelayMs: 30 });
    expect((await fetch(`${url}/_roomcast/faults`, { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await fetch(`${url}/_roomcast/faults`, { method: 'PUT' })).status).toBe(405);
    expect(await (await fetch(`${url}/_roomcast/faults`, { method: 'DELETE' })).json()).toEqual({});
  });
});
