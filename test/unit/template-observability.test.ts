/**
 * The dashboard and alarms of template.yaml against what the core emits: every metric
 * of the telemetry port is on the dashboard, every alarm the runbook (docs/operations.md)
 * describes exists with its metric and its threshold parameter, and each notifies the
 * optional topic.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTemplateText, type Json } from '../../local/template/index.js';

type Obj = { [key: string]: Json };
const file = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

const template = parseTemplateText(readFileSync(file('template.yaml'), 'utf8'), 'template.yaml');
const resources = template.Resources as Record<string, Obj>;
const parameters = template.Parameters as Record<string, Obj>;
const conditions = template.Conditions as Record<string, Json>;
const props = (logicalId: string): Obj => {
  expect(resources[logicalId], `${logicalId} in template.yaml`).toBeDefined();
  return resources[logicalId]!.Properties as Obj;
};
const ofType = (type: string): string[] => Object.keys(resources).filter((id) => resources[id]!.Type === type);

/** The metric names of the telemetry port (layers/core/src/app/ports.ts). */
function coreMetricNames(): { counts: string[]; latencies: string[] } {
  const source = readFileSync(file('layers/core/src/app/ports.ts'), 'utf8');
  const union = (name: string): string[] => {
    const body = new RegExp(`export type ${name} =([^;]+);`).exec(source)?.[1] ?? '';
    return [...body.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/'([A-Za-z]+)'/g)].map((match) => match[1]!);
  };
  return { counts: union('StageCount'), latencies: union('Latency') };
}

// ------------------------------------------------------------ the dashboard, rendered

type Row = Json[];

/** `Fn::Sub` text with every `${...}` made concrete: `<Name>` for resources and attributes, defaults for parameters. */
function substitute(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
    if (name in variables) return variables[name]!;
    if (name === 'AWS::StackName') return 'st';
    if (name === 'AWS::Region') return 'eu-west-1';
    if (name.startsWith('AWS::')) return `<${name}>`;
    if (name in parameters) return String(parameters[name]!.Default);
    const logicalId = name.split('.')[0]!;
    expect(resources[logicalId], `\${${name}} names a parameter or a resource`).toBeDefined();
    return `<${name}>`;
  });
}

/** One branch of a dashboard variable's `Fn::If`: a text, a `Fn::Sub`, or a `Ref` (rendered like `${...}`). */
type Branch = string | { 'Fn::Sub': string } | { Ref: string };
const render = (branch: Branch): string =>
  typeof branch === 'string' ? branch : 'Fn::Sub' in branch ? substitute(branch['Fn::Sub'], {}) : substitute(`\${${branch.Ref}}`, {});

/** The dashboard's JSON body with the conditions set as given. */
function dashboard(truth: Record<string, boolean>): { widgets: Array<{ type: string; x: number; y: number; width: number; height: number; properties: Obj }> } {
  const [logicalId] = ofType('AWS::CloudWatch::Dashboard');
  const sub = props(logicalId!).DashboardBody as { 'Fn::Sub': [string, Record<string, { 'Fn::If': [string, Branch, Branch] }>] };
  const [text, ifs] = sub['Fn::Sub'];
  const variables = Object.fromEntries(
    Object.entries(ifs).map(([name, value]) => {
      const [condition, whenTrue, whenFalse] = value['Fn::If'];
      expect(truth, `condition ${condition}`).toHaveProperty(condition);
      return [name, render(truth[condition] ? whenTrue : whenFalse)];
    }),
  );
  return JSON.parse(substitute(text, variables));
}

function metricRows(body: ReturnType<typeof dashboard>): Row[] {
  return body.widgets.flatMap((widget) => ((widget.properties.metrics ?? []) as Row[]).filter((row) => typeof row[0] === 'string'));
}

function expressions(body: ReturnType<typeof dashboard>): string[] {
  return body.widgets.flatMap((widget) =>
    ((widget.properties.metrics ?? []) as Row[]).flatMap((row) => row.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? item.expression : undefined))).filter((e): e is string => typeof e === 'string'),
  );
}

/** `["ns","Metric","Dim","value",...,{options}]` -> its dimensions as an object. */
function dimensions(row: Row): Record<string, Json> {
  const values = row.slice(2).filter((item) => typeof item === 'string') as string[];
  return Object.fromEntries(values.flatMap((item, index) => (index % 2 === 0 ? [[item, values[index + 1]!]] : [])));
}

const options = (row: Row): Obj => (row.find((item) => item && typeof item === 'object' && !Array.isArray(item)) ?? {}) as Obj;

const ALL_ON = { IsJwt: true, CanaryOn: true, CreatesMessagesTable: true };
const ALL_OFF = { IsJwt: false, CanaryOn: false, CreatesMessagesTable: false };

