/** `roomcast occupancy <room...>`: each room's subscribed connections and principals, one JSON line each. */
import { roomNameProblem } from '@roomcast/core/rules';
import { HELP_OPTION, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { UsageError } from './errors.js';
import { publisherOf, resolveTarget } from './target.js';
import { TARGET_OPTIONS, TARGET_USAGE, targetRequest, type TargetRequest } from './target-options.js';

const USAGE = `usage: roomcast occupancy <room...> [where]

Prints each room's occupancy, one JSON line per room in the order given (a room given
twice is printed once): {"room","connections","principals","regions"}. connections:
the connections subscribed to the room; principals: their distinct token subjects;
regions: each region's own {"connections","principals","at"}, at being when it read
its counts (ms since the epoch). One room is read with GET /rooms/{room}, several with
POST /occupancy (50 rooms a request).
${TARGET_USAGE}
examples:
  roomcast occupancy lobby
  roomcast occupancy scores:1 scores:2 | jq -c '[.room, .connections, .principals]'
  roomcast occupancy scores:1 --stack roomcast --region eu-west-1

exit: 0 printed, 1 occupancy could not be read, 2 wrong command line (a room name the API
would refuse included), 130 stopped by Ctrl-C
`;

const OPTIONS = { ...HELP_OPTION, ...TARGET_OPTIONS } as const;

export interface OccupancyArgs {
  rooms: string[];
  target: TargetRequest;
}

export const occupancyCommand: Command<OccupancyArgs> = {
  name: 'occupancy',
  usage: USAGE,
  parse(argv, env) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { names: ['room'], variadic: true });
    const rooms = [...new Set(positionals)];
    for (const room of rooms) {
      const problem = roomNameProblem(room);
      if (problem) throw new UsageError(`${JSON.stringify(room)}: ${problem}`);
    }
    return { rooms, target: targetRequest(values, 'publish', env) };
  },
  async run({ rooms, target }, context) {
    const publisher = publisherOf(await resolveTarget(target, context));
    const [only] = rooms;
    const answers = rooms.length === 1 && only !== undefined ? [await publisher.occupancy(only, { signal: context.signal })] : await publisher.occupancyOf(rooms, { signal: context.signal });
    for (const { room, connections, principals, regions } of answers) context.out(JSON.stringify({ room, connections, principals, regions }));
  },
};

export const main = (argv: string[]): Promise<never> => runMain(occupancyCommand, argv);
