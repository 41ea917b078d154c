import { describe, expect, it } from 'vitest';
import { parseDevArgs } from '../../cli/dev-options.js';
import { UsageError } from '../../cli/errors.js';
import { runCli } from './cli-process.js';

/** The UsageError's message for `argv`. */
function usageError(argv: string[]): string {
  try {
    parseDevArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no usage error');
}

describe('roomcast dev options', () => {
  it('are none by default', () => {
    expect(parseDevArgs([])).toEqual({});
    expect(parseDevArgs(['--help'])).toBe('help');
  });

  it('map to the local cloud options', () => {
    const argv = ['--port', '0', '--host', '0.0.0.0', '--persist', '.roomcast/data', '--parameter-overrides', 'Stage=dev LogLevel=DEBUG', '--no-watch', '--idle-timeout', '5', '--max-duration', '60', '--stack-name', 'mine', '--region', 'eu-west-1'];
    expect(parseDevArgs(argv)).toEqual({
      port: 0,
      host: '0.0.0.0',
      persistDir: '.roomcast/data',
      parameterOverrides: { Stage: 'dev', LogLevel: 'DEBUG' },
      watch: false,
      limits: { idleTimeoutMs: 5000, maxDurationMs: 60_000 },
      stackName: 'mine',
      region: 'eu-west-1',
    });
  });

  it('dispatch messages as they arrive unless --serialize-messages asks for one at a time', () => {
    expect(parseDevArgs([])).not.toHaveProperty('serializeMessages');
    expect(parseDevArgs(['--serialize-messages'])).toEqual({ serializeMessages: true });
    expect(parseDevArgs(['--idle-timeout', '5', '--serialize-messages'])).toEqual({ limits: { idleTimeoutMs: 5000 }, serializeMessages: true });
    expect(usageError(['--serialize-messages=yes'])).toBe('--serialize-messages takes no value');
  });

  it('take the TTL sweep interval', () => {
    expect(parseDevArgs(['--ttl-interval', '5'])).toEqual({ ttlIntervalMs: 5000 });
    expect(parseDevArgs(['--ttl-interval', '0'])).toEqual({ ttlIntervalMs: 0 });
    expect(() => parseDevArgs(['--ttl-interval', 'often'])).toThrow('--ttl-interval must be a number');
  });

  it('take faults', () => {
    expect(parseDevArgs(['--fault-post-status', '429', '--fault-post-share', '0.1', '--fault-post-delay-ms', '200', '--fault-drop-disconnect'])).toEqual({
      faults: { post: { status: 429, share: 0.1 }, postDelayMs: 200, dropDisconnect: true },
    });
    expect(parseDevArgs(['--fault-post-status', '500', '--fault-post-count', '3'])).toEqual({ faults: { post: { status: 500, share: 1, count: 3 } } });
  });

  it('take several regions and their replication delay', () => {
    expect(parseDevArgs(['--regions', 'eu-west-1,us-east-1', '--replication-delay', '250'])).toEqual({ regions: ['eu-west-1', 'us-east-1'], replicationDelayMs: 250 });
    expect(parseDevArgs(['--regions', 'eu-west-1'])).toEqual({ regions: ['eu-west-1'] });
    expect(() => parseDevArgs(['--regions', 'eu-west-1', '--replication-delay', '5'])).toThrow('--replication-delay needs --regions with two or more regions');
    expect(() => parseDevArgs(['--regions', 'eu-west-1,us-east-1', '--region', 'eu-west-1'])).toThrow('give one of them');
    expect(() => parseDevArgs(['--regions', 'eu-west-1,Mars'])).toThrow('"Mars" is not a region name');
    expect(() => parseDevArgs(['--regions', 'eu-west-1,eu-west-1'])).toThrow('eu-west-1 is named twice');
    expect(() => parseDevArgs(['--regions', 'eu-west-1,us-east-1', '--port', '65530'])).toThrow('--port must be a number from 0 to 65528');
  });

  it('refuse what they cannot use, saying why', () => {
    expect(() => parseDevArgs(['--port', 'abc'])).toThrow('--port must be a number');
    expect(() => parseDevArgs(['--fault-post-status', '404'])).toThrow('410, 429 or 500');
    expect(() => parseDevArgs(['--fault-post-share', '0.5'])).toThrow('need --fault-post-status');
    expect(() => parseDevArgs(['--fault-post-status', '500', '--fault-post-share', '2'])).toThrow('--fault-post-share');
  });

  it('are read by the parser of every roomcast command, its errors one line', () => {
    expect(usageError(['--prot', '1'])).toBe('unknown option --prot');
    expect(usageError(['extra'])).toBe('unexpected argument "extra"');
    expect(usageError(['--port'])).toBe('--port needs a value');
    expect(usageError(['--no-watch=yes'])).toBe('--no-watch takes no value');
    expect(usageError(['--idle-timeout', '-5'])).toBe('--idle-timeout needs a value (one that starts with "-" goes as --idle-timeout=-...)');
    expect(usageError(['--idle-timeout=-5'])).toBe('--idle-timeout must be a number 0 or more, got "-5"');
    expect(usageError(['--fault-post-status', '404'])).toBe('--fault-post-status must be 410, 429 or 500, got "404"');
    expect(usageError(['--parameter-overrides', 'Stage'])).toMatch(/^--parameter-overrides: parameter override "Stage" is not Key=Value/);
    for (const argv of [['--prot'], ['extra'], ['--port']]) expect(usageError(argv)).not.toContain('\n');
  });

  it('give help first, as every command does', () => {
    expect(parseDevArgs(['-h'])).toBe('help');
    expect(parseDevArgs(['--bogus', '--help'])).toBe('help');
    expect(usageError(['--', '--help'])).toBe('unexpected argument "--help"');
  });
});

describe('roomcast dev as a command', () => {
  it('says what is wrong with its command line in one line and exits 2', async () => {
    const { code, stdout, stderr } = await runCli(['dev', '--prot', '1']);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: 'roomcast dev: unknown option --prot (roomcast dev --help)\n' });
  });

  it('prints its help on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['dev', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: roomcast dev /);
    expect(stdout).toContain('--fault-post-status 410|429|500');
    expect(stdout).toContain('--serialize-messages');
    expect(stdout).toContain('exit: 0');
    expect(stderr).toBe('');
  });
});
