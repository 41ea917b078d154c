/**
 * `roomcast local invoke [FUNCTION] [-e FILE|-]`: `sam local invoke` without Docker. One
 * function of the template runs once on the local cloud's Lambda runtime, against the
 * running local cloud when there is one, else against DynamoDB Local and the SQS emulator
 * started for it (and stopped after). As SAM does: the function's logs and the START, END
 * and REPORT lines on stderr, the result (or the function's error) as JSON on stdout.
 */
import { invokeOnce, parseParameterOverrides, UnknownFunctionError, type CloudInfo } from '@roomcast/local';
import { HELP_OPTION, optionsOf, parseCommandLine, wantsHelp } from './args.js';
import { runMain, type Command } from './command.js';
import { UsageError } from './errors.js';
import { controlUrl, localInfo } from './local-cloud.js';
import { eventSource, readEnvVars, readEvent, type EventSource } from './local-invoke-input.js';
import { LOCAL_PORT_USAGE, localPortOption } from './target-options.js';

const LOCAL_USAGE = `usage: roomcast local <command> [options]

The local cloud's counterparts of \`sam local\` commands, without Docker.

commands:
  invoke      invoke one function once: roomcast local invoke [FUNCTION] -e event.json
`;

const INVOKE_USAGE = `usage: roomcast local invoke [FUNCTION] [options]

Invokes one function of the template once, as \`sam local invoke\` does, on the local cloud's
Lambda runtime (bundled with esbuild, its Timeout, MemorySize and environment from the
template). With a local cloud running (\`npm start\`), the function acts on it: its tables,
queues and @connections. Without one, DynamoDB Local and the SQS emulator are started with
the template's tables and queues for this invocation, and stopped after it.

FUNCTION is a logical id (PublishFunction), a function name or a code folder (publish); it
may be left out when the template has one function.

  -e, --event FILE            the event, a JSON file; "-": read it from stdin (default: {})
  --no-event                  invoke with {} (the default)
  -n, --env-vars FILE         variables in SAM's format: {"Parameters": {"VAR": "value"},
                              "FunctionLogicalId": {"VAR": "value"}}; only variables the
                              template declares for the function are overridden
  --parameter-overrides "K=V K2=V2"
                              template parameters, as \`sam deploy\` takes them
  -t, --template FILE         default template.yaml (samconfig.toml is read next to it)
${LOCAL_PORT_USAGE}
Prints the function's logs and the START, END and REPORT lines on stderr, and the result as
JSON on stdout; a function that throws (or times out) prints {"errorType","errorMessage",
"trace"} on stdout.

examples:
  roomcast local invoke PublishFunction -e events/publish.json
  echo '{"Records":[]}' | roomcast local invoke DeliverFunction -e -
  roomcast local invoke PublishFunction -e events/publish.json --env-vars env.json

exit: 0 invoked (also when the function returned or threw an error), 1 could not invoke
(the services did not start, the build failed), 2 wrong command line or unknown function
`;

const OPTIONS = {
  ...HELP_OPTION,
  ...optionsOf(['parameter-overrides', 'local-port'], ['no-event']),
  event: { type: 'string', short: 'e' },
  'env-vars': { type: 'string', short: 'n' },
  template: { type: 'string', short: 't' },
} as const;

export interface LocalInvokeArgs {
  function?: string;
  event: EventSource;
  envVars?: string;
  parameterOverrides?: Record<string, string>;
  template?: string;
  port: number;
}

export interface Stderr {
  write(text: string): unknown;
}

const PROBE_MS = 1000;

/** The command; `stderr` takes the function's output and SAM's lines as they are. */
export function localInvokeCommand(stderr: Stderr): Command<LocalInvokeArgs> {
  return {
    name: 'local invoke',
    usage: INVOKE_USAGE,
    parse(argv) {
      const { values, positionals } = parseCommandLine(argv, OPTIONS, { names: [], variadic: true });
      if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (one FUNCTION at most)`);
      const overrides = values['parameter-overrides'];
      return {
        ...(positionals[0] === undefined ? {} : { function: positionals[0] }),
        event: eventSource(values.event, values['no-event']),
        ...(values['env-vars'] === undefined ? {} : { envVars: values['env-vars'] }),
        ...(overrides === undefined ? {} : { parameterOverrides: parameterOverrides(overrides) }),
        ...(values.template === undefined ? {} : { template: values.template }),
        port: localPortOption(values['local-port']),
      };
    },
    async run(args, context) {
      const event = await readEvent(args.event, context.readStdin);
      const envVars = await readEnvVars(args.envVars);
      const cloud = await runningCloud(args.port);
      try {
        const outcome = await invokeOnce({
          ...(args.template ? { template: args.template } : {}),
          ...(args.function ? { function: args.function } : {}),
          event,
          ...(args.parameterOverrides ? { parameterOverrides: args.parameterOverrides } : {}),
          ...(envVars ? { envVars } : {}),
          ...(cloud ? { cloud } : { port: args.port }),
          log: (line) => void stderr.write(`${line}\n`),
          starting: () =>
            context.note(
              cloud
                ? `invoking on the local cloud on port ${args.port + 2} (stack ${cloud.stackName}, ${cloud.region}): its tables, queues and @connections`
                : `no local cloud on port ${args.port + 2}: starting DynamoDB Local and the SQS emulator for this invocation (stopped after it)`,
            ),
        });
        context.out(JSON.stringify(outcome.payload));
      } catch (error) {
        if (error instanceof UnknownFunctionError) throw new UsageError(error.message);
        throw error;
      }
    },
  };
}

function parameterOverrides(text: string): Record<string, string> {
  try {
    return parseParameterOverrides(text);
  } catch (error) {
    throw new UsageError(`--parameter-overrides: ${(error as Error).message}`);
  }
}

/** The local cloud on `port`, or undefined when nothing listens there (anything else answering is an error). */
async function runningCloud(port: number): Promise<CloudInfo | undefined> {
  try {
    await fetch(`${controlUrl(port)}/info`, { signal: AbortSignal.timeout(PROBE_MS) }).then((response) => response.body?.cancel());
  } catch {
    return undefined;
  }
  return localInfo(port);
}

/** `roomcast local <command>`: `invoke`, or the list of commands. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'invoke') return void (await runMain(localInvokeCommand(process.stderr), rest));
  if (command === undefined || wantsHelp([command])) {
    process.stdout.write(LOCAL_USAGE);
    return;
  }
  process.stderr.write(`roomcast local: unknown command ${JSON.stringify(command)} (roomcast local --help)\n`);
  process.exit(2);
}
