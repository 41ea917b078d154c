/**
 * The reliability report: scenarios' figures as sections of rows, printed as a table and
 * written as docs/reliability.md with the command, the machine, the faults and the
 * guarantees. Each scenario adds its own section(s); nothing here runs anything.
 */
import type { DeliveryFigures } from './delivery.js';
import { describeFault, faultPlan, type FaultKind } from './fault-plan.js';

export interface Section {
  title: string;
  /** What the scenario did, for the document (the delivery scenario has its own chapter). */
  about?: string;
  rows: Array<[label: string, value: string]>;
}

export interface Machine {
  cores: number;
  memoryGb: number;
  cpu: string;
  node: string;
  os: string;
  /** The 1-minute load average when the run started and when it ended. */
  load: [number, number];
}

const ms = (value: number | undefined): string => (value === undefined ? 'n/a' : `${Math.round(value)} ms`);
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function deliverySections(figures: DeliveryFigures): Section[] {
  const { size, verdict, faults } = figures;
  const { totals } = verdict;
  const recoveries = verdict.subscribers.flatMap((s) => s.recoveriesMs).sort((a, b) => a - b);
  const perRegion = (pick: (region: DeliveryFigures['regions'][number]) => number): string =>
    `${sum(figures.regions.map(pick))} (${figures.regions.map((region) => `${region.region} ${pick(region)}`).join(', ')})`;
  const injected = (kind: FaultKind): string => String(faults.injected[kind] ?? 0);
  return [
    {
      title: 'Delivery under faults',
      rows: [
        ['subscribers', `${totals.subscribers}, half in each of ${figures.regions.length} regions, ${size.roomsPerSubscriber} of ${size.rooms} rooms each`],
        ['messages published (acknowledged)', `${totals.published}, from ${size.publishersPerRegion} publishers per region`],
        ['publishes that gave up', String(figures.publishFailures.length)],
        ['messages owed to subscribers', String(totals.expected)],
        ['messages the apps got', String(totals.handed)],
        ['lost', String(totals.lost)],
        ['unexpected (never published there)', String(totals.unexpected)],
        ['duplicates carried by the sockets (before the SDK)', String(totals.duplicatesCarried)],
        ['duplicates handed to the apps (after the SDK)', String(totals.duplicatesHanded)],
        ['late on the sockets (behind a later position of their origin, before the SDK)', String(totals.lateCarried)],
        ['out of order in the apps (per room and origin, after the SDK)', String(totals.outOfOrder)],
        ['connections lost / recovered', `${totals.outages} / ${recoveries.length}`],
        ['recovery time, median / max', `${ms(recoveries[Math.floor((recoveries.length - 1) / 2)])} / ${ms(totals.maxRecoveryMs)}`],
        ['publish call to app, max', ms(totals.maxLatencyMs)],
        ['every subscriber caught up / delivery queues drained', `${figures.caughtUp ? 'yes' : 'no'} / ${figures.drained ? 'yes' : 'no'}`],
        ['event loop delay while publishing, p99 / max', `${ms(figures.eventLoopDelayMs.p99)} / ${ms(figures.eventLoopDelayMs.max)}`],
        ['time: cloud start, join, publishing, catch-up, total', `${figures.seconds.start} s, ${figures.seconds.join} s, ${figures.seconds.publish} s, ${figures.seconds.catchUp} s, ${figures.seconds.total} s`],
      ],
    },
    {
      title: 'Faults',
      rows: [
        ['bursts of 429 / posts that took them', `${injected('post429')} / ${faults.postsTaken[429]}`],
        ['bursts of 500 / posts that took them', `${injected('post500')} / ${faults.postsTaken[500]}`],
        ['deliver crashed mid-batch', injected('deliverCrash')],
        ['stream fan-out crashed mid-batch', injected('streamCrash')],
        ['planner crashed mid-segment', injected('planCrash')],
        ['publish failed before running (2 invocations each)', injected('publishFailure')],
        ['publish crashed mid-request', injected('publishCrash')],
        ['every socket of a region dropped', injected('dropSockets')],
        ['windows without $disconnect', injected('dropDisconnect')],
        ['replication holds', injected('replicationHold')],
        ['sockets closed under the subscribers, by close code', Object.entries(figures.closes).map(([code, n]) => `${code}: ${n}`).join(', ') || 'none'],
        ['invocations that failed: publish', perRegion((r) => r.functionErrors.PublishFunction ?? 0)],
        ['invocations that failed: deliver', perRegion((r) => r.functionErrors.DeliverFunction ?? 0)],
        ['invocations that failed: stream', perRegion((r) => r.functionErrors.StreamFunction ?? 0)],
        ['invocations that failed: plan', perRegion((r) => r.functionErrors.PlanFunction ?? 0)],
        ['client errors, by code', Object.entries(figures.clientErrors).map(([code, n]) => `${code}: ${n}`).join(', ') || 'none'],
      ],
    },
    {
      title: 'Pipeline (the functions\' own counts)',
      rows: [
        ...['Published', 'PlanTasks', 'PlanRetried', 'FanoutPlanned', 'Delivered', 'Gone', 'Retried', 'Throttled', 'DeadLettered', 'Connected', 'Subscribed', 'Disconnected'].map((name): [string, string] => [name, perRegion((r) => r.counts[name] ?? 0)]),
        ['left at the end: delivery queue / DLQ / plan queue / plan DLQ / stream failures', figures.regions.map((r) => `${r.region} ${r.queues.delivery} / ${r.queues.deadLetters} / ${r.queues.plans} / ${r.queues.planDeadLetters} / ${r.queues.streamFailures}`).join(', ')],
      ],
    },
  ];
}

