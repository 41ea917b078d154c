import type { App } from './context.js';
import { mapLimit } from '../model/concurrency.js';

export interface SweepReport {
  /** Connections whose session had ended. */
  ended: number;
  /** Closed through the management API (their `$disconnect` removes their rows). */
  closed: number;
  /** Already gone: their rows removed here. */
  gone: number;
  /** Not closed this time (throttled or failed): the next run tries again. */
  failed: number;
}

/** Connections one run closes at most, and how many closes it keeps in flight. */
export const SWEEP_LIMIT = 2000;
const CLOSES_IN_FLIGHT = 16;

/**
 * The scheduled sweep: close every connection whose session ended (its token's `exp`
 * plus the grace) without a `refresh`. The connections table's index of session ends
 * answers exactly those, so a run costs a few Queries whatever the number of healthy
 * connections. A connection API Gateway no longer knows is removed here; one whose
 * `$disconnect` is lost after the close is met again by the next run, as gone.
 */
export async function sweepSessions(app: App): Promise<SweepReport> {
  const ended = await app.connections.endedSessions(app.now(), SWEEP_LIMIT);
  const report: SweepReport = { ended: ended.length, closed: 0, gone: 0, failed: 0 };
  await mapLimit(ended, CLOSES_IN_FLIGHT, async (connectionId) => {
    const { outcome, error } = await app.connectionsApi.close(app.config.connectionsEndpoint, connectionId);
    if (outcome === 'delivered') report.closed += 1;
    else if (outcome === 'gone') {
      await app.connections.remove(connectionId);
      report.gone += 1;
    } else {
      report.failed += 1;
      app.logger.warn('could not close an ended session', { connectionId, outcome, ...(error ? { error: String(error) } : {}) });
    }
  });
  app.metrics.count('SessionsClosed', report.closed + report.gone);
  app.logger.info('sessions swept', { ...report });
  return report;
}
