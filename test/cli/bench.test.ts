import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';
import { benchCommand, sizesOption } from '../../bench/command.js';

const run = (argv: string[]) => runCommand(benchCommand, argv);

describe('roomcast bench', () => {
  it('measures a local cloud of its own by default, with the default sizes and phases', () => {
    const parsed = benchCommand.parse([], {});
    expect(parsed.target).toBeUndefined();
    expect(parsed.command).toBe('roomcast bench');
    expect(parsed.out).toMatch(/bench[/\\]results[/\\]?$/);
    expect(parsed.settings).toMatchObject({
      name: 'latest',
      sizes: [100, 1000, 5000],
      sdkSizes: [1000],
      roomSize: 10,
      rate: 10,
      messages: 100,
      broadcastDeliveries: 20_000,
      baseline: true,
      storm: { subscribers: 2000, windowMs: 1000, snapshot: 20, history: 20 },
      conflation: { subscribers: 200, messages: 120, rate: 10, postDelayMs: 1000 },
      fanoutSizes: [1, 100, 1000],
      makespan: true,
      openPerSecond: 400,
    });
  });

  it('takes the conflation phase, skips it, and runs it alone', () => {
    const only = ['--sizes', '0', '--sdk-sizes', '0', '--storm', '0', '--fanout-sizes', '0', '--no-makespan'];
    const parsed = benchCommand.parse([...only, '--conflation-subscribers', '50', '--conflation-messages', '30', '--conflation-rate', '5', '--conflation-post-delay-ms', '0'], {});
    expect(parsed.settings).toMatchObject({ sizes: [], sdkSizes: [], storm: null, fanoutSizes: [], makespan: false, conflation: { subscribers: 50, messages: 30, rate: 5, postDelayMs: 0 } });
    expect(benchCommand.parse(['--conflation-subscribers', '0'], {}).settings.conflation).toBeNull();
    expect(benchCommand.parse(['--local-port', '4600'], {}).settings.conflation).toMatchObject({ subscribers: 200 });
  });

  it('takes sizes, phases and skips', () => {
    const parsed = benchCommand.parse(['--sizes', '20,50', '--sdk-sizes', '0', '--no-baseline', '--storm', '0', '--fanout-sizes', '0', '--rate', '5', '--name', 'quick', '--parameter-overrides', 'DeliveryShards=2'], {});
    expect(parsed.settings).toMatchObject({ name: 'quick', sizes: [20, 50], sdkSizes: [], baseline: false, storm: null, fanoutSizes: [], rate: 5 });
    expect(parsed.parameterOverrides).toEqual({ DeliveryShards: '2' });
    expect(benchCommand.parse(['--cpu-prof', 'prof'], {}).cpuProfileDir).toMatch(/prof$/);
    expect(parsed.command).toBe('roomcast bench --sizes 20,50 --sdk-sizes 0 --no-baseline --storm 0 --fanout-sizes 0 --rate 5 --name quick --parameter-overrides DeliveryShards=2');
  });

  it('goes to a running local cloud or a deployed stage, without fan-out cost unless asked', () => {
    expect(benchCommand.parse(['--local-port', '4600'], {})).toMatchObject({ target: { kind: 'local', port: 4600 }, settings: { fanoutSizes: [] } });
    const urls = benchCommand.parse(['--url', 'wss://a.execute-api.eu-west-1.amazonaws.com/prod', '--publish-url', 'https://b.execute-api.eu-west-1.amazonaws.com', '--token', 't'], {});
    expect(urls).toMatchObject({ token: 't', target: { kind: 'urls', region: 'eu-west-1' } });
    expect(benchCommand.parse(['--stack', 'rc', '--fanout-sizes', '1'], {})).toMatchObject({ target: { kind: 'stack', stack: 'rc' }, settings: { fanoutSizes: [1] } });
  });

  it('reads lists of sizes', () => {
    expect(sizesOption(undefined, 'sizes', [3])).toEqual([3]);
    expect(sizesOption('0', 'sizes', [3])).toEqual([]);
    expect(sizesOption('10, 20', 'sizes', [])).toEqual([10, 20]);
  });

  it.each([
    [['--sizes', '10,x'], '--sizes must be a whole number'],
    [['--name', '../x'], '--name must be'],
    [['--publish-url', 'https://b.execute-api.eu-west-1.amazonaws.com'], 'needs --url too'],
    [['--local-port', '4600', '--parameter-overrides', 'A=1'], '--parameter-overrides is for the local cloud the benchmark starts'],
    [['--stack', 'rc', '--cpu-prof', 'prof'], '--cpu-prof is for the local cloud the benchmark starts'],
    [['--storm', '-1'], '--storm'],
    [['--conflation-subscribers', 'x'], '--conflation-subscribers must be a whole number'],
    [['--conflation-messages', '0'], '--conflation-messages must be a whole number from 1'],
    [['--conflation-rate', '0'], '--conflation-rate must be a whole number from 1'],
    [['--conflation-post-delay-ms', '60001'], '--conflation-post-delay-ms must be a whole number from 0 to 60000'],
  ])('refuses %j in one line with exit 2', async (argv, message) => {
    const { code, stderr, stdout } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints its usage', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: roomcast bench/);
  });
});
