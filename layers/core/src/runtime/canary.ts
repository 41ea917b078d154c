import { openWebSocket } from '../adapters/canary-websocket.js';
import { systemClock } from '../app/canary/clock.js';
import { CANARY_ROOM, runCanary, type CanaryReport } from '../app/canary/index.js';
import type { CanaryPorts } from '../app/canary/ports.js';
import type { CanarySettings } from '../app/canary/settings.js';
import { canaryToken } from '../app/canary/token.js';
import type { App } from '../app/context.js';
import { publishOne } from '../app/publish.js';

/**
 * The canary's scheduled function: its ports on the app and the runtime's WebSocket, one
 * run per invocation, the run logged and its metrics flushed, an Error when it failed.
 */
export function canaryHandler(app: App, settings: CanarySettings): () => Promise<CanaryReport> {
  const ports: CanaryPorts = {
    openSocket: openWebSocket,
    token: () => canaryToken(app.config, app.secrets, settings.tokenRef, app.now(), [CANARY_ROOM]),
    publish: (request) => publishOne(app, request),
    metrics: app.metrics,
    clock: systemClock,
    newId: app.newId,
  };
  return async () => {
    try {
      const report = await runCanary(ports, settings);
      const { run, sent, received, lost } = report;
      if (lost > 0) app.logger.warn('canary messages lost', { run, sent, received, lost });
      else app.logger.info('canary run', { run, sent, received, lost });
      return report;
    } catch (error) {
      app.logger.error('canary run failed', { error });
      throw error;
    } finally {
      app.metrics.flush();
    }
  };
}