/** The sections as aligned text, for the terminal. */
export function renderTable(sections: readonly Section[]): string {
  const width = Math.max(...sections.flatMap((section) => section.rows.map(([label]) => label.length)));
  return sections.map((section) => [section.title, ...section.rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join('\n')).join('\n\n');
}

export interface Document {
  command: string;
  machine: Machine;
  date: string;
  delivery: DeliveryFigures;
  sections: readonly Section[];
}

/** docs/reliability.md. */
export function renderDocument({ command, machine, date, delivery, sections }: Document): string {
  const { size } = delivery;
  const kinds: FaultKind[] = ['post429', 'post500', 'deliverCrash', 'streamCrash', 'publishFailure', 'publishCrash', 'dropSockets', 'dropDisconnect', 'replicationHold'];
  return [
    '# Reliability',
    '',
    'What roomcast promises about delivery, and the figures of a run that tries to break it:',
    'subscribers (the client SDK) in two regions follow rooms while publishers in both',
    'regions send numbered messages, and the local cloud injects faults all along. A',
    'checker then compares, for every subscriber, what was published with what its sockets',
    'carried and what the SDK handed to the app. The run is written by',
    '`reliability/run.ts`; do not edit the figures by hand.',
    '',
    '## Guarantees',
    '',
    '- **At-least-once delivery** to every connection subscribed to a room: a post that fails',
    '  (429, 5xx, a timeout) is retried with full jitter, then handed to a later job; a',
    '  delivery batch that fails as a whole (a crash) comes back from SQS after the visibility',
    '  timeout. A post answered 410 Gone drops that connection only.',
    '- **Exactly once, in order per origin, after the SDK**: the SDK drops what it already',
    '  delivered (by position and id), and hands each room\'s messages of one origin region to',
    '  the app in position order, which is publish order; messages of different origins',
    '  interleave as they arrive. A position skipped in one origin makes the SDK wait for it,',
    '  then fetch it from history.',
    '- **Resume without gaps**: after any reconnect (dropped socket, the 2 h cut, a refresh',
    '  ahead of it, another region) the SDK subscribes again after its cursor and gets exactly',
    '  what it missed, as long as the room\'s history still holds it (`HistoryLength`,',
    '  `HistoryTtlSeconds`).',
    '- **Idempotent publishing**: a message published again with the same id (the publisher',
    '  client retries 429, 5xx and `PUBLISH_IN_PROGRESS` that way) is stored and delivered once;',
    '  a retry after a request that died half-way finishes it at the same position.',
    '- **Planning at least once**: a large room\'s fan-out is planned by planners, segment by',
    '  segment, from the plan queue; a planner that crashes mid-segment leaves its task in the',
    '  queue, and the segment is planned again from its start (`PlanRetried`): nobody is',
    '  missed, and what was posted twice the SDK drops. In this run every fan-out goes through',
    '  the planners, and a room opens a generation of partitions once one holds 4 subscribers.',
    '- Not promised: a connection that misses a message every attempt at it (five deliveries,',
    '  then the dead-letter queue) gets it only when the SDK next notices the gap (the next',
    '  message of that origin, or a reconnect).',
    '- **No holes in an origin\'s history**: a message is stored in one transaction with its',
    '  region\'s counter, so a position exists only with its message, and no reader ever sees a',
    '  position that a publish still in flight would fill later. (This checker found the',
    '  opposite in an earlier design, where a position was taken before its message was',
    '  stored: a client that resumed in between skipped the late message. Two publishers per',
    '  region in each room and crashing publishes, as in the full-size run, exercise it.)',
    '',
    '## How to run',
    '',
    '```sh',
    command,
    '```',
    '',
    'It runs the scenarios one after another, each on a local cloud of its own (the delivery',
    'scenario first, described below), prints their progress and the tables below, and writes',
    'this file. `npm run test:reliability -- --small` runs them at the size `npm test` does and',
    'writes nothing. In `npm test`, `test/e2e/reliability.test.ts` runs the delivery scenario',
    'small and asserts no loss, no duplicate and nothing out of order after the SDK.',
    '',
    `Measured on ${date} on ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB of memory, Node.js ${machine.node}, ${machine.os};`,
    `the 1-minute load average was ${machine.load[0].toFixed(1)} when the run started and ${machine.load[1].toFixed(1)} when it ended (the machine is shared).`,
    'Everything runs on that one machine: DynamoDB Local, the SQS emulator, both regions\'',
    'functions, gateways and HTTP APIs, the subscribers and the publishers. Times depend on',
    'that load; the counts of lost, duplicated and reordered messages must not.',
    '',
    '## The scenario',
    '',
    `- ${size.subscribers} subscribers, half connected to each of two regions (\`eu-west-1\`,`,
    `  \`us-east-1\`), each following ${size.roomsPerSubscriber} of ${size.rooms} rooms with a snapshot.`,
    `- ${size.publishersPerRegion} publishers per region, ${size.messagesPerPublisher} messages each, one at a time, ${size.paceMs} ms apart, over the`,
    '  signed HTTP API with ids; first one message per room from each region, so that every',
    '  snapshot names both origins.',
    `- ${size.rounds} rounds of ${faultPlan(1, size.faults).length} fault steps (below) spread evenly over the publishing, alternating regions.`,
    `- Every connection is cut ${size.maxConnectionSeconds} s after it opened (API Gateway's 2 h limit, compressed);`,
    '  half of the subscribers refresh their socket ahead of the cut, at the same share of the',
    '  connection\'s life as the SDK\'s default (100 to 115 min of 120), the other half wait for it.',
    `- Replication between the regions: ${size.faults.replicationDelayMs} ms, held to ${size.faults.holdMs} ms at times.`,
    `- The delivery queues' visibility timeout is set to ${size.visibilityTimeoutSeconds} s (180 s in the template), so that a`,
    `  crashed batch comes back within the run; a crashed publish's claim expires after ${size.publishClaimMs} ms`,
    '  (`PUBLISH_CLAIM_MS`, 30 s by default).',
    '',
    '### Faults',
    '',
    ...kinds.map((kind) => `- \`${kind}\`: ${describeFault(kind, size.faults)}.`),
    `- connection cut: every socket is closed (1001) ${size.maxConnectionSeconds} s after it opened.`,
    '',
    '### What is counted',
    '',
    '- **lost**: a published message (room, id, position) of a subscriber\'s rooms that its app',
    '  never got. A publish that gave up leaves its message uncertain: neither owed nor refused.',
    '- **duplicates before the SDK**: copies the subscriber\'s sockets carried more than once',
    '  (live frames and snapshot entries); **after the SDK**: copies handed to the app twice.',
    '- **out of order**: a message handed to the app after a later position of the same room',
    '  and origin region. **late on the sockets** counts the same before the SDK.',
    '- **recovery time**: from the moment a client lost its connection (left state `open`) to',
    '  the first message its app got after that; it includes the reconnect backoff, the',
    '  handshake, the resubscription and the wait for the next message published.',
    '- **publish call to app**: from the start of the publish call to the app getting the',
    '  message, over messages published after the subscribers joined; it includes retries,',
    '  redelivery after a crash and replication.',
    '- **event loop delay**: the gateways, HTTP APIs, event sources and SQS emulator of the',
    '  local cloud share one thread with the subscribers and publishers (the functions run in',
    '  worker threads); how late that thread\'s event loop ran says how starved the run was.',
    '- **catch-up**: after the last publish, until every app has every message; the run gives',
    `  up once the apps got nothing new for ${size.stallSeconds} s (then "caught up" says no).`,
    '- **pipeline**: the functions\' own counts (docs/operations.md). `Gone` counts posts to',
    '  connections that had closed: dropped or cut while their delivery job was on its way, or',
    '  left behind without `$disconnect`; `Retried` counts posts tried again (an injected 429 or',
    '  500, or no answer within the deliver function\'s 3 s deadline).',
    '',
    '## Figures',
    '',
    verdictLine(delivery),
    '',
    ...sections.flatMap((section) => [`### ${section.title}`, '', ...(section.about ? [section.about, ''] : []), '| | |', '|---|---|', ...section.rows.map(([label, value]) => `| ${label} | ${value} |`), '']),
  ].join('\n');
}

/** One sentence on the delivery run's outcome, with the lost messages when there are any. */
function verdictLine({ verdict }: DeliveryFigures): string {
  const { totals } = verdict;
  const wrong = totals.lost + totals.unexpected + totals.duplicatesHanded + totals.outOfOrder;
  if (wrong === 0) return `Every app got every message of its rooms (${totals.expected} in all) exactly once, in order per origin.`;
  const lost = verdict.subscribers.flatMap((s) => s.lostMessages.map((message) => `${s.name}: \`${message}\``));
  return [
    `**The apps did not get exactly what was published**: ${totals.lost} lost, ${totals.unexpected} unexpected, ${totals.duplicatesHanded} duplicated and ${totals.outOfOrder} out of order.`,
    ...(lost.length > 0 ? ['Lost (subscriber: room, id, position):', '', ...lost.map((line) => `- ${line}`)] : []),
  ].join('\n');
}
