/**
 * What the connections table holds, read with a Scan: the rows of one connection (its
 * `conn` row and its subscription rows) or the count of every row. For tests and load
 * scenarios that check what is left behind; no test framework needed.
 */
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A row of the connections table: a connection (`sk` "conn") or a subscription (`sk` the connection id). */
export interface ConnectionRow {
  pk: string;
  sk: string;
  /** The TTL attribute, epoch seconds; undefined when the row has none (or not as a Number). */
  expiresAt: number | undefined;
}

export interface TableCounts {
  connections: number;
  subscriptions: number;
}

/** The rows of one connection: its own and its subscriptions'. */
export async function connectionRows(dynamo: DynamoDBClient, table: string, connectionId: string): Promise<ConnectionRow[]> {
  return scan(dynamo, table, {
    FilterExpression: 'pk = :conn OR sk = :id',
    ExpressionAttributeValues: { ':conn': { S: `conn#${connectionId}` }, ':id': { S: connectionId } },
  });
}

/**
 * The connections' rows and their subscription rows. A room's own rows (its shape, each
 * partition's count, a conflated room's planned positions, its principals' counts) stay
 * when its subscribers go, and are not counted.
 */
export async function countRows(dynamo: DynamoDBClient, table: string): Promise<TableCounts> {
  const rows = await scan(dynamo, table, {});
  const connections = rows.filter((row) => row.sk === 'conn').length;
  return { connections, subscriptions: rows.filter(isSubscription).length };
}

function isSubscription(row: ConnectionRow): boolean {
  return row.pk.startsWith('room#') && !row.sk.startsWith('#') && row.sk !== 'shape' && !row.sk.startsWith('planned#') && !row.sk.startsWith('p#');
}

async function scan(dynamo: DynamoDBClient, table: string, filter: { FilterExpression?: string; ExpressionAttributeValues?: Record<string, AttributeValue> }): Promise<ConnectionRow[]> {
  const rows: ConnectionRow[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ProjectionExpression: 'pk, sk, expiresAt', ExclusiveStartKey: start, ...filter }));
    for (const item of page.Items ?? []) {
      const expiresAt = item.expiresAt?.N === undefined ? undefined : Number(item.expiresAt.N);
      rows.push({ pk: item.pk!.S!, sk: item.sk!.S!, expiresAt });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}