describe('the dashboard', () => {
  const body = dashboard(ALL_ON);
  const rows = metricRows(body);
  const roomcast = rows.filter((row) => row[0] === 'roomcast');

  it('is valid JSON however the conditions fall, its widgets on the 24-column grid', () => {
    for (const truth of [ALL_ON, ALL_OFF, { ...ALL_ON, CanaryOn: false }, { ...ALL_OFF, CanaryOn: true }]) {
      const widgets = dashboard(truth).widgets;
      expect(widgets.length).toBeGreaterThan(10);
      for (const widget of widgets) expect(widget.x + widget.width, String(widget.properties.title)).toBeLessThanOrEqual(24);
    }
  });

  it('shows every metric the core emits, under the dimensions the core writes (service, stack)', () => {
    const { counts, latencies } = coreMetricNames();
    expect(counts).toEqual(expect.arrayContaining(['Published', 'FanoutPlanned', 'Delivered', 'Gone', 'Failed', 'DeadLettered', 'CanaryLost']));
    expect(latencies).toEqual(['DeliveryLatency', 'PublishLatency', 'CanaryRoundTrip']);
    const shown = new Set(roomcast.map((row) => row[1]));
    for (const name of [...counts, ...latencies]) expect(shown, name).toContain(name);
    for (const row of roomcast) expect(dimensions(row), String(row[1])).toEqual({ service: 'roomcast', stack: 'st' });
  });

  it('shows every metric name the core records through the port', () => {
    const { counts, latencies } = coreMetricNames();
    const core = ['app/publish.ts', 'app/plan.ts', 'app/deliver.ts', 'app/connections.ts', 'app/subscriptions.ts', 'app/canary/index.ts']
      .map((name) => readFileSync(file(`layers/core/src/${name}`), 'utf8'))
      .join('\n');
    const recorded = [...core.matchAll(/metrics\.(?:count|latency)\('([A-Za-z]+)'/g)].map((match) => match[1]!);
    expect(recorded.length).toBeGreaterThan(10);
    for (const name of recorded) expect([...counts, ...latencies], name).toContain(name);
  });

  it('puts the stage counts side by side in one graph, and the gap between planned and settled', () => {
    const stages = ['Published', 'FanoutPlanned', 'Delivered', 'Gone', 'Failed', 'DeadLettered'];
    const together = body.widgets.find((widget) => {
      const names = ((widget.properties.metrics ?? []) as Row[]).map((row) => row[1]);
      return stages.every((name) => names.includes(name));
    });
    expect(together, 'one widget with all stage counts').toBeDefined();
    expect(expressions(body)).toEqual(expect.arrayContaining(['FILL(delivered,0)+FILL(gone,0)+FILL(failed,0)+FILL(conflated,0)', 'FILL(planned,0)-settled']));
  });

  it('shows p50 and p99 of both latencies', () => {
    for (const name of ['DeliveryLatency', 'PublishLatency']) {
      const stats = roomcast.filter((row) => row[1] === name).map((row) => options(row).stat);
      expect(stats, name).toEqual(expect.arrayContaining(['p50', 'p99']));
    }
  });

  it('shows the queues, both APIs and the replication latency of the global table', () => {
    const sqs = rows.filter((row) => row[0] === 'AWS/SQS').map((row) => [row[1], dimensions(row).QueueName]);
    expect(sqs).toEqual(
      expect.arrayContaining([
        ['ApproximateNumberOfMessagesVisible', '<DeliveryDLQ.QueueName>'],
        ['ApproximateNumberOfMessagesVisible', '<StreamFailureQueue.QueueName>'],
      ]),
    );
    const api = rows.filter((row) => row[0] === 'AWS/ApiGateway');
    const websocket = api.filter((row) => dimensions(row).ApiId === '<WebSocketApi>');
    for (const row of websocket) expect(dimensions(row).Stage).toBe(String(parameters.Stage!.Default));
    expect(websocket.map((row) => row[1])).toEqual(expect.arrayContaining(['ConnectCount', 'MessageCount', 'ClientError', 'ExecutionError', 'IntegrationError']));
    expect(api.filter((row) => dimensions(row).ApiId === '<HttpApi>').map((row) => row[1])).toEqual(expect.arrayContaining(['4xx', '5xx']));
    expect(expressions(body).some((e) => e.includes('ReplicationLatency') && e.includes('TableName="<MessagesTable>"'))).toBe(true);
    // A stack in a replica region names the table it was given (MessagesTableName, empty by default).
    const replica = dashboard({ ...ALL_ON, CreatesMessagesTable: false });
    expect(expressions(replica).some((e) => e.includes('ReplicationLatency') && e.includes('TableName=""'))).toBe(true);
  });

  it('shows Errors, Throttles and Duration of every function, the conditional ones only when they exist', () => {
    const functions = ofType('AWS::Serverless::Function');
    const lambda = (truth: Record<string, boolean>, metric: string): string[] =>
      metricRows(dashboard(truth))
        .filter((row) => row[0] === 'AWS/Lambda' && row[1] === metric)
        .map((row) => String(dimensions(row).FunctionName));
    for (const metric of ['Errors', 'Throttles', 'Duration']) {
      expect(lambda(ALL_ON, metric).sort(), metric).toEqual(functions.map((id) => `<${id}>`).sort());
      const always = functions.filter((id) => resources[id]!.Condition === undefined);
      expect(lambda(ALL_OFF, metric).sort(), metric).toEqual(always.map((id) => `<${id}>`).sort());
    }
  });
});

// ------------------------------------------------------------ alarms

const alarms = ofType('AWS::CloudWatch::Alarm');
const NOTIFY = { 'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] };

type MetricQuery = { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Metric: Obj; Period: number; Stat: string } };

/** The alarm's metric queries, conditional ones (Fn::If) included with their condition. */
function queries(logicalId: string): Array<MetricQuery & { condition?: string }> {
  return ((props(logicalId).Metrics ?? []) as Json[]).map((item) => {
    const maybeIf = (item as Obj)['Fn::If'] as [string, MetricQuery, Json] | undefined;
    if (maybeIf) {
      expect(maybeIf[2]).toEqual({ Ref: 'AWS::NoValue' });
      return { ...maybeIf[1], condition: maybeIf[0] };
    }
    return item as MetricQuery;
  });
}

const functionNameOf = (query: MetricQuery): string => String(((query.MetricStat?.Metric.Dimensions as Obj[])[0]!.Value as Obj).Ref);

describe('the alarms', () => {
  it('notify AlarmTopicArn, when it is set, on ALARM and on OK', () => {
    expect(parameters.AlarmTopicArn?.Default).toBe('');
    expect(conditions.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] });
    expect(alarms.length).toBeGreaterThanOrEqual(10);
    for (const id of alarms) {
      expect(props(id).AlarmActions, id).toEqual(NOTIFY);
      expect(props(id).OKActions, id).toEqual(NOTIFY);
      expect(props(id).TreatMissingData, id).toBe('notBreaching');
    }
  });

  it('p99 DeliveryLatency over DeliveryLatencyP99AlarmMs in 3 of 5 minutes', () => {
    expect(parameters.DeliveryLatencyP99AlarmMs?.Default).toBe(1000);
    expect(props('DeliveryLatencyAlarm')).toMatchObject({
      Namespace: 'roomcast',
      MetricName: 'DeliveryLatency',
      ExtendedStatistic: 'p99',
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Threshold: { Ref: 'DeliveryLatencyP99AlarmMs' },
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('(Delivered + Gone) / FanoutPlanned under DeliveryRatioAlarm over 5 minutes; no publishes is OK', () => {
    expect(parameters.DeliveryRatioAlarm?.Default).toBe(0.99);
    const alarm = props('DeliveryRatioLowAlarm');
    expect(alarm).toMatchObject({ Threshold: { Ref: 'DeliveryRatioAlarm' }, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    const metrics = queries('DeliveryRatioLowAlarm');
    const byId = Object.fromEntries(metrics.map((query) => [query.Id, query]));
    expect(byId.planned?.MetricStat).toMatchObject({ Metric: { Namespace: 'roomcast', MetricName: 'FanoutPlanned' }, Period: 300, Stat: 'Sum' });
    expect(byId.delivered?.MetricStat).toMatchObject({ Metric: { Namespace: 'roomcast', MetricName: 'Delivered' }, Period: 300, Stat: 'Sum' });
    const returned = metrics.filter((query) => query.ReturnData === true);
    expect(returned).toHaveLength(1);
    // Divided by planned: without FanoutPlanned there is no data point at all.
    expect(returned[0]!.Expression).toMatch(/\/ planned$/);
    // Posts skipped for a newer message of a conflated room are settled too.
    expect(byId.conflated?.MetricStat).toMatchObject({ Metric: { Namespace: 'roomcast', MetricName: 'Conflated' } });
    expect(returned[0]!.Expression).toContain('FILL(conflated, 0)');
  });

  it('a plan queue whose oldest task waits over 30 s', () => {
    expect(props('PlanBacklogAlarm')).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 30, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(props('PlanBacklogAlarm').Dimensions)).toContain('PlanQueue.QueueName');
  });

  it('the delivery DLQ, the plan DLQ and the stream failure queue not empty', () => {
    for (const [id, queue] of [
      ['DeliveryDlqAlarm', 'DeliveryDLQ'],
      ['PlanDlqAlarm', 'PlanDLQ'],
      ['StreamFailureQueueAlarm', 'StreamFailureQueue'],
    ] as const) {
      const alarm = props(id);
      expect(alarm, id).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
      expect(JSON.stringify(alarm.Dimensions), id).toContain(`${queue}.QueueName`);
    }
  });

  it.each(['Errors', 'Throttles'])('Lambda %s of every function over 5 minutes, at most 10 metrics per alarm', (metric) => {
    const mine = alarms.filter((id) => queries(id).some((query) => query.MetricStat?.Metric.Namespace === 'AWS/Lambda' && query.MetricStat.Metric.MetricName === metric));
    expect(mine.length).toBeGreaterThan(0);
    const covered: string[] = [];
    for (const id of mine) {
      const metrics = queries(id);
      expect(metrics.filter((query) => query.MetricStat).length, id).toBeLessThanOrEqual(10);
      expect(metrics.filter((query) => query.ReturnData === true).map((query) => query.Expression), id).toEqual(['SUM(FILL(METRICS(), 0))']);
      expect(props(id), id).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
      for (const query of metrics.filter((item) => item.MetricStat)) {
        expect(query.MetricStat).toMatchObject({ Period: 300, Stat: 'Sum' });
        const fn = functionNameOf(query);
        // A conditional function is only named under its own condition.
        expect(query.condition, fn).toBe(resources[fn]!.Condition as string | undefined);
        covered.push(fn);
      }
    }
    expect(covered.sort()).toEqual(ofType('AWS::Serverless::Function').sort());
  });

  it('5xx answers of the publish API', () => {
    expect(props('PublishApi5xxAlarm')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }], Threshold: 0 });
  });

  it('429s from PostToConnection in 3 of 5 minutes, and the canary losing messages', () => {
    expect(props('PostThrottledAlarm')).toMatchObject({ Namespace: 'roomcast', MetricName: 'Throttled', EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(resources.CanaryLostAlarm?.Condition).toBe('CanaryOn');
    expect(props('CanaryLostAlarm')).toMatchObject({ Namespace: 'roomcast', MetricName: 'CanaryLost', Statistic: 'Sum', Threshold: 0 });
  });
});

describe('docs/operations.md', () => {
  it('has a runbook for every alarm', () => {
    const headings = readFileSync(file('docs/operations.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('### '))
      .flatMap((line) => line.slice(4).split(', '));
    for (const id of alarms) expect(headings, id).toContain(id);
  });
});

describe('the canary', () => {
  it('is off by default: the function and its alarm exist only with CanaryEnabled true', () => {
    expect(parameters.CanaryEnabled).toMatchObject({ Default: 'false', AllowedValues: ['true', 'false'] });
    expect(conditions.CanaryOn).toEqual({ 'Fn::Equals': [{ Ref: 'CanaryEnabled' }, 'true'] });
    for (const id of ['CanaryFunction', 'CanaryLogGroup', 'CanaryLostAlarm']) expect(resources[id]?.Condition, id).toBe('CanaryOn');
  });

  it('runs on CanarySchedule, once per event, from functions/canary', () => {
    expect(parameters.CanarySchedule?.Default).toBe('rate(5 minutes)');
    const fn = props('CanaryFunction');
    expect(fn).toMatchObject({ CodeUri: 'functions/canary/', Handler: 'index.handler', EventInvokeConfig: { MaximumRetryAttempts: 0 } });
    expect(Object.values(fn.Events as Obj)).toEqual([{ Type: 'Schedule', Properties: expect.objectContaining({ Schedule: { Ref: 'CanarySchedule' } }) }]);
  });

  it("gets the stage's URL, what publishOne needs, and the authentication settings", () => {
    const variables = ((props('CanaryFunction').Environment as Obj).Variables ?? {}) as Obj;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining(['CANARY_URL', 'CANARY_MESSAGES', 'CANARY_TIMEOUT_MS', 'CANARY_TOKEN_REF', 'CONNECTIONS_TABLE', 'MESSAGES_TABLE', 'DELIVERY_QUEUE_URL', 'AUTH_MODE', 'JWT_SECRET_REF']),
    );
    expect(variables.CANARY_URL).toEqual({ 'Fn::Sub': 'wss://${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}' });
    const policies = JSON.stringify(props('CanaryFunction').Policies);
    for (const action of ['sqs:SendMessage', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem', 'ssm:GetParameter', 'secretsmanager:GetSecretValue']) {
      expect(policies, action).toContain(action);
    }
  });
});
