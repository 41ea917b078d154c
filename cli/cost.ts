/** `roomcast cost`: the monthly AWS bill of a traffic profile, or (`--makespan`) how long a fan-out takes. */
import { MODEL_INPUTS, modelInputs, type ModelInputs } from '../bench/assumptions.js';
import { MINUTES_PER_MONTH, monthlyCost, type Profile } from '../bench/cost-model.js';
import { makespanRows } from '../bench/makespan-inputs.js';
import { PRICES_TAKEN } from '../bench/prices.js';
import { templateFacts, type TemplateFacts } from '../bench/template-facts.js';
import { LIFETIME_MINUTES } from '../bench/usage.js';
import { HELP_OPTION, integerOption, numberOption, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { UsageError } from './errors.js';
import { costTable, inputsTable, makespanTable } from './cost-table.js';

const MAKESPAN_SIZES = [10_000, 100_000, 1_000_000];

const USAGE = `usage: roomcast cost [profile] [--json]
       roomcast cost --makespan [--subscribers N] [--deliver-memory MB] [--max-concurrency N] [--other-rps N] [--json]

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

--makespan: the time from a publish until every subscriber has been posted the message, for
rooms of --subscribers (default ${MAKESPAN_SIZES.join(', ')}), against the minimum the account's
API Gateway quota allows, with planning at assumed AWS latencies and at the rate measured locally:
  --deliver-memory MB         the deliver function's memory (default: the template's)
  --max-concurrency N         the SQS event source's MaximumConcurrency (default: the template's)
  --other-rps N               requests per second other traffic takes from the quota (default 0)

  --json                      one JSON object instead of tables

examples:
  roomcast cost --connections 50000 --hours-per-day 2 --publishes-per-second 5 --subscribers 2000
  roomcast cost --makespan --deliver-memory 1769

exit: 0 printed, 2 wrong command line
`;

const OPTIONS = {
  ...HELP_OPTION,
  connections: { type: 'string' },
  'hours-per-day': { type: 'string' },
  'minutes-per-month': { type: 'string' },
  'publishes-per-second': { type: 'string' },
  subscribers: { type: 'string' },
  'message-bytes': { type: 'string' },
  rooms: { type: 'string' },
  snapshot: { type: 'string' },
  'lifetime-minutes': { type: 'string' },
  makespan: { type: 'boolean' },
  'deliver-memory': { type: 'string' },
  'max-concurrency': { type: 'string' },
  'other-rps': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export type CostArgs = { json: boolean; facts: TemplateFacts; inputs: ModelInputs } & (
  | { kind: 'bill'; profile: Profile }
  | { kind: 'makespan'; sizes: number[]; otherRequestsPerSecond: number }
);

const PROFILE_FLAGS = ['connections', 'hours-per-day', 'minutes-per-month', 'publishes-per-second', 'message-bytes', 'rooms', 'snapshot', 'lifetime-minutes'] as const;
const MAKESPAN_FLAGS = ['deliver-memory', 'max-concurrency', 'other-rps'] as const;

export const costCommand: Command<CostArgs> = {
  name: 'cost',
  usage: USAGE,
  parse(argv) {
    const { values } = parseCommandLine(argv, OPTIONS, { names: [] });
    const json = values.json ?? false;
    const subscribers = integerOption(values.subscribers, 'subscribers', 1, 100_000_000);
    const facts = templateFacts();
    const inputs = modelInputs();
    if (values.makespan) {
      const misplaced = PROFILE_FLAGS.find((flag) => values[flag] !== undefined);
      if (misplaced) throw new UsageError(`--${misplaced} is a profile option: it does not go with --makespan`);
      facts.memoryMb.deliver = integerOption(values['deliver-memory'], 'deliver-memory', 128, 10_240) ?? facts.memoryMb.deliver;
      facts.maxConcurrency = integerOption(values['max-concurrency'], 'max-concurrency', 2, 1000) ?? facts.maxConcurrency;
      const otherRequestsPerSecond = numberOption(values['other-rps'], 'other-rps', 0, 9_999) ?? 0;
      return { kind: 'makespan', json, facts, inputs, sizes: subscribers === undefined ? MAKESPAN_SIZES : [subscribers], otherRequestsPerSecond };
    }
    const misplaced = MAKESPAN_FLAGS.find((flag) => values[flag] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} goes with --makespan`);
    return { kind: 'bill', json, facts, inputs, profile: profileOf(values, subscribers, facts) };
  },
  async run(args, context) {
    const setup = { facts: args.facts, inputs: args.inputs };
    if (args.kind === 'makespan') {
      const rows = makespanRows(args.sizes, setup, { otherRequestsPerSecond: args.otherRequestsPerSecond });
      if (args.json) return context.out(JSON.stringify({ makespan: rows, facts: args.facts, inputs: args.inputs }));
      for (const row of [...makespanTable(rows), '', 'model inputs:', ...inputsTable(args.inputs)]) context.out(row);
      return;
    }
    const cost = monthlyCost(args.profile, setup);
    for (const warning of cost.warnings) context.note(warning);
    if (args.json) return context.out(JSON.stringify({ ...cost, facts: args.facts, inputs: args.inputs, inputKinds: kinds() }));
    for (const row of [...costTable(cost), '', 'Lambda durations from these model inputs:', ...inputsTable(args.inputs)]) context.out(row);
  },
};

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

const kinds = (): Record<string, string> => Object.fromEntries(Object.entries(MODEL_INPUTS).map(([name, input]) => [name, input.kind]));

export const main = (argv: string[]): Promise<never> => runMain(costCommand, argv);
