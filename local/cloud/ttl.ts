/** Time to Live in the local cloud: one sweeper per region over the tables whose template enables TTL. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CreatedTable } from '../services/index.js';
import type { TableModel } from '../template/index.js';
import { startTtlSweeper, type TtlSweeper, type TtlTable } from '../ttl/index.js';
import { PHASE, type Teardown } from './teardown.js';

/** How often expired items are deleted when no interval is given. */
export const DEFAULT_TTL_INTERVAL_MS = 60_000;

/** The created tables that have a TTL attribute, with their keys. */
export function ttlTables(models: TableModel[], created: Record<string, CreatedTable>): TtlTable[] {
  return models.flatMap((model) => {
    const table = created[model.logicalId];
    if (!table || !model.ttlAttribute) return [];
    return [{ name: table.name, keys: (model.create.KeySchema ?? []).map((key) => key.AttributeName!), attribute: model.ttlAttribute }];
  });
}

export function startTtl(dynamo: DynamoDBClient, tables: TtlTable[], intervalMs: number, teardown: Teardown, log: (line: string) => void): TtlSweeper {
  const sweeper = startTtlSweeper({ dynamo, tables, intervalMs, log });
  teardown.add('the TTL sweeper', PHASE.eventSources, () => sweeper.stop());
  return sweeper;
}
