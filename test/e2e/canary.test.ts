/**
 * The canary once, end to end: CanaryFunction as template.yaml deploys it (CanaryEnabled),
 * invoked with its scheduled event in the local cloud. It signs its own token, connects to
 * the gateway's WebSocket URL, subscribes to roomcast.canary, publishes through the core
 * and counts what comes back through plan, deliver and the gateway's @connections.
 */
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../support/flow.js';
import { cloudForFile, eventually } from './support.js';

const MESSAGES = 4;
const SECRET = 'canary-e2e-hs256-secret-0123456789abcdef';

const cloud = cloudForFile({
  parameterOverrides: { DeliveryMaxConcurrency: '2', CanaryEnabled: 'true', CanaryMessages: String(MESSAGES) },
  // The local cloud gives its HS256 secret to every function that reads JwtSecretRef: the canary signs its token with it.
  jwtSecret: SECRET,
});

interface CanaryReport {
  run: string;
  sent: number;
  received: number;
  lost: number;
  roundTripsMs: number[];
}

// The canary uses the runtime's global WebSocket (Node.js 22, as Lambda's nodejs22.x); the
// local functions run on this Node.js, so on an older one there is nothing to run it with.
describe.skipIf(typeof globalThis.WebSocket !== 'function')('the canary', () => {
  it('gets back every message it publishes and reports a round trip for each, none lost', async () => {
    const started = Date.now();
    const report = (await cloud().runtime.invoke('CanaryFunction', sampleEvent('canary'))) as CanaryReport;
    const tookMs = Date.now() - started;
    expect(report).toMatchObject({ sent: MESSAGES, received: MESSAGES, lost: 0 });
    expect(report.roundTripsMs).toHaveLength(MESSAGES);
    for (const ms of report.roundTripsMs) {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(tookMs);
    }
    // What it recorded: its metrics (EMF lines, counted as the function prints them).
    await eventually(async () => cloud().metrics.snapshot().latencies.CanaryRoundTrip?.count === MESSAGES, `${MESSAGES} CanaryRoundTrip values`);
    // A count of 0 is not written at all: no CanaryLost is none lost.
    expect(cloud().metrics.snapshot().counts.CanaryLost ?? 0).toBe(0);
  });
});
