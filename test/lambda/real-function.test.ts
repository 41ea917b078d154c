import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaRuntime, RUNTIME_LOG_ID, type FunctionSpec, type LambdaRuntime } from '../../local/lambda/index.js';
import { captureLogs, REPO_ROOT, type LoggedLine } from './helpers.js';

const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
const names = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const logicalId = (name: string): string => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}Function`;

let runtime: LambdaRuntime;
let lines: LoggedLine[];
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'roomcast-real-fn-test-'));
  const logs = captureLogs();
  lines = logs.lines;
  const specs = names.map((name): FunctionSpec => ({
    id: logicalId(name),
    entry: join(FUNCTIONS_DIR, name, 'index.ts'),
    handler: 'handler',
    // The ping handler needs nothing but AWS_REGION (from baseEnv).
    environment: {},
    timeoutSeconds: 10,
    memoryMb: 512,
  }));
  runtime = await createLambdaRuntime(specs, { baseEnv: { AWS_REGION: 'eu-west-1' }, log: logs.log, outDir });
}, 30_000);

afterAll(async () => {
  await runtime.close();
  await rm(outDir, { recursive: true, force: true });
});

describe('the real functions', () => {
  it('bundle with the shared core compiled in and installed packages loaded from node_modules', async () => {
    const built = lines.find((l) => l.fn === RUNTIME_LOG_ID && l.line.startsWith('built '))?.line ?? '';
    expect(built).toMatch(/^built \d+ functions in \d+ ms$/);
    expect(names.length).toBeGreaterThanOrEqual(10);
    const bundle = (await readdir(outDir)).find((f) => f.startsWith('DefaultFunction.'));
    const code = await readFile(join(outDir, bundle ?? 'missing'), 'utf8');
    expect(code).toMatch(/from "file:\/\/\/[^"]*\/node_modules\/@aws-sdk\/client-dynamodb\//);
    expect(code).not.toContain('from "@roomcast/core"');
    expect(code).toContain('function websocketHandler(');
  });

  it('run the ping handler with the sample event', async () => {
    const event = JSON.parse(await readFile(join(REPO_ROOT, 'events', 'default.json'), 'utf8')) as unknown;
    expect(await runtime.invoke('DefaultFunction', event)).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
    expect(await runtime.invoke('DefaultFunction', event)).toEqual({ statusCode: 200, body: '{"type":"pong"}' });
    expect(runtime.stats('DefaultFunction')).toEqual({ invocations: 2, errors: 0, throttles: 0, concurrent: 0, coldStarts: 1 });
  });
});
