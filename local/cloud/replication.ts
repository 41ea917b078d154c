/** The replication of the template's global tables between the regions of a local cloud. */
import type { TableModel } from '../template/index.js';
import { ReplicationDelays, startReplicator, type ReplicatorStats } from '../replication/index.js';
import type { StartedRegion } from './region.js';
import { PHASE, type Teardown } from './teardown.js';

/** What a local cloud of several regions offers of its replication. */
export interface Replication {
  /** Each region's delay (also set through its control endpoint: `replicationDelayMs`). */
  delays: ReplicationDelays;
  stats(): ReplicatorStats;
}

const GLOBAL_TABLE = 'AWS::DynamoDB::GlobalTable';

/**
 * The tables as they are created when several regions run: a global table's local stream
 * shows new images (the replicator writes them), whatever the template declares; the
 * functions' mappings still see the declared view.
 */
export function withReplicaStreams(tables: TableModel[]): TableModel[] {
  return tables.map((table) => {
    const view = table.create.StreamSpecification?.StreamViewType;
    if (table.type !== GLOBAL_TABLE || view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') return table;
    return { ...table, create: { ...table.create, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } };
  });
}

/** Starts replicating the global tables between the regions; resolves once every stream is read. */
export async function startReplication(regions: StartedRegion[], delays: ReplicationDelays, teardown: Teardown, log: (line: string) => void): Promise<Replication> {
  const tables = regions[0]?.cloud.model.tables.filter((table) => table.type === GLOBAL_TABLE).map((table) => table.logicalId) ?? [];
  const replicator = startReplicator({
    regions: regions.map(({ cloud, clients, tables: created }) => ({ region: cloud.region, dynamo: clients.dynamo, streams: clients.streams, tables: created })),
    tables,
    delays,
    log: (line) => log(`[replication] ${line}`),
  });
  teardown.add('the replication', PHASE.eventSources, () => replicator.stop());
  await replicator.ready;
  return { delays, stats: () => replicator.stats() };
}
