import { DescribeStreamCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

export interface ShardInfo {
  shardId: string;
  parentShardId?: string;
  /** A closed shard has an ending sequence number: it gets no new records. */
  closed: boolean;
}

/** Every shard of the stream (DescribeStream, page by page). */
export async function describeShards(streams: DynamoDBStreamsClient, streamArn: string, signal: AbortSignal): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let exclusiveStartShardId: string | undefined;
  do {
    const output = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStartShardId }), { abortSignal: signal });
    for (const shard of output.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId) continue;
      shards.push({
        shardId: shard.ShardId,
        ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
        closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      });
    }
    exclusiveStartShardId = output.StreamDescription?.LastEvaluatedShardId;
  } while (exclusiveStartShardId);
  return shards;
}

type ShardState = 'waiting' | 'reading' | 'done';

/**
 * The shards of a stream and where each stands. A shard is read once its parent is done (or
 * its parent is unknown: trimmed from the stream), so a key's records stay in order across
 * shard splits. At start with LATEST, closed shards are done already: they hold old records.
 */
export class ShardLineage {
  private readonly shards = new Map<string, { info: ShardInfo; state: ShardState; position: 'LATEST' | 'TRIM_HORIZON' }>();
  private first = true;

  constructor(private readonly startingPosition: 'LATEST' | 'TRIM_HORIZON') {}

  /** Adds the shards not seen before; returns how many were new. */
  add(shards: ShardInfo[]): number {
    let added = 0;
    for (const info of shards) {
      if (this.shards.has(info.shardId)) continue;
      added += 1;
      // Shards found after the start are read from their beginning: they are all new records.
      const position = this.first ? this.startingPosition : 'TRIM_HORIZON';
      const state: ShardState = this.first && position === 'LATEST' && info.closed ? 'done' : 'waiting';
      this.shards.set(info.shardId, { info, state, position });
    }
    this.first = false;
    return added;
  }

  /** Shards that can be read now; they are marked as being read. */
  takeReady(): Array<{ shardId: string; position: 'LATEST' | 'TRIM_HORIZON' }> {
    const ready: Array<{ shardId: string; position: 'LATEST' | 'TRIM_HORIZON' }> = [];
    for (const [shardId, shard] of this.shards) {
      if (shard.state !== 'waiting') continue;
      const parent = shard.info.parentShardId ? this.shards.get(shard.info.parentShardId) : undefined;
      if (parent && parent.state !== 'done') continue;
      shard.state = 'reading';
      ready.push({ shardId, position: shard.position });
    }
    return ready;
  }

  finish(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard) shard.state = 'done';
  }
}
