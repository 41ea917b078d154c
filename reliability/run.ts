/**
 * `npm run test:reliability`: runs the reliability scenarios at full size, prints their
 * progress and figures, and writes docs/reliability.md.
 *
 *   npm run test:reliability                  full size, writes docs/reliability.md
 *   npm run test:reliability -- --small       the size `npm test` runs, writes nothing
 *   npm run test:reliability -- --size JSON   the full delivery size with these fields changed
 *                                             (see delivery-size.ts), that scenario only, writes nothing
 *   npm run test:reliability -- --help        these lines
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { FULL_SIZE, SMALL_SIZE, type DeliverySize } from './delivery-size.js';
import { runDelivery } from './delivery.js';
import { loadHeldSections } from './load-held-report.js';
import { deliverySections, renderDocument, renderTable, type Machine, type Section } from './report.js';

const DOCUMENT = new URL('../docs/reliability.md', import.meta.url);

/**
 * The scenarios after the delivery one, each on its own cloud, each turning its figures into
 * sections of the report (each loaded when it runs). A new scenario is one more entry here.
 */
const OTHER_SCENARIOS: Array<{ name: string; run(small: boolean): Promise<Section[]> }> = [
  // Connections held and churn while publishing, stale connections cleaned up, memory before and after.
  {
    name: 'load held',
    run: async (small) => {
      const { runLoadHeld } = await import('./load-held.js');
      return loadHeldSections(await runLoadHeld(small ? { connections: 50, durationSeconds: 10 } : {}));
    },
  },
];

async function main(args: readonly string[]): Promise<void> {
  // This process runs on the developer's Node; the AWS SDK's notice about Node versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Ctrl-C or SIGTERM end the run at once; exiting (unlike dying of the signal) still kills DynamoDB Local.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const { small, size } = parseArgs(args);
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  const progress = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);

  progress(`delivery scenario, ${size ? JSON.stringify(size) : small ? 'small' : 'full'} size; load average ${loadAtStart.toFixed(1)} on ${os.availableParallelism()} cores`);
  const delivery = await runDelivery({ size: size ? { ...FULL_SIZE, ...size } : small ? SMALL_SIZE : FULL_SIZE, progress });
  const sections = deliverySections(delivery);
  for (const scenario of size ? [] : OTHER_SCENARIOS) {
    progress(`${scenario.name} scenario`);
    sections.push(...(await scenario.run(small)));
  }

  process.stdout.write(`\n${renderTable(sections)}\n`);
  if (delivery.logTail.length > 0) process.stderr.write(`\nthe cloud's last lines:\n${delivery.logTail.join('\n')}\n`);
  for (const s of delivery.verdict.subscribers.filter((f) => f.lost + f.unexpected + f.duplicatesHanded + f.outOfOrder > 0)) {
    process.stderr.write(`\n${s.name}: lost ${s.lost}, unexpected ${s.unexpected}, duplicates ${s.duplicatesHanded}, out of order ${s.outOfOrder}; lost: ${s.lostMessages.join(', ')}\n`);
  }
  if (delivery.publishFailures.length > 0) process.stderr.write(`\npublishes that gave up:\n${delivery.publishFailures.join('\n')}\n`);
  if (!small && !size) {
    const command = 'npm run test:reliability';
    const document = renderDocument({ command, machine: machine(loadAtStart), date: new Date().toISOString().slice(0, 10), delivery, sections });
    await writeFile(DOCUMENT, `${document.trimEnd()}\n`);
    progress(`wrote docs/reliability.md`);
  }
  const { totals } = delivery.verdict;
  const failed = totals.lost + totals.unexpected + totals.duplicatesHanded + totals.outOfOrder > 0;
  if (failed) process.stderr.write('\nFAILED: the apps did not get exactly what was published, in order per origin\n');
  process.exitCode = failed ? 1 : 0;
}

const USAGE = `npm run test:reliability [-- --small | --size JSON | --help]
  (no option)   the full size; writes docs/reliability.md
  --small       the size \`npm test\` runs; writes nothing
  --size JSON   the full delivery size with these fields changed (${Object.keys(FULL_SIZE).join(', ')}), that scenario only; writes nothing
`;

function parseArgs(args: readonly string[]): { small: boolean; size?: Partial<DeliverySize> } {
  const usage = 'known options: --small, --size JSON, --help';
  if (args.length === 1 && args[0] === '--help') {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (args.length === 0) return { small: false };
  if (args.length === 1 && args[0] === '--small') return { small: true };
  if (args.length === 2 && args[0] === '--size') {
    const size = JSON.parse(args[1]!) as Partial<DeliverySize>;
    const unknown = Object.keys(size).filter((key) => !(key in FULL_SIZE));
    if (unknown.length > 0) throw new Error(`--size: unknown field ${unknown.join(', ')} (known: ${Object.keys(FULL_SIZE).join(', ')})`);
    return { small: false, size };
  }
  throw new Error(`unknown options ${args.join(' ')} (${usage})`);
}

function machine(loadAtStart: number): Machine {
  return {
    load: [loadAtStart, os.loadavg()[0]!],
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

await main(process.argv.slice(2));
