/** `roomcast publish <room> <json|->`: one message, SigV4-signed, with an idempotency id. */
import { HELP_OPTION, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { parseJsonInput } from './json-input.js';
import { publisherOf, resolveTarget } from './target.js';
import { TARGET_OPTIONS, TARGET_USAGE, targetRequest, type TargetRequest } from './target-options.js';

const USAGE = `usage: roomcast publish <room> <json|-> [--id ID] [where]

Publishes one message to a room and prints {"room","id","pos"}. The message is one JSON
value: the argument, or stdin with "-". Retried on throttling and server errors with the
same id, so it is stored and delivered once.

  --id ID                     idempotency id (default: a random UUID); the same id again
                              answers the same pos and delivers nothing again
${TARGET_USAGE}
examples:
  roomcast publish lobby '{"text":"hello"}'
  echo '{"home":2,"away":1}' | roomcast publish scores:1 - --id goal-77
  roomcast publish scores:1 '"kick-off"' --stack roomcast --region eu-west-1

exit: 0 published, 1 not published (the error is printed), 2 wrong command line, 130
stopped by Ctrl-C (the message may or may not be stored: publish again with the same --id)
`;

const OPTIONS = { ...HELP_OPTION, ...TARGET_OPTIONS, id: { type: 'string' } } as const;

export interface PublishArgs {
  room: string;
  /** The parsed message; undefined: read it from stdin. */
  message: { data: unknown } | undefined;
  id?: string;
  target: TargetRequest;
}

export const publishCommand: Command<PublishArgs> = {
  name: 'publish',
  usage: USAGE,
  parse(argv, env) {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, { names: ['room', 'json|-'] });
    const [room = '', json = ''] = positionals;
    return {
      room,
      message: json === '-' ? undefined : { data: parseJsonInput(json, 'argument') },
      ...(values.id === undefined ? {} : { id: values.id }),
      target: targetRequest(values, 'publish', env),
    };
  },
  async run(args, context) {
    const data = args.message ? args.message.data : parseJsonInput(await context.readStdin(), 'stdin');
    const publisher = publisherOf(await resolveTarget(args.target, context));
    const { room, id, pos } = await publisher.publish(args.room, data, { ...(args.id === undefined ? {} : { id: args.id }), signal: context.signal });
    context.out(JSON.stringify({ room, id, pos }));
  },
};

export const main = (argv: string[]): Promise<never> => runMain(publishCommand, argv);
