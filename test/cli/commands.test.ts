import { describe, expect, it } from 'vitest';
import { runCommand, type CommandResult } from './run-command.js';
import { historyCommand } from '../../cli/history.js';
import { occupancyCommand } from '../../cli/occupancy.js';
import { publishCommand } from '../../cli/publish.js';
import { tailCommand } from '../../cli/tail.js';
import { tokenCommand } from '../../cli/token.js';

type Result = CommandResult;
const run = runCommand;

const COMMANDS: Record<string, (argv: string[]) => Promise<Result>> = {
  publish: (argv) => run(publishCommand, argv),
  tail: (argv) => run(tailCommand, argv),
  history: (argv) => run(historyCommand, argv),
  occupancy: (argv) => run(occupancyCommand, argv),
  token: (argv) => run(tokenCommand, argv),
};

describe('roomcast publish', () => {
  it('takes a room and a JSON value, or "-" for stdin', () => {
    expect(publishCommand.parse(['scores:1', '{"home":2}', '--id', 'goal-77'], {})).toEqual({
      room: 'scores:1',
      message: { data: { home: 2 } },
      id: 'goal-77',
      target: { kind: 'local', port: 4510 },
    });
    expect(publishCommand.parse(['lobby', '-', '--publish-url', 'https://a.execute-api.eu-west-1.amazonaws.com'], {})).toEqual({
      room: 'lobby',
      message: undefined,
      target: { kind: 'urls', wsUrl: '', publishUrl: 'https://a.execute-api.eu-west-1.amazonaws.com', region: 'eu-west-1' },
    });
    expect(publishCommand.parse(['lobby', '--', '-5'], {}).message).toEqual({ data: -5 });
  });
});

describe('roomcast tail', () => {
  it('takes rooms, a snapshot, a count and a token', () => {
    expect(tailCommand.parse(['a', 'b', 'a'], {})).toEqual({ rooms: ['a', 'b'], snapshot: true, target: { kind: 'local', port: 4510 } });
    expect(tailCommand.parse(['a', '--snapshot', '0', '--count', '2', '--token', 't', '--stack', 'rc'], {})).toEqual({
      rooms: ['a'],
      snapshot: 0,
      count: 2,
      token: 't',
      target: { kind: 'stack', stack: 'rc' },
    });
  });
});

describe('roomcast history', () => {
  it('takes a room, a position and a limit', () => {
    expect(historyCommand.parse(['lobby'], {})).toEqual({ room: 'lobby', target: { kind: 'local', port: 4510 } });
    expect(historyCommand.parse(['lobby', '--since', '0000000000000041', '--limit', '10', '--local-port', '4600'], {})).toEqual({
      room: 'lobby',
      since: '0000000000000041',
      limit: 10,
      target: { kind: 'local', port: 4600 },
    });
  });
});

describe('roomcast occupancy', () => {
  it('takes one or more rooms, each once, in the order given', () => {
    expect(occupancyCommand.parse(['lobby'], {})).toEqual({ rooms: ['lobby'], target: { kind: 'local', port: 4510 } });
    expect(occupancyCommand.parse(['scores:2', 'scores:1', 'scores:2', '--stack', 'rc', '--region', 'eu-west-1'], {})).toEqual({
      rooms: ['scores:2', 'scores:1'],
      target: { kind: 'stack', stack: 'rc', region: 'eu-west-1' },
    });
    expect(occupancyCommand.parse(['a', '--publish-url', 'https://a.execute-api.eu-west-1.amazonaws.com/'], {})).toEqual({
      rooms: ['a'],
      target: { kind: 'urls', wsUrl: '', publishUrl: 'https://a.execute-api.eu-west-1.amazonaws.com', region: 'eu-west-1' },
    });
  });
});

