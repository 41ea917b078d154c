/**
 * One benchmark run: end to end at each size (the pipeline, then the raw `ws` broadcast on
 * this machine with the same clients and publisher), conflation under a post delay, the
 * subscribe storm, the fan-out cost accounting and the makespan model; the report `npm run
 * bench` writes.
 */
import { randomBytes } from 'node:crypto';
import { modelInputs } from '../models/assumptions.js';
import { runConflation } from './conflation.js';
import { fanoutOverhead } from '../models/cost-model.js';
import { runEndToEnd, type EndToEndOptions, type EndToEndResult } from './end-to-end.js';
import { describeMachine, watchLoad } from './machine.js';
import { makespanRows } from '../models/makespan-inputs.js';
import { goalsOf, type BenchReport, type BenchSettings, type EndToEndRow } from './report.js';
import { ratio } from './stats.js';
import { runStorm } from './storm.js';
import type { ClientKind } from './subscribers.js';
import { rawTarget, type BenchTarget, type TargetSource } from './targets.js';
import { templateFacts } from '../models/template-facts.js';

export const MAKESPAN_SIZES = [10_000, 100_000, 1_000_000];

/** The raw server takes connections as fast as they come; the pipeline at API Gateway's pace. */
const RAW_OPEN_PER_SECOND = 5000;
const OPEN_CONCURRENCY = 32;

export interface RunContext {
  source: TargetSource;
  settings: BenchSettings;
  command: string;
  progress(line: string): void;
}

export async function runBench({ source, settings, command, progress }: RunContext): Promise<BenchReport> {
  const started = new Date();
  const load = watchLoad();
  const run = randomBytes(3).toString('hex');
  const endToEnd: EndToEndRow[] = [];
  const cases: Array<{ subscribers: number; clients: ClientKind }> = [
    ...settings.sizes.map((subscribers) => ({ subscribers, clients: 'ws' as const })),
    ...settings.sdkSizes.map((subscribers) => ({ subscribers, clients: 'sdk' as const })),
  ];
  for (const { subscribers, clients } of cases) {
    const options = (kind: BenchTarget['kind']): EndToEndOptions => ({
      subscribers,
      roomSize: settings.roomSize,
      rate: settings.rate,
      messages: settings.messages,
      broadcastDeliveries: settings.broadcastDeliveries,
      broadcastWindow: settings.broadcastWindow,
      messageBytes: settings.messageBytes,
      clients,
      prefix: `bench:${run}:${clients}${subscribers}`,
      open: { perSecond: kind === 'raw' ? RAW_OPEN_PER_SECOND : settings.openPerSecond, concurrency: OPEN_CONCURRENCY },
      quietMs: settings.quietMs,
      drainMs: settings.drainMs,
      progress: (line) => progress(`${kind} ${subscribers.toLocaleString('en-US')} ${clients}: ${line}`),
    });
    progress(`pipeline, ${subscribers.toLocaleString('en-US')} subscribers (${clients})`);
    const pipeline = await measure(await source.open({ metered: false }), options('pipeline'));
    const raw = settings.baseline ? await measure(await rawTarget(), options('raw')) : null;
    endToEnd.push({
      subscribers,
      clients,
      pipeline,
      raw,
      ratios: {
        deliveriesPerSecond: ratio(pipeline.broadcast?.deliveriesPerSecond, raw?.broadcast?.deliveriesPerSecond),
        p99: ratio(pipeline.steady.latencyMs?.p99, raw?.steady.latencyMs?.p99),
      },
    });
  }

  let conflation: BenchReport['conflation'] = null;
  if (settings.conflation) {
    const { subscribers, messages, rate, postDelayMs } = settings.conflation;
    progress(`conflation: ${subscribers.toLocaleString('en-US')} subscribers in a conflated room and a plain one, ${messages} publishes at ${rate}/s to each, posts delayed ${postDelayMs} ms`);
    const target = await source.open({ metered: false });
    try {
      conflation = await runConflation(target, {
        ...settings.conflation,
        run,
        messageBytes: settings.messageBytes,
        open: { perSecond: settings.openPerSecond, concurrency: OPEN_CONCURRENCY },
        quietMs: settings.quietMs,
        drainMs: settings.drainMs,
        progress: (line) => progress(`conflation: ${line}`),
      });
    } finally {
      await target.close();
    }
  }

  let storm: BenchReport['storm'] = null;
  if (settings.storm) {
    progress(`subscribe storm: ${settings.storm.subscribers.toLocaleString('en-US')} sockets`);
    const target = await source.open({ metered: true });
    try {
      storm = await runStorm(target, {
        ...settings.storm,
        messageBytes: settings.messageBytes,
        room: `bench:${run}:storm`,
        open: { perSecond: settings.openPerSecond, concurrency: OPEN_CONCURRENCY },
        progress: (line) => progress(`storm: ${line}`),
      });
    } finally {
      await target.close();
    }
  }

  // Read only when a part that needs them runs.
  const setup = () => ({ facts: templateFacts(), inputs: modelInputs() });
  let fanoutCost: BenchReport['fanoutCost'] = null;
  if (settings.fanoutSizes.length > 0) {
    progress(`fan-out cost accounting: rooms of ${settings.fanoutSizes.join(', ')}`);
    // Loaded only when asked for: it brings the local stack (local/stack/) and the functions' handlers along.
    const { measureFanoutCost } = await import('./fanout-cost.js');
    const measured = await measureFanoutCost({ sizes: settings.fanoutSizes, messageBytes: settings.messageBytes, progress: (line) => progress(`fan-out cost: ${line}`) });
    const facts = setup();
    fanoutCost = measured.map((item) => ({ measured: item, cost: fanoutOverhead(item, facts) }));
  }
  const makespan = settings.makespan ? makespanRows(MAKESPAN_SIZES, setup()) : null;

  const report = {
    name: settings.name,
    startedAt: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    command,
    machine: { ...describeMachine(), loadAverage: load.stop() },
    target: source.description,
    settings,
    endToEnd,
    conflation,
    storm,
    fanoutCost,
    makespan,
  };
  return { ...report, goals: goalsOf(report) };
}

async function measure(target: BenchTarget, options: EndToEndOptions): Promise<EndToEndResult> {
  try {
    return await runEndToEnd(target, options);
  } finally {
    await target.close();
  }
}
