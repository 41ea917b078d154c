import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readyLine, startupScreen, type CloudInfo } from '../../local/cloud.js';
import { withReplicaStreams } from '../../local/cloud/replication.js';
import { cloudSettings } from '../../local/cloud/settings.js';
import { readTemplateFile, type TableModel } from '../../local/template/index.js';

const TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));
const settings = (options: Parameters<typeof cloudSettings>[0]) => cloudSettings({ template: TEMPLATE, samconfig: false, jwtSecret: 'x', ...options });

describe('several regions', () => {
  it('take a block of five ports each, from the first port, and share the services', () => {
    const { regions, read, ports } = settings({ port: 4600, regions: ['eu-west-1', 'us-east-1'] });
    expect(read.region).toBe('eu-west-1');
    expect(ports).toEqual({ gateway: 4600, http: 4601, console: 4602, dynamodb: 4603, sqs: 4604 });
    expect(regions).toEqual([
      { region: 'eu-west-1', ports },
      { region: 'us-east-1', ports: { gateway: 4605, http: 4606, console: 4607, dynamodb: 4603, sqs: 4604 } },
    ]);
    expect(settings({ port: 0, regions: ['eu-west-1', 'us-east-1'] }).regions[1]!.ports).toEqual({ gateway: 0, http: 0, console: 0, dynamodb: 0, sqs: 0 });
    expect(settings({ region: 'ap-south-1' }).regions.map((region) => region.region)).toEqual(['ap-south-1']);
    expect(() => settings({ regions: [] })).toThrow('name at least one region');
    expect(() => settings({ regions: ['eu-west-1', 'moon'] })).toThrow('"moon" is not a region name');
  });

  it("put the region in the names of tables and queues, not in the functions'", () => {
    const model = readTemplateFile(TEMPLATE, { stackName: 'rc', region: 'us-east-1', regionalNames: true });
    expect(model.tables.find((table) => table.logicalId === 'MessagesTable')!.name).toBe('rc-us-east-1-MessagesTable');
    expect(model.tables.every((table) => table.name === `rc-us-east-1-${table.logicalId}`)).toBe(true);
    expect(model.queues.every((queue) => queue.name === `rc-us-east-1-${queue.logicalId}`)).toBe(true);
    expect(model.functions.every((fn) => !fn.name.includes('us-east-1'))).toBe(true);
    expect(model.warnings.some((warning) => warning.includes('Replicas'))).toBe(false);
    const single = readTemplateFile(TEMPLATE, { stackName: 'rc', region: 'us-east-1', parameters: { ReplicaRegions: 'eu-west-1' } });
    expect(single.tables.find((table) => table.logicalId === 'MessagesTable')!.name).toBe('rc-MessagesTable');
    expect(single.warnings.some((warning) => warning.includes('Replicas'))).toBe(true);
  });

  it("create the messages table with its local secondary index, and its stream as declared (it has the new images)", () => {
    const model = readTemplateFile(TEMPLATE, { regionalNames: true });
    const messages = model.tables.find((table) => table.logicalId === 'MessagesTable')!;
    expect(messages.type).toBe('AWS::DynamoDB::GlobalTable');
    expect(messages.create.LocalSecondaryIndexes?.map((index) => [index.IndexName, index.KeySchema?.map((key) => key.AttributeName)])).toEqual([['byOrigin', ['pk', 'opos']]]);
    expect(withReplicaStreams(model.tables)).toEqual(model.tables);
  });

  it('give a global table without new images in its stream a stream that has them; other tables stay as declared', () => {
    const table = (type: string, view?: string): TableModel => ({
      logicalId: 'T',
      type,
      name: 't',
      arn: 'arn',
      create: { TableName: 't', ...(view ? { StreamSpecification: { StreamEnabled: true, StreamViewType: view as 'KEYS_ONLY' } } : {}) },
      ...(view ? { streamViewType: view } : {}),
    });
    const [keysOnly, none, regional] = withReplicaStreams([table('AWS::DynamoDB::GlobalTable', 'KEYS_ONLY'), table('AWS::DynamoDB::GlobalTable'), table('AWS::DynamoDB::Table', 'KEYS_ONLY')]);
    expect(keysOnly!.create.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(keysOnly!.streamViewType).toBe('KEYS_ONLY'); // what the functions' mappings see
    expect(none!.create.StreamSpecification?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(regional!.create.StreamSpecification?.StreamViewType).toBe('KEYS_ONLY');
  });

  it('are all in the ready line, and on the start-up screen; one region prints as before', () => {
    const info = (region: string, port: number): CloudInfo =>
      ({ stackName: 'rc', region, wsUrl: `ws://127.0.0.1:${port}/prod`, publishUrl: `http://127.0.0.1:${port + 1}`, consoleUrl: `http://127.0.0.1:${port + 2}`, controlUrl: `http://127.0.0.1:${port + 2}/_roomcast`, token: '', application: { roomcast: true, tables: [], queues: [] } }) as unknown as CloudInfo;
    const [eu, us] = [info('eu-west-1', 4510), info('us-east-1', 4515)];
    expect(readyLine(eu)).toBe(`ready ${JSON.stringify(eu)}`);
    expect(readyLine(eu, [eu])).toBe(`ready ${JSON.stringify(eu)}`);
    expect(JSON.parse(readyLine(eu, [eu, us]).slice(6))).toEqual({ ...eu, regions: [eu, us] });
    expect(startupScreen(eu, 1000)).not.toContain('replicated');
    const screen = startupScreen(eu, 1000, [eu, us]);
    expect(screen).toContain('in eu-west-1, us-east-1');
    expect(screen).toContain('ws://127.0.0.1:4515/prod');
    expect(screen).toContain('region us-east-1');
  });
});
