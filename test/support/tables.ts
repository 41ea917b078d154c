import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Every item of a table as canonical JSON (keys sorted), in a stable order: to compare a table before and after. */
export async function dumpTable(dynamo: DynamoDBClient, table: string): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start as never }));
    items.push(...(page.Items ?? []).map(canonical));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
}
