/** `roomcast cost`: the monthly AWS bill of a traffic profile, or (`--makespan`) how long a fan-out takes. */
import { MODEL_INPUTS, modelInputs, type ModelInputs } from '../models/assumptions.js';
import { MINUTES_PER_MONTH, monthlyCost, type Profile } from '../models/cost-model.js';
import { MAX_CONCURRENCY_RANGE, makespanRows, type MakespanOptions } from '../models/makespan-inputs.js';
import { AWS_LIMITS } from '../models/aws-limits.js';
import { PRICES_TAKEN } from '../models/prices.js';
import { templateFacts, type TemplateFacts } from '../models/template-facts.js';
import { LIFETIME_MINUTES } from '../models/usage.js';
import { HELP_OPTION, integerOption, numberOption, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { UsageError } from './errors.js';
import { costTable, inputsTable, makespanTable } from './cost-table.js';

const MAKESPAN_SIZES = [100_000, 1_000_000, 5_000_000];
/** PostQuotaPerSecond's range in template.yaml (0, no pacing, is not a quota to model). */
const QUOTA_RANGE = { min: 1, max: 10_000_000 } as const;

const USAGE = `usage: roomcast cost [profile] [--json]
       roomcast cost --makespan [--quota N[,N...]] [--subscribers N[,N...]] [--max-concurrency N] [--deliver-memory MB]
                     [--other-rps N] [--warm | --provisioned [--min-pollers N]] [--json]

The monthly AWS bill of a traffic profile by component (API Gateway, Lambda, SQS, DynamoDB,
data transfer), at us-east-1 on-demand prices taken ${PRICES_TAKEN}, with the template's
memory sizes and delivery settings; its floor (the API Gateway message each subscriber gets
per publish); and AWS AppSync Events' price for the same traffic. Nothing is contacted.

profile:
  --connections N             clients, one connection each while connected (default 10000)
  --hours-per-day H           hours each client is connected a day (default 24), or
  --minutes-per-month M       connected minutes of each client in a month (30 days)
  --publishes-per-second P    publishes, all rooms together (default 1)
  --subscribers N             subscribers per room: posts per publish (default 1000)
  --message-bytes B           bytes of a message's data, as JSON (default 512)
  --rooms N                   rooms each connection subscribes to (default 1)
  --snapshot N                messages of each room's snapshot per subscribe (default: the
                              template's SnapshotDefault)
  --lifetime-minutes M        how long a connection lasts before the client opens a new one
                              (default ${LIFETIME_MINUTES}: the client SDK renews it every 100 to 115 minutes)

--makespan: the time from a publish until every subscriber has been posted the message,
planning included (the publish, then planner invocations through the plan queue), against
the minimum the quota allows (subscribers / quota), with planning at assumed AWS latencies
and at the rate measured locally; deliver instances paced at quota / DeliveryMaxConcurrency:
  --quota N[,N...]            the account's API Gateway requests per second, PostQuotaPerSecond
                              set to it (default: the template's PostQuotaPerSecond); repeatable
  --subscribers N[,N...]      room sizes (default ${MAKESPAN_SIZES.join(',')}); repeatable
  --max-concurrency N         DeliveryMaxConcurrency (default: the one suggested for each quota,
                              enough instances at 1/1.25 of their own rate)
  --deliver-memory MB         the deliver function's memory (default: the template's)
  --other-rps N               requests per second other traffic takes from the quota (default 0)
  --warm                      the deliver event source already runs at DeliveryMaxConcurrency
                              (scaled up by recent fan-outs): no ramp
  --provisioned               the deliver event source in provisioned mode (DeliveryMinimumPollers
                              above 0): the pollers that run the concurrency above (10 invocations
                              each), all ready; 1,000 more invocations a minute beyond them
  --min-pollers N             with --provisioned: only N pollers ready (2 to 200)

  --json                      one JSON object instead of tables

examples:
  roomcast cost --connections 50000 --hours-per-day 2 --publishes-per-second 5 --subscribers 2000
  roomcast cost --makespan --quota 10000,50000,100000
  roomcast cost --makespan --quota 100000 --subscribers 1000000 --deliver-memory 1769
  roomcast cost --makespan --quota 10000,50000,100000 --provisioned

exit: 0 printed, 2 wrong command line
`;

const OPTIONS = {
  ...HELP_OPTION,
  connections: { type: 'string' },
  'hours-per-day': { type: 'string' },
  'minutes-per-month': { type: 'string' },
  'publishes-per-second': { type: 'string' },
  subscribers: { type: 'string', multiple: true },
  'message-bytes': { type: 'string' },
  rooms: { type: 'string' },
  snapshot: { type: 'string' },
  'lifetime-minutes': { type: 'string' },
  makespan: { type: 'boolean' },
  'deliver-memory': { type: 'string' },
  'max-concurrency': { type: 'string' },
  'other-rps': { type: 'string' },
  quota: { type: 'string', multiple: true },
  warm: { type: 'boolean' },
  provisioned: { type: 'boolean' },
  'min-pollers': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export type CostArgs = { json: boolean; facts: TemplateFacts; inputs: ModelInputs } & (
  | { kind: 'bill'; profile: Profile }
  | { kind: 'makespan'; sizes: number[]; quotas: number[]; otherRequestsPerSecond: number } & MakespanScaling
);

/** How the deliver event source scales in the model. */
type MakespanScaling = Pick<MakespanOptions, 'maxConcurrency' | 'warm' | 'provisioned' | 'minimumPollers'>;

const PROFILE_FLAGS = ['connections', 'hours-per-day', 'minutes-per-month', 'publishes-per-second', 'message-bytes', 'rooms', 'snapshot', 'lifetime-minutes'] as const;
const MAKESPAN_FLAGS = ['quota', 'deliver-memory', 'max-concurrency', 'other-rps', 'warm', 'provisioned', 'min-pollers'] as const;

export const costCommand: Command<CostArgs> = {
  name: 'cost',
  usage: USAGE,
  parse(argv) {
    const { values } = parseCommandLine(argv, OPTIONS, { names: [] });
    const json = values.json ?? false;
    const facts = templateFacts();
    const inputs = modelInputs();
    if (values.makespan) {
      const misplaced = PROFILE_FLAGS.find((flag) => values[flag] !== undefined);
      if (misplaced) throw new UsageError(`--${misplaced} is a profile option: it does not go with --makespan`);
      facts.memoryMb.deliver = integerOption(values['deliver-memory'], 'deliver-memory', 128, 10_240) ?? facts.memoryMb.deliver;
      const scaling = scalingOf(values);
      const quotas = integerList(values.quota, 'quota', QUOTA_RANGE.min, QUOTA_RANGE.max) ?? [facts.postQuotaPerSecond > 0 ? facts.postQuotaPerSecond : AWS_LIMITS.apiGatewayRequestsPerSecond.value];
      const otherRequestsPerSecond = numberOption(values['other-rps'], 'other-rps', 0, QUOTA_RANGE.max) ?? 0;
      const least = Math.min(...quotas);
      if (otherRequestsPerSecond >= least) throw new UsageError(`--other-rps must be below the quota (${least}): it leaves posts nothing`);
      const sizes = integerList(values.subscribers, 'subscribers', 1, 100_000_000) ?? MAKESPAN_SIZES;
      return { kind: 'makespan', json, facts, inputs, sizes, quotas, otherRequestsPerSecond, ...scaling };
    }
    const misplaced = MAKESPAN_FLAGS.find((flag) => values[flag] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} goes with --makespan`);
    const sizes = integerList(values.subscribers, 'subscribers', 1, 100_000_000);
    if (sizes && sizes.length > 1) throw new UsageError('--subscribers takes one number without --makespan');
    return { kind: 'bill', json, facts, inputs, profile: profileOf(values, sizes?.[0], facts) };
  },
  async run(args, context) {
    const setup = { facts: args.facts, inputs: args.inputs };
    if (args.kind === 'makespan') {
      const { sizes, quotas, otherRequestsPerSecond, maxConcurrency, warm, provisioned, minimumPollers } = args;
      const rows = makespanRows(sizes, setup, { quotas, otherRequestsPerSecond, maxConcurrency, warm, provisioned, minimumPollers });
      if (args.json) return context.out(JSON.stringify({ makespan: rows, facts: args.facts, inputs: args.inputs }));
      for (const row of [...makespanTable(rows, args.facts), '', 'model inputs:', ...inputsTable(args.inputs)]) context.out(row);
      return;
    }
    const cost = monthlyCost(args.profile, setup);
    for (const warning of cost.warnings) context.note(warning);
    if (args.json) return context.out(JSON.stringify({ ...cost, facts: args.facts, inputs: args.inputs, inputKinds: kinds() }));
    for (const row of [...costTable(cost), '', 'Lambda durations from these model inputs:', ...inputsTable(args.inputs)]) context.out(row);
  },
};

function scalingOf(values: { 'max-concurrency'?: string; warm?: boolean; provisioned?: boolean; 'min-pollers'?: string }): MakespanScaling {
  const maxConcurrency = integerOption(values['max-concurrency'], 'max-concurrency', MAX_CONCURRENCY_RANGE.min, MAX_CONCURRENCY_RANGE.max);
  const { minimum, most } = AWS_LIMITS.sqsProvisionedPollers.value;
  const minimumPollers = integerOption(values['min-pollers'], 'min-pollers', minimum, most);
  const provisioned = values.provisioned ?? false;
  if (minimumPollers !== undefined && !provisioned) throw new UsageError('--min-pollers goes with --provisioned');
  if (provisioned && values.warm) throw new UsageError('--warm and --provisioned are two ways to start the deliver event source: give one');
  return { maxConcurrency, warm: values.warm ?? false, provisioned, ...(minimumPollers !== undefined ? { minimumPollers } : {}) };
}

type Values = Partial<Record<(typeof PROFILE_FLAGS)[number], string>>;

function profileOf(values: Values, subscribers: number | undefined, facts: TemplateFacts): Profile {
  const hours = numberOption(values['hours-per-day'], 'hours-per-day', 0, 24);
  const minutes = numberOption(values['minutes-per-month'], 'minutes-per-month', 0, MINUTES_PER_MONTH);
  if (hours !== undefined && minutes !== undefined) throw new UsageError('--hours-per-day and --minutes-per-month say the same thing: give one');
  return {
    connections: integerOption(values.connections, 'connections', 0, 1_000_000_000) ?? 10_000,
    minutesPerConnection: minutes ?? (hours ?? 24) * 60 * (MINUTES_PER_MONTH / (24 * 60)),
    publishesPerSecond: numberOption(values['publishes-per-second'], 'publishes-per-second', 0, 1_000_000) ?? 1,
    subscribersPerRoom: subscribers ?? 1000,
    messageBytes: integerOption(values['message-bytes'], 'message-bytes', 2, 128 * 1024) ?? 512,
    roomsPerConnection: integerOption(values.rooms, 'rooms', 1, 50) ?? 1,
    snapshot: integerOption(values.snapshot, 'snapshot', 0, 1000) ?? facts.snapshotDefault,
    lifetimeMinutes: numberOption(values['lifetime-minutes'], 'lifetime-minutes', 1, 120) ?? LIFETIME_MINUTES,
  };
}

/** Whole numbers separated by commas, from one or more occurrences of the option; undefined when not given. */
function integerList(raws: readonly string[] | undefined, flag: string, min: number, max: number): number[] | undefined {
  if (raws === undefined) return undefined;
  const items = raws.flatMap((raw) => raw.split(',')).map((item) => item.trim());
  if (items.every((item) => item === '')) throw new UsageError(`--${flag} needs at least one number`);
  const values = items.map((item) => {
    if (item === '') throw new UsageError(`--${flag} has an empty item: give numbers separated by single commas, like --${flag} 100000,1000000`);
    return integerOption(item, flag, min, max)!;
  });
  return [...new Set(values)];
}

const kinds = (): Record<string, string> => Object.fromEntries(Object.entries(MODEL_INPUTS).map(([name, input]) => [name, input.kind]));

export const main = (argv: string[]): Promise<never> => runMain(costCommand, argv);
