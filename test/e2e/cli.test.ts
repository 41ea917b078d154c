/**
 * The `roomcast` command against a real local cloud started in this file, run as a user
 * runs it: `node bin/roomcast.mjs <command> ... --local-port N`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.js';
import { applyFaults } from '../../local/cloud/faults.js';
import { freePorts, runCli, startCli, type CliRun } from '../cli/cli-process.js';
import { Socket, startCloud } from './support.js';

let cloud: LocalCloud | undefined;
let port = 0;
const running: CliRun[] = [];

beforeAll(async () => {
  // The CLI finds the cloud by its first port (the console is N+2): N, N+1, N+2 must be free.
  port = await freePorts(3);
  cloud = await startCloud({ port });
});
afterAll(async () => {
  for (const run of running) run.child.kill('SIGKILL');
  await cloud?.stop();
});

const local = (): string[] => ['--local-port', String(port)];
let rooms = 0;
const freshRoom = (): string => `cli-${process.pid}-${(rooms += 1)}`;

function tail(args: string[]): CliRun {
  const run = startCli(['tail', ...args, ...local()]);
  running.push(run);
  return run;
}

async function publish(room: string, args: string[], input?: string): Promise<{ room: string; id: string; pos: string }> {
  const { code, stdout, stderr } = await runCli(['publish', room, ...args, ...local()], input);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toMatch(/^\{[^\n]*\}\n$/);
  return JSON.parse(stdout);
}

describe('roomcast against the local cloud', () => {
  it('tail prints exactly the messages publish sent, and history prints them again', async () => {
    const room = freshRoom();
    const watching = tail([room, '--count', '2']);
    await watching.stderrLine('connected; listening');
    const first = await publish(room, ['{"n":1}']);
    const second = await publish(room, ['-', '--id', 'second'], '{"n":2}\n');
    expect(first).toEqual({ room, id: expect.any(String), pos: expect.any(String) });
    expect(second).toMatchObject({ room, id: 'second' });

    expect(await watching.exited).toBe(0);
    const lines = watching.stdout().trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { room, id: first.id, pos: first.pos, ts: expect.any(Number), data: { n: 1 } },
      { room, id: 'second', pos: second.pos, ts: expect.any(Number), data: { n: 2 } },
    ]);

    const history = await runCli(['history', room, ...local()]);
    expect(history).toEqual({ code: 0, stdout: watching.stdout(), stderr: '' });
    const after = await runCli(['history', room, '--since', first.pos, '--limit', '5', ...local()]);
    expect(after.stdout).toBe(`${watching.stdout().split('\n')[1]}\n`);
   }, 60_000);

  it('tail says on stderr that it lost the connection and resumes', async () => {
    const room = freshRoom();
    const watching = tail([room, '--count', '1']);
    await watching.stderrLine('connected; listening');
    applyFaults({ dropSockets: true }, cloud!.faults);
    await watching.stderrLine('reconnected');
    expect(watching.stderr()).toContain('roomcast tail: connection lost: reconnecting...');
    const sent = await publish(room, ['"after the drop"']);
    expect(await watching.exited).toBe(0);
    expect(JSON.parse(watching.stdout())).toMatchObject({ room, id: sent.id, data: 'after the drop' });
  });

  it('token makes a token the gateway accepts, for the rooms it names only', async () => {
    const { code, stdout, stderr } = await runCli(['token', '--sub', 'alice', '--rooms', 'scores:*', '--ttl', '10m', ...local()]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^roomcast token: sub alice, rooms scores:\*, expires \S+\n$/);
    const socket = await Socket.open(cloud!, stdout.trim());
    await socket.subscribe(['scores:1']);
    await socket.subscribe(['admin:1']);
    expect(socket.frames).toContainEqual({ type: 'subscribed', rooms: ['scores:1'] });
    expect(socket.frames).toContainEqual(expect.objectContaining({ type: 'error', code: 'ROOM_FORBIDDEN' }));
    await socket.close();

    const refused = await runCli(['tail', 'admin:1', '--token', stdout.trim(), ...local()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n').filter((line) => line !== '' && !line.includes('connected;'))).toEqual([
      expect.stringMatching(/^roomcast tail: ROOM_FORBIDDEN: /),
    ]);
  });
});

describe('roomcast without a local cloud', () => {
  it.each(['publish lobby {}', 'tail lobby', 'history lobby', 'token --sub a --rooms *'])('%s: one line and exit 1', async (command) => {
    const nothing = await freePorts(3);
    const result = await runCli([...command.split(' '), '--local-port', String(nothing)]);
    const name = command.split(' ')[0];
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `roomcast ${name}: no local cloud on port ${nothing + 2}: start one with \`npm start\`, or pass --url/--publish-url or --stack\n`,
    });
  });

  it('roomcast --help lists every command', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const name of ['dev', 'publish', 'tail', 'history', 'token', 'cost']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });
});
