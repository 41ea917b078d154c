/** `roomcast tail <room...>`: subscribe with a snapshot and print every message, one JSON line each. */
import { HELP_OPTION, integerOption, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { watch } from './tail-watch.js';
import { resolveTarget } from './target.js';
import { TARGET_OPTIONS, TARGET_USAGE, targetRequest, type TargetRequest } from './target-options.js';

const USAGE = `usage: roomcast tail <room...> [--snapshot N] [--count N] [--token JWT] [where]

Subscribes to the rooms over one WebSocket and prints each message as one JSON line,
{"room","id","pos","ts","data"}: first a snapshot of recent history, then live messages,
in order per room, each once. Runs until Ctrl-C (or --count). Lost connections are
resumed from the last message printed, so nothing is missed; stderr says so.

  --snapshot N                recent messages per room first (default: the stage's
                              SnapshotDefault, 20); 0: only new messages
  --count N                   exit after N messages (snapshot messages count)
  --token JWT                 the token for ?token= (default: the local cloud's dev token;
                              for a deployed stack, e.g. from roomcast token --secret)
${TARGET_USAGE}
examples:
  roomcast tail lobby
  roomcast tail scores:1 scores:2 --snapshot 0 --count 1
  roomcast tail scores:1 --stack roomcast --token "$(roomcast token --sub me --rooms 'scores:*' --secret "$SECRET")"

exit: 0 Ctrl-C or --count reached, 1 the subscription failed for good (refused token or
room, ...), 2 wrong command line
`;

const OPTIONS = {
  ...HELP_OPTION,
  ...TARGET_OPTIONS,
  snapshot: { type: 'string' },
  count: { type: 'string' },
  token: { type: 'string' },
} as const;

export interface TailArgs {
  rooms: string[];
  snapshot: number | true;
  count?: number;
  token?: string;
  target: TargetRequest;
}

export const tailCommand: Command<TailArgs> = {
  name: 'tail',
  usage: USAGE,
  parse(argv, env) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { names: ['room'], variadic: true });
    const count = integerOption(values.count, 'count', 1);
    return {
      rooms: [...new Set(positionals)],
      snapshot: integerOption(values.snapshot, 'snapshot', 0) ?? true,
      ...(count === undefined ? {} : { count }),
      ...(values.token === undefined ? {} : { token: values.token }),
      target: targetRequest(values, 'socket', env),
    };
  },
  async run({ rooms, snapshot, count, token, target }, context) {
    const { wsUrl, getToken } = await resolveTarget(target, context);
    // A token given on the command line wins over the local cloud's dev token.
    const auth = token !== undefined ? { token } : getToken ? { getToken } : {};
    await watch({ url: wsUrl, rooms, snapshot, ...(count === undefined ? {} : { count }), ...auth }, context);
  },
};

export const main = (argv: string[]): Promise<never> => runMain(tailCommand, argv);
