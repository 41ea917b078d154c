import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { PlannedPositionsPort } from '../app/ports.js';

/**
 * How far each segment of a conflated room has been planned (model/conflation.ts), in the
 * connections table: pk = "room#<room>", sk = "planned#<segment>", pos. Planners raise it
 * once a segment's jobs are enqueued; deliver reads it, trusting what it read for
 * `cacheMs`: a stale value only means a post that conflation could have skipped is made.
 */
export class PlannedPositions implements PlannedPositionsPort {
  private readonly cached = new Map<string, { pos: string | undefined; readAt: number }>();

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record that `segment` of `room` is planned up to `pos`; an older position never overwrites a newer one. */
  async mark(room: string, segment: string, pos: string): Promise<void> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(room, segment),
          UpdateExpression: 'SET pos = :pos',
          ConditionExpression: 'attribute_not_exists(pos) OR pos < :pos',
          ExpressionAttributeValues: { ':pos': pos },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The latest position `segment` of `room` is planned up to, as far as this instance knows. */
  async latest(room: string, segment: string): Promise<string | undefined> {
    const id = `${room}\n${segment}`;
    const hit = this.cached.get(id);
    if (hit && this.now() - hit.readAt < this.cacheMs) return hit.pos;
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: key(room, segment) }));
    const pos = typeof Item?.pos === 'string' ? Item.pos : undefined;
    if (this.cached.size >= 10_000) this.cached.delete(this.cached.keys().next().value!);
    this.cached.set(id, { pos, readAt: this.now() });
    return pos;
  }
}

function key(room: string, segment: string): { pk: string; sk: string } {
  return { pk: `room#${room}`, sk: `planned#${segment}` };
}
