/** `roomcast history <room>`: a room's retained messages, oldest first, one JSON line each. */
import { HELP_OPTION, integerOption, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { messageLine } from './output.js';
import { publisherOf, resolveTarget } from './target.js';
import { TARGET_OPTIONS, TARGET_USAGE, targetRequest, type TargetRequest } from './target-options.js';

const USAGE = `usage: roomcast history <room> [--since CURSOR] [--limit N] [where]

Prints a room's messages from history, oldest first, one JSON line each:
{"room","id","pos","ts","data"}. Without --since: the latest messages (at most the
stack's HistoryLength). With --since: every retained message after CURSOR, page after page.

  --since CURSOR              the messages after this cursor: a pos printed before, or
                              several, one per region, joined by commas
  --limit N                   print at most N messages (without --since: the latest N)
${TARGET_USAGE}
examples:
  roomcast history lobby
  roomcast history scores:1 --since 0001763719200000.eu-west-1.0000000000000041 --limit 10

exit: 0 printed (also when there is nothing), 1 history could not be read, 2 wrong command
line, 130 stopped by Ctrl-C
`;

const OPTIONS = { ...HELP_OPTION, ...TARGET_OPTIONS, since: { type: 'string' }, limit: { type: 'string' } } as const;

export interface HistoryArgs {
  room: string;
  since?: string;
  limit?: number;
  target: TargetRequest;
}

export const historyCommand: Command<HistoryArgs> = {
  name: 'history',
  usage: USAGE,
  parse(argv, env) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { names: ['room'] });
    const limit = integerOption(values.limit, 'limit', 1);
    return {
      room: positionals[0] ?? '',
      ...(values.since === undefined ? {} : { since: values.since }),
      ...(limit === undefined ? {} : { limit }),
      target: targetRequest(values, 'publish', env),
    };
  },
  async run({ room, since, limit, target }, context) {
    const publisher = publisherOf(await resolveTarget(target, context));
    let after = since;
    let left = limit ?? Number.POSITIVE_INFINITY;
    // Without `since`: the latest `limit` messages, one page. With it: full pages (the
    // stack's HistoryLength, which the CLI does not know) following `next`, cut at `limit`.
    for (;;) {
      const page = await publisher.history(room, {
        ...(after === undefined ? (limit === undefined ? {} : { limit }) : { since: after }),
        signal: context.signal,
      });
      for (const message of page.messages.slice(0, left)) context.out(messageLine({ ...message, room }));
      left -= page.messages.length;
      if (after === undefined || page.next === undefined || left <= 0 || page.messages.length === 0) return;
      after = page.next;
    }
  },
};

export const main = (argv: string[]): Promise<never> => runMain(historyCommand, argv);
