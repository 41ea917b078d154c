import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';
import { costCommand } from '../../cli/cost.js';
import { PRICES_TAKEN } from '../../models/prices.js';

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

  it('takes lists of quotas and room sizes for --makespan, comma-separated or repeated', () => {
    const parsed = costCommand.parse(['--makespan', '--quota', '10000,50000', '--quota', '100000', '--subscribers', '100000,1000000', '--max-concurrency', '60', '--warm'], {});
    expect(parsed).toMatchObject({ kind: 'makespan', quotas: [10_000, 50_000, 100_000], sizes: [100_000, 1_000_000], maxConcurrency: 60, warm: true });
    expect(costCommand.parse(['--makespan'], {})).toMatchObject({ quotas: [10_000], sizes: [100_000, 1_000_000, 5_000_000], maxConcurrency: undefined, warm: false });
  });

  it('prints the makespan model with --makespan: a row per basis, quota and size, each at least the minimum', async () => {
    const { code, stdout } = await run(['--makespan', '--quota', '10000,100000', '--subscribers', '1000000', '--json']);
    expect(code).toBe(0);
    const { makespan } = JSON.parse(stdout) as { makespan: Array<Record<string, number | string>> };
    expect(makespan.map((row) => [row.basis, row.quotaPerSecond, row.subscribers])).toEqual([
      ['aws-latencies', 10_000, 1_000_000],
      ['aws-latencies', 100_000, 1_000_000],
      ['measured-locally', 10_000, 1_000_000],
      ['measured-locally', 100_000, 1_000_000],
    ]);
    for (const row of makespan) {
      expect(row.makespanMs as number).toBeGreaterThanOrEqual(row.minimumMs as number);
      expect(row.minimumMs).toBe(((row.subscribers as number) / (row.quotaPerSecond as number)) * 1000);
      expect((row.maxConcurrency as number) * (row.invocationPostsPerSecond as number)).toBeGreaterThanOrEqual(row.quotaPerSecond as number);
    }
    expect(makespan[1]!.makespanMs as number).toBeLessThan(makespan[0]!.makespanMs as number);
    expect(makespan[0]!.planningMs as number).toBeLessThan(1000);
  });

  it('prints planning, makespan, minimum, ratio, peaks and the concurrency used, and what the template gives', async () => {
    const { code, stdout } = await run(['--makespan', '--quota', '100000', '--subscribers', '100000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^subscribers +quota\/s +planning s +makespan s +minimum s +ratio +at the quota +deliver peak +planner peak +DeliveryMaxConcurrency$/m);
    expect(stdout).toMatch(/^ +100,000 +100,000 +[\d.]+ +[\d.]+ +1\.00 +[\d.]+x .* \d+ \(suggested\)$/m);
    expect(stdout).toMatch(/the template's 12 would reach [\d,]+\/s only/);
    expect(stdout).toContain('a room of 100,000: 340 partitions, planned in 2 hops through the plan queue');
    expect((await run(['--makespan', '--subscribers', '1000', '--max-concurrency', '50'])).stdout).toMatch(/ 50 \(given\)$/m);
  });

  it('prints the pollers of provisioned mode with --provisioned, all ready unless --min-pollers says fewer', async () => {
    const { code, stdout } = await run(['--makespan', '--quota', '100000', '--subscribers', '1000000', '--provisioned']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/deliver peak +planner peak +pollers$/m);
    expect(stdout).toMatch(/^ +1,000,000 +100,000 .* 12, 12 ready \(suggested\)$/m);
    expect(stdout).toContain('quota 100,000/s: 12 pollers (suggested: 120 instances at most) pace each instance');
    expect(costCommand.parse(['--makespan', '--provisioned', '--min-pollers', '4'], {})).toMatchObject({ provisioned: true, minimumPollers: 4, warm: false });
    const few = JSON.parse((await run(['--makespan', '--quota', '100000', '--subscribers', '1000000', '--provisioned', '--min-pollers', '2', '--json'])).stdout);
    expect(few.makespan[0].pollers).toEqual({ minimum: 2, maximum: 12 });
  });

  it.each([
    [['--hours-per-day', '25'], '--hours-per-day must be a number from 0 to 24'],
    [['--hours-per-day', '2', '--minutes-per-month', '100'], 'give one'],
    [['--subscribers', '0'], '--subscribers must be a whole number from 1'],
    [['--deliver-memory', '1024'], '--deliver-memory goes with --makespan'],
    [['--quota', '10000'], '--quota goes with --makespan'],
    [['--subscribers', '100,200'], '--subscribers takes one number without --makespan'],
    [['--makespan', '--quota', '0'], '--quota must be a whole number from 1 to 10000000, got "0"'],
    [['--makespan', '--quota', 'lots'], '--quota must be a whole number from 1 to 10000000, got "lots"'],
    [['--makespan', '--quota', '10000,,50000'], '--quota has an empty item'],
    [['--makespan', '--quota', ','], '--quota needs at least one number'],
    [['--makespan', '--subscribers', '100000,0'], '--subscribers must be a whole number from 1'],
    [['--makespan', '--max-concurrency', '1'], '--max-concurrency must be a whole number from 2 to 1000'],
    [['--makespan', '--quota', '20000,5000', '--other-rps', '5000'], '--other-rps must be below the quota (5000)'],
    [['--makespan', '--connections', '10'], 'does not go with --makespan'],
    [['--provisioned'], '--provisioned goes with --makespan'],
    [['--makespan', '--min-pollers', '4'], '--min-pollers goes with --provisioned'],
    [['--makespan', '--provisioned', '--min-pollers', '1'], '--min-pollers must be a whole number from 2 to 200'],
    [['--makespan', '--provisioned', '--warm'], '--warm and --provisioned are two ways to start the deliver event source: give one'],
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
