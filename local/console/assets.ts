/**
 * What the console page is made of: the static files beside web/index.html, uPlot's
 * stylesheet (`/uplot.css`), and three scripts that esbuild bundles on their first request
 * and keeps in memory: the client SDK's browser bundle (`/roomcast.js`, from
 * `@roomcast/client/sdk`), the charting library (`/uplot.js`, from `uplot`), and the page's
 * own script (`/console.js`, from web/console/main.ts), which loads both from the server as
 * any app would and stays readable (not minified).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const SDK_PATH = '/roomcast.js';
export const PAGE_SCRIPT_PATH = '/console.js';
export const CHARTS_PATH = '/uplot.js';
export const CHARTS_CSS_PATH = '/uplot.css';

/** The SDK's package entry, resolved by esbuild for the browser (client/sdk/index.ts). */
const SDK_ENTRY = '@roomcast/client/sdk';
/** The charting library's package (a dependency of this package), and its stylesheet. */
const CHARTS_ENTRY = 'uplot';
const CHARTS_CSS = createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css');
/** The page's imports of these packages load the bundles served at these paths. */
const SERVED_MODULES: Record<string, string> = { [SDK_ENTRY]: SDK_PATH, [CHARTS_ENTRY]: CHARTS_PATH };
const HERE = path.dirname(fileURLToPath(import.meta.url));
const STATIC_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const SCRIPT_TYPE = 'text/javascript; charset=utf-8';

export interface Asset {
  type: string;
  body: Buffer;
}

export interface ConsoleAssets {
  /** Whether an asset is served at a URL path. */
  has(urlPath: string): boolean;
  /** The asset served at a URL path; undefined when there is none. A bundle that fails to build rejects. */
  get(urlPath: string): Promise<Asset | undefined>;
}

/** `page`: web/index.html; the other files are found beside it. */
export function consoleAssets(page: string): ConsoleAssets {
  const web = path.dirname(page);
  const files: Record<string, string> = { '/': page, '/index.html': page, '/console.css': path.join(web, 'console.css'), [CHARTS_CSS_PATH]: CHARTS_CSS };
  const bundles: Record<string, () => Promise<Buffer>> = {
    [SDK_PATH]: () => bundle(SDK_ENTRY, { minify: true }),
    [CHARTS_PATH]: () => bundle(CHARTS_ENTRY, { minify: true }),
    [PAGE_SCRIPT_PATH]: () => bundle(path.join(web, 'console', 'main.ts'), { minify: false, plugins: [modulesFromServer] }),
  };
  const built = new Map<string, Promise<Buffer>>();
  return {
    has: (urlPath) => Object.hasOwn(files, urlPath) || Object.hasOwn(bundles, urlPath),
    async get(urlPath) {
      const file = Object.hasOwn(files, urlPath) ? files[urlPath] : undefined;
      if (file) return { type: STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
      const make = Object.hasOwn(bundles, urlPath) ? bundles[urlPath] : undefined;
      if (!make) return undefined;
      let body = built.get(urlPath);
      if (!body) {
        body = make();
        built.set(urlPath, body);
        // A failed build is not kept: the next request tries again (after a fix).
        body.catch(() => built.delete(urlPath));
      }
      return { type: SCRIPT_TYPE, body: await body };
    },
  };
}

async function bundle(entry: string, options: { minify: boolean; plugins?: Plugin[] }): Promise<Buffer> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: options.minify,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: options.plugins ?? [],
    absWorkingDir: HERE,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild wrote nothing for ${entry}`);
  return Buffer.from(output.contents);
}

/** The page's imports of the SDK and of uPlot become imports of their served bundles. */
const modulesFromServer: Plugin = {
  name: 'roomcast-modules-from-server',
  setup(build) {
    build.onResolve({ filter: /^(@roomcast\/client\/sdk|uplot)$/ }, (args) => ({ path: SERVED_MODULES[args.path]!, external: true }));
  },
};
