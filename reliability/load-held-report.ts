/** The "load held" scenario's figures (./load-held.ts) as a section of the reliability report. */
import type { LoadHeldFigures } from './load-held.js';
import type { Section } from './report.js';

const mb = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(1)} MiB`);
const signed = (value: number | null): string => (value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value.toFixed(1)} MiB`);

export function loadHeldSections(figures: LoadHeldFigures): Section[] {
  const { deliveries, churn, memory, phaseSeconds } = figures;
  return [
    {
      title: 'Connections held while others churn',
      about:
        'One region. Connections are held, subscribed to rooms, while others open, subscribe and close (some without `$disconnect`) and messages are published. ' +
        'Every held connection must get every message of its rooms; once everything is closed, the stale connections must go (410 on the next message, then TTL) ' +
        'and memory come back near where it was after a warm-up cycle (`reliability/load-held.ts`).',
      rows: [
        ['connections held', `${figures.heldConnections}, following 2 of ${figures.rooms} rooms each, opened in ${phaseSeconds.openHeld} s (${figures.heldOpenRetries} retries)`],
        ['publishing and churn', `${figures.publishPerSecond} messages/s and ${figures.churnPerSecond} connections/s for ${figures.durationSeconds} s`],
        ['messages published / publishes that failed', `${figures.messagesPublished} / ${figures.publishFailures}`],
        ['held connections: messages owed / received / missing / duplicates', `${deliveries.expected} / ${deliveries.received} / ${deliveries.missing} / ${deliveries.duplicates}`],
        ['churned connections: opened / closed with $disconnect / without / failed', `${churn.opened} / ${churn.closedWithDisconnect} / ${churn.closedWithoutDisconnect} / ${churn.failures}`],
        ['$disconnect ran / expected', `${figures.disconnects.ran} / ${figures.disconnects.expected}`],
        ['posts answered 410 Gone', String(figures.goneAnswers)],
        ['stale connections after closing / removed by 410 / by TTL', `${figures.staleAfterClose} / ${figures.removedBy410} / ${figures.removedByTtl}`],
        ['rows left in the connections table', `${figures.rowsLeft.connections} connections, ${figures.rowsLeft.subscriptions} subscriptions`],
        ['event loop delay during the load, p99 / max', `${figures.eventLoopDelayMs.p99} ms / ${figures.eventLoopDelayMs.max} ms`],
        ['memory after a forced GC, before / after: heap', `${mb(memory.before.heapUsedMb)} / ${mb(memory.after.heapUsedMb)} (${signed(memory.heapUsedGrowthMb)})`],
        ['memory after a forced GC, before / after: resident', `${mb(memory.before.rssMb)} / ${mb(memory.after.rssMb)} (${signed(memory.rssGrowthMb)})`],
        ['DynamoDB Local resident memory growth', signed(memory.dynamodbRssGrowthMb)],
        ['cold starts during the run', String(figures.coldStarts)],
      ],
    },
  ];
}
