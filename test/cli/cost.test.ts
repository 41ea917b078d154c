import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';
import { costCommand } from '../../cli/cost.js';
import { PRICES_TAKEN } from '../../bench/prices.js';

const run = (argv: string[]) => runCommand(costCommand, argv);

describe('roomcast cost', () => {
  it('takes a profile, with defaults', () => {
    const parsed = costCommand.parse(['--connections', '5000', '--hours-per-day', '2', '--publishes-per-second', '0.5', '--subscribers', '200'], {});
    expect(parsed).toMatchObject({ kind: 'bill', json: false, profile: { connections: 5000, minutesPerConnection: 2 * 60 * 30, publishesPerSecond: 0.5, subscribersPerRoom: 200, messageBytes: 512, roomsPerConnection: 1 } });
    expect(costCommand.parse(['--minutes-per-month', '600'], {})).toMatchObject({ profile: { minutesPerConnection: 600, connections: 10_000 } });
  });

  it('prints the bill by component, its total, its floor and AppSync Events beside it', async () => {
    const { code, stdout, stderr } = await run(['--connections', '1000', '--subscribers', '100']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`taken ${PRICES_TAKEN}`);
    for (const text of ['API Gateway WebSocket messages', 'Lambda deliver: duration', 'SQS requests', 'DynamoDB write units', 'Data transfer out', 'floor:', 'AppSync Events operations', 'price not found', 'postCpuMs']) {
      expect(stdout).toContain(text);
    }
    expect(stdout).toMatch(/^total\s+\$[\d,.]+$/m);
  });

  it('prints one JSON object with --json, and warns on stderr when the posts exceed the quota', async () => {
    const { code, stdout, stderr } = await run(['--publishes-per-second', '20', '--subscribers', '1000', '--json']);
    expect(code).toBe(0);
    const cost = JSON.parse(stdout);
    expect(cost.totalUsd).toBeGreaterThan(cost.floor.usd);
    expect(cost.prices.taken).toBe(PRICES_TAKEN);
    expect(stderr).toMatch(/^roomcast cost: 20000 posts per second exceed/);
  });

  it('prints the makespan model with --makespan', async () => {
    const { code, stdout } = await run(['--makespan', '--subscribers', '50000', '--json']);
    expect(code).toBe(0);
    const { makespan } = JSON.parse(stdout);
    expect(makespan.map((row: { subscribers: number; basis: string }) => [row.subscribers, row.basis])).toEqual([
      [50_000, 'aws-latencies'],
      [50_000, 'measured-locally'],
    ]);
    expect((await run(['--makespan'])).stdout).toMatch(/1,000,000 .*x/);
  });

  it.each([
    [['--hours-per-day', '25'], '--hours-per-day must be a number from 0 to 24'],
    [['--hours-per-day', '2', '--minutes-per-month', '100'], 'give one'],
    [['--subscribers', '0'], '--subscribers must be a whole number from 1'],
    [['--deliver-memory', '1024'], '--deliver-memory goes with --makespan'],
    [['--makespan', '--connections', '10'], 'does not go with --makespan'],
    [['extra'], 'unexpected argument "extra"'],
  ])('%j: a usage error is one line on stderr and exit 2', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toMatch(/^roomcast cost: [^\n]+ \(roomcast cost --help\)\n$/);
  });

  it('prints its help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: roomcast cost /);
    expect(stdout).toContain('exit: 0');
  });
});