describe('roomcast token', () => {
  it('asks the local cloud by default', () => {
    expect(tokenCommand.parse(['--sub', 'alice', '--rooms', 'scores:*,lobby'], {})).toEqual({ sub: 'alice', rooms: ['scores:*', 'lobby'], ttlSeconds: 86_400, kind: 'local', port: 4510 });
  });

  it('signs with a secret for a deployed stack', () => {
    expect(tokenCommand.parse(['--sub', 'svc', '--rooms', '**', '--ttl', '1h', '--secret', "a-deployed-stack's-secret-0123456789", '--issuer', 'iss', '--audience', 'aud', '--rooms-claim', 'scopes'], {})).toEqual({
      sub: 'svc',
      rooms: ['**'],
      ttlSeconds: 3600,
      kind: 'secret',
      secret: "a-deployed-stack's-secret-0123456789",
      issuer: 'iss',
      audience: 'aud',
      roomsClaim: 'scopes',
    });
  });

  it.each([
    [['--rooms', 'team:**:chat', '--secret', 'x'.repeat(32)], /--rooms team:\*\*:chat: "\*\*" stands only as the whole last segment/],
    [['--rooms', 'a', '--secret', 'x'.repeat(31)], /--secret: an HS256 secret is at least 32 bytes \(this one has 31\)/],
  ])('refuses %j: no stack would accept what it signs', async (args, message) => {
    const { code, stderr } = await run(tokenCommand, ['--sub', 'svc', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('prints a token signed with the secret', async () => {
    const { code, stdout, stderr } = await run(tokenCommand, ['--sub', 'svc', '--rooms', 'a b', '--secret', "a-deployed-stack's-secret-0123456789", '--issuer', 'iss']);
    expect(code).toBe(0);
    const [, payload] = stdout.trim().split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({ sub: 'svc', rooms: ['a', 'b'], iss: 'iss' });
    expect(stderr).toMatch(/^roomcast token: sub svc, rooms a,b, expires \d{4}-/);
  });
});

describe('every command', () => {
  it('prints its help on stdout and exits 0', async () => {
    for (const [name, runCommand] of Object.entries(COMMANDS)) {
      const { code, stdout, stderr } = await runCommand(['--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^usage: roomcast ${name} `));
      expect(stdout).toContain('exit: 0');
      expect(stderr).toBe('');
    }
  });

  it.each([
    ['publish', [], 'missing <room>'],
    ['publish', ['room'], 'missing <json|->'],
    ['publish', ['room', 'hello'], 'the message is not JSON'],
    ['publish', ['room', '{}', '--id'], '--id needs a value'],
    ['publish', ['room', '{}', '--url', 'wss://x.example.com'], 'needs --publish-url'],
    ['tail', [], 'missing <room...>'],
    ['tail', ['room', '--count', '0'], '--count must be a whole number 1 or more'],
    ['tail', ['room', '--snapshot', 'all'], '--snapshot must be a whole number 0 or more'],
    ['tail', ['room', '--stack', 'rc', '--url', 'wss://x.example.com'], '--stack reads the URLs'],
    ['history', ['a', 'b'], 'unexpected argument "b"'],
    ['history', ['a', '--limit', '-1'], '--limit needs a value (one that starts with "-" goes as --limit=-...)'],
    ['history', ['a', '--limit=-1'], '--limit must be a whole number 1 or more'],
    ['history', ['a', '--region', 'eu-west-1'], '--region goes with'],
    ['occupancy', [], 'missing <room...>'],
    ['occupancy', ['lobby', 'bad room'], '"bad room": a room name uses only letters'],
    ['occupancy', ['lobby', 'a..b'], '"a..b": a room name must not contain ".."'],
    ['occupancy', ['roomcast.canary'], 'room names starting with "roomcast." are reserved'],
    ['occupancy', ['lobby', '--since', 'x'], 'unknown option --since'],
    ['occupancy', ['lobby', '--url', 'wss://x.example.com'], 'needs --publish-url'],
    ['token', ['--rooms', '*'], '--sub is required'],
    ['token', ['--sub', 'a'], '--rooms is required'],
    ['token', ['--sub', 'a', '--rooms', '*', '--ttl', 'forever'], '--ttl must be a duration'],
    ['token', ['--sub', 'a', '--rooms', '*', '--issuer', 'x'], 'go with --secret'],
    ['token', ['--sub', 'a', '--rooms', '*', '--secret', 's', '--local-port', '4600'], 'exclude each other'],
    ['token', ['extra'], 'unexpected argument "extra"'],
  ])('roomcast %s %j: a usage error is one line on stderr and exit 2', async (name, argv, message) => {
    const { code, stdout, stderr } = await COMMANDS[name]!(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toMatch(new RegExp(`^roomcast ${name}: [^\\n]+ \\(roomcast ${name} --help\\)\\n$`));
  });
});
