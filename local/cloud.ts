/**
 * The local cloud: `template.yaml` running on one machine with the very same handlers.
 * DynamoDB Local and the SQS emulator with the template's tables and queues, the functions
 * in the local Lambda runtime, the WebSocket gateway and the HTTP API in front of them, the
 * event source mappings polling the services, and a console with fault injection. With
 * several regions, each region runs all of that but the services, and the global tables
 * are replicated between them. See docs/local.md.
 */
import { defaultLog } from './lambda/index.js';
import { ReplicationDelays } from './replication/index.js';
import { signToken, type TokenClaims } from './cloud/dev-token.js';
import { applyFaults } from './cloud/faults.js';
import type { LocalCloudOptions } from './cloud/options.js';
import { tokenSettings } from './cloud/parameters.js';
import { startRegion, type RegionCloud, type StartedRegion } from './cloud/region.js';
import { startReplication, type Replication } from './cloud/replication.js';
import { startServiceProcesses } from './cloud/services.js';
import { cloudSettings } from './cloud/settings.js';
import { Teardown } from './cloud/teardown.js';

export { DEFAULT_PORT, DEFAULT_REPLICATION_DELAY_MS, LOCAL_CREDENTIALS, type CloudInfo, type FaultRequest, type LocalCloudOptions } from './cloud/options.js';
export { signToken, type TokenClaims } from './cloud/dev-token.js';
export { readyLine, startupScreen } from './cloud/screen.js';
export type { RegionCloud } from './cloud/region.js';
export type { Replication } from './cloud/replication.js';

/** The local cloud; its own fields are those of its first region. */
export interface LocalCloud extends RegionCloud {
  /** Every region, the first one first (one, unless `regions` named several). */
  regions: RegionCloud[];
  /** The replication of the global tables; absent with one region. */
  replication?: Replication;
  /** Everything the template has that does not run locally, one line each. */
  warnings: string[];
  /** The HS256 secret the authorizer verifies tokens with. */
  jwtSecret: string;
  /** A token the local authorizer accepts, for another principal or other rooms. */
  token(claims: Pick<TokenClaims, 'sub' | 'rooms' | 'ttlSeconds'>): string;
  startedInMs: number;
  /** Stops everything it started (and deletes its tables and queues from given services). */
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const settings = cloudSettings(options);
  const teardown = new Teardown(log);
  const several = settings.regions.length > 1;
  try {
    const services = startServiceProcesses(
      {
        host: settings.host,
        dynamodbPort: settings.ports.dynamodb,
        sqsPort: settings.ports.sqs,
        ...(options.services ? { external: options.services } : {}),
        ...(options.persistDir ? { persistDir: options.persistDir } : {}),
      },
      teardown,
    );
    services.catch(() => undefined); // awaited by the regions
    const delays = several ? new ReplicationDelays(settings.replicationDelayMs) : undefined;
    const context = { settings, options, several, services, teardown, log, functionLog: options.functionLog ?? defaultLog };
    // Settled all, so that whatever started is in the teardown when one of them failed.
    const starts = await Promise.allSettled(settings.regions.map((region) => startRegion(context, region, delays?.control(region.region))));
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    const regions = starts.map((start) => (start as PromiseFulfilledResult<StartedRegion>).value);
    const replication = delays ? await startReplication(regions, delays, teardown, log) : undefined;

    const first = regions[0]!.cloud;
    for (const region of regions) {
      if (options.faults) applyFaults(options.faults, region.cloud.faults);
      region.serve();
    }
    const warnings = [...new Set(regions.flatMap((region) => region.warnings))];
    for (const warning of warnings) log(`warning: ${warning}`);
    return {
      ...first,
      regions: regions.map((region) => region.cloud),
      ...(replication ? { replication } : {}),
      warnings,
      jwtSecret: settings.jwtSecret,
      token: (claims) => signToken(settings.jwtSecret, { ...tokenSettings(first.model.parameters), ...claims }).token,
      startedInMs: Math.round(performance.now() - started),
      stop: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run();
    throw error;
  }
}
