import { CreateTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

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

/** A `pk`/`sk` table with a stream, as the template's tables are: answers its stream's ARN. */
export async function createStreamedTable(dynamo: DynamoDBClient, name: string, view: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES'): Promise<string> {
  const created = await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
  return created.TableDescription!.LatestStreamArn!;
}
