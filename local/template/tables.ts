import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { asObject, type TemplateContext } from './context.js';
import { TemplateError, type Json, type JsonObject, type TableModel } from './types.js';

export const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'];

/** Every table, with a CreateTable input for its local name (always on-demand billing). */
export function readTables(ctx: TemplateContext): TableModel[] {
  return ctx.ofType(...TABLE_TYPES).map(({ logicalId, type }) => {
    const path = `Resources.${logicalId}.Properties`;
    const props = asObject(ctx.resolve(ctx.resources.get(logicalId)?.properties, path), path);
    const identity = ctx.identity(logicalId, path);
    const create = type === 'AWS::Serverless::SimpleTable' ? simpleTable(identity.name, props) : table(identity.name, props, path);
    const ttl = asObject(props.TimeToLiveSpecification, `${path}.TimeToLiveSpecification`);
    const declaredName = props.TableName;
    const model: TableModel = { logicalId, type, name: identity.name, arn: String(identity.attributes.Arn), create };
    if (typeof declaredName === 'string') model.declaredName = declaredName;
    if (typeof ttl.AttributeName === 'string' && String(ttl.Enabled ?? true) !== 'false') model.ttlAttribute = ttl.AttributeName;
    if (create.StreamSpecification?.StreamViewType) model.streamViewType = create.StreamSpecification.StreamViewType;
    const replicas = Array.isArray(props.Replicas) ? props.Replicas.length : 0;
    // With several local regions, the local replication plays the replicas' part.
    if (replicas > 1 && !ctx.regionalNames) ctx.warnings.push(`${path}.Replicas: ${replicas} replicas on AWS; locally one table in ${ctx.region} (no replication)`);
    return model;
  });
}

function table(name: string, props: JsonObject, path: string): CreateTableCommandInput {
  const keySchema = keys(props.KeySchema, `${path}.KeySchema`);
  const input: CreateTableCommandInput = {
    TableName: name,
    KeySchema: keySchema,
    AttributeDefinitions: list(props.AttributeDefinitions, `${path}.AttributeDefinitions`).map((item, index) => {
      const def = asObject(item, `${path}.AttributeDefinitions[${index}]`);
      return { AttributeName: String(def.AttributeName), AttributeType: String(def.AttributeType) } as AttributeDefinition;
    }),
    BillingMode: 'PAY_PER_REQUEST',
  };
  const gsis = list(props.GlobalSecondaryIndexes, `${path}.GlobalSecondaryIndexes`);
  if (gsis.length > 0) input.GlobalSecondaryIndexes = gsis.map((item, index) => index_(item, `${path}.GlobalSecondaryIndexes[${index}]`) as GlobalSecondaryIndex);
  const lsis = list(props.LocalSecondaryIndexes, `${path}.LocalSecondaryIndexes`);
  if (lsis.length > 0) input.LocalSecondaryIndexes = lsis.map((item, index) => index_(item, `${path}.LocalSecondaryIndexes[${index}]`) as LocalSecondaryIndex);
  // AWS::DynamoDB::Table: StreamSpecification.StreamViewType; GlobalTable: the same key at top level.
  const stream = asObject(props.StreamSpecification, `${path}.StreamSpecification`);
  if (typeof stream.StreamViewType === 'string' && String(stream.StreamEnabled ?? true) !== 'false') {
    input.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType as StreamViewType };
  }
  return input;
}

/** AWS::Serverless::SimpleTable: a hash key only (default `id` of type String). */
function simpleTable(name: string, props: JsonObject): CreateTableCommandInput {
  const primary = asObject(props.PrimaryKey, 'PrimaryKey');
  const attribute = typeof primary.Name === 'string' ? primary.Name : 'id';
  const kind = String(primary.Type ?? 'String');
  const attributeType = kind === 'Number' ? 'N' : kind === 'Binary' ? 'B' : 'S';
  return {
    TableName: name,
    KeySchema: [{ AttributeName: attribute, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: attribute, AttributeType: attributeType }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

function index_(item: Json, path: string): GlobalSecondaryIndex {
  const def = asObject(item, path);
  const projection = asObject(def.Projection, `${path}.Projection`);
  const out: Projection = { ProjectionType: (projection.ProjectionType as Projection['ProjectionType']) ?? 'ALL' };
  const nonKey = list(projection.NonKeyAttributes, `${path}.Projection.NonKeyAttributes`);
  if (nonKey.length > 0) out.NonKeyAttributes = nonKey.map(String);
  return { IndexName: String(def.IndexName), KeySchema: keys(def.KeySchema, `${path}.KeySchema`), Projection: out };
}

function keys(value: Json | undefined, path: string): KeySchemaElement[] {
  const items = list(value, path);
  if (items.length === 0) throw new TemplateError(`${path}: a table needs a KeySchema`);
  return items.map((item, index) => {
    const key = asObject(item, `${path}[${index}]`);
    return { AttributeName: String(key.AttributeName), KeyType: String(key.KeyType) as KeySchemaElement['KeyType'] };
  });
}

function list(value: Json | undefined, path: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TemplateError(`${path}: expected a list`);
  return value;
}
