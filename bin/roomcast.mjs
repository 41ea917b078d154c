#!/usr/bin/env node
// The `roomcast` command. Each subcommand is a TypeScript module of this repository, run
// as it is: ts-hooks.mjs compiles each file with esbuild as Node loads it.
import { register } from 'node:module';

// This process runs on the developer's Node; the AWS SDK's notice about Node versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const COMMANDS = {
  dev: { module: '../cli/dev.ts', about: 'run the local cloud: template.yaml on this machine (roomcast dev --help)' },
  publish: { module: '../cli/publish.ts', about: 'publish one JSON message to a room: roomcast publish <room> <json|->' },
  tail: { module: '../cli/tail.ts', about: 'print a room\'s messages as they come, one JSON line each: roomcast tail <room...>' },
  history: { module: '../cli/history.ts', about: 'print a room\'s retained messages: roomcast history <room>' },
  occupancy: { module: '../cli/occupancy.ts', about: 'print rooms\' connections and principals, one JSON line each: roomcast occupancy <room...>' },
  token: { module: '../cli/token.ts', about: 'a token for the socket: roomcast token --sub <id> --rooms <patterns>' },
  cost: { module: '../cli/cost.ts', about: "a traffic profile's monthly AWS bill, or a fan-out's duration: roomcast cost [--makespan]" },
  local: { module: '../cli/local-invoke.ts', about: 'sam local counterparts without Docker: roomcast local invoke FUNCTION -e event.json' },
  bench: { module: '../bench/command.ts', about: 'measure end to end beside a raw ws broadcast, a subscribe storm, fan-out cost: roomcast bench' },
};

const [command, ...args] = process.argv.slice(2);
const entry = command === undefined ? undefined : COMMANDS[command];
if (!entry) {
  const known = command === undefined || ['help', '--help', '-h'].includes(command);
  const lines = ['usage: roomcast <command> [options]', '', 'commands:', ...Object.entries(COMMANDS).map(([name, { about }]) => `  ${name.padEnd(9)} ${about}`)];
  if (!known) lines.unshift(`roomcast: unknown command ${JSON.stringify(command)}`, '');
  (known ? process.stdout : process.stderr).write(`${lines.join('\n')}\n`);
  process.exit(known ? 0 : 2);
}
register('./ts-hooks.mjs', import.meta.url);
process.setSourceMapsEnabled(true);
const { main } = await import(new URL(entry.module, import.meta.url).href);
await main(args);
