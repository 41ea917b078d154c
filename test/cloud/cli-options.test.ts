import { describe, expect, it } from 'vitest';
import { parseDevArgs } from '../../local/cloud/cli-options.js';

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
    expect(() => parseDevArgs(['--prot', '1'])).toThrow("Unknown option '--prot'");
    expect(() => parseDevArgs(['extra'])).toThrow();
  });
});
