/**
 * `roomcast local invoke` as a user runs it (a child process): without a local cloud it
 * starts the services for the invocation; with one running (started here) it acts on it.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.js';
import { freePorts, runCli } from '../cli/cli-process.js';
import { services } from './services.js';
import { Socket, startCloud } from './support.js';

const PUBLISH_EVENT = JSON.parse(readFileSync('events/publish.json', 'utf8'));
const REPORT = /^REPORT RequestId: ([0-9a-f-]{36})\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB$/m;

/** The publish event for another room and id, as JSON text. */
function publishEvent(room: string, id: string): string {
  const body = JSON.stringify({ id, data: { via: 'local invoke' } });
  return JSON.stringify({ ...PUBLISH_EVENT, pathParameters: { room }, body });
}

describe('roomcast local invoke without a local cloud', () => {
  it('starts the services for the invocation: the result on stdout, the logs and REPORT on stderr', async () => {
    const port = await freePorts(3);
    const { code, stdout, stderr } = await runCli(['local', 'invoke', 'PublishFunction', '-e', 'events/publish.json', '--local-port', String(port)]);
    expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('starting DynamoDB Local and the SQS emulator') });
    expect(stdout).toMatch(/^\{[^\n]*\}\n$/);
    const result = JSON.parse(stdout);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ room: 'scores:1', id: 'goal-2026-11-21-1', pos: expect.any(String) });
    const requestId = REPORT.exec(stderr)?.[1];
    expect(stderr).toContain(`START RequestId: ${requestId} Version: $LATEST\n`);
    expect(stderr).toContain(`END RequestId: ${requestId}\n`);
    expect(stderr).toMatch(/"Published":1/); // the function's own log line (its metrics)
  });

  it('an unknown function is one line listing the template\'s functions, exit 2', async () => {
    const { code, stdout, stderr } = await runCli(['local', 'invoke', 'NoSuchFunction', '--local-port', String(await freePorts(3))]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^roomcast local invoke: function "NoSuchFunction" not found\. Possible options in your template: .*PublishFunction.*\(roomcast local invoke --help\)\n$/);
  });
});

describe('roomcast local invoke against a running local cloud', () => {
  let cloud: LocalCloud | undefined;
  let port = 0;
  beforeAll(async () => {
    port = await freePorts(3);
    cloud = await startCloud({ port });
  });
  afterAll(() => cloud?.stop());
  const running = (): LocalCloud => cloud ?? expect.unreachable('the local cloud did not start');
  const invoke = (args: string[], input?: string) => runCli(['local', 'invoke', ...args, '--local-port', String(port)], input);

  it('stores the message in its table, with the --env-vars values the function declares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roomcast-env-vars-'));
    const envVars = join(dir, 'env.json');
    writeFileSync(envVars, JSON.stringify({ Parameters: { HISTORY_TTL_SECONDS: 60, UNDECLARED: 'x' }, PublishFunction: { HISTORY_TTL_SECONDS: '1234' } }));
    const { code, stdout, stderr } = await invoke(['PublishFunction', '-e', 'events/publish.json', '--env-vars', envVars]);
    expect({ code, stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining(`invoking on the local cloud on port ${port + 2}`) });
    expect(stderr).toContain('--env-vars: UNDECLARED not in');
    const { pos } = JSON.parse(JSON.parse(stdout).body);

    const table = running().model.tables.find((item) => item.logicalId === 'MessagesTable')!.name;
    const { Items = [] } = await services(running()).dynamo.send(
      new ScanCommand({ TableName: table, FilterExpression: 'kind = :msg AND id = :id', ExpressionAttributeValues: { ':msg': { S: 'msg' }, ':id': { S: 'goal-2026-11-21-1' } } }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]!.sk?.S).toBe(pos);
    const ttl = Number(Items[0]!.expiresAt?.N) - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(1200);
    expect(ttl).toBeLessThanOrEqual(1234);
  });

  it('takes the event from stdin, and the cloud delivers what the function published', async () => {
    const room = `invoke-${process.pid}`;
    const socket = await Socket.open(running());
    await socket.subscribe([room]);
    const { code, stdout } = await invoke(['publish', '-e', '-'], publishEvent(room, 'from-stdin'));
    expect(code).toBe(0);
    expect(JSON.parse(JSON.parse(stdout).body)).toMatchObject({ room, id: 'from-stdin' });
    const frame = await socket.waitFor((item) => item.type === 'message' && item.room === room, 'the published message');
    expect(frame).toMatchObject({ id: 'from-stdin', data: { via: 'local invoke' } });
    await socket.close();
  });

  it('a function that throws: its error as JSON on stdout, exit 0; FUNCTION may be left out with one function', async () => {
    const { code, stdout, stderr } = await invoke(['-t', 'test/fixtures/thrower-template.yaml', '-e', '-'], '{"reason":"boom"}');
    expect(code).toBe(0);
    const error = JSON.parse(stdout);
    expect(error).toEqual({ errorType: 'TypeError', errorMessage: 'boom', trace: expect.arrayContaining([expect.stringMatching(/^TypeError: boom/)]) });
    expect(stderr).toContain('about to fail\n');
    expect(stderr).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB$/m);
  });
});
