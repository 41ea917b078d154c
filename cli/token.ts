/** `roomcast token --sub ID --rooms PATTERNS`: a token the `$connect` authorizer accepts. */
import { hs256SecretProblem, patternProblem } from '@roomcast/core/rules';
import { DEV_TOKEN_TTL_SECONDS, signToken } from '@roomcast/local/options';
import { HELP_OPTION, listOption, parseCommandLine } from './args.js';
import { runMain, type Command } from './command.js';
import { parseDuration } from './duration.js';
import { UsageError } from './errors.js';
import { localDevToken, type DevToken } from './local-cloud.js';
import { LOCAL_PORT_USAGE, localPortOption } from './target-options.js';

const USAGE = `usage: roomcast token --sub ID --rooms PATTERNS [--ttl 24h] [where]

Prints a token (an HS256 JWT) for a subject and the rooms it may join, for
\`roomcast tail --token\`, the console page or any client's ?token=.

  --sub ID                    the subject (the principal)
  --rooms PATTERNS            rooms it may join, separated by commas or spaces; * stands for
                              any run of characters within one :-separated segment
                              (scores:*, team:*:chat), ** as the last segment for every
                              room below (team:1:**; ** alone: every room)
  --ttl DURATION              how long it is valid: 3600, 90s, 15m, 24h, 7d (default 24h)

where (default: the running local cloud, which signs with its own secret):
${LOCAL_PORT_USAGE}  --secret SECRET             sign here with this HS256 secret: a deployed stack's JwtSecretRef value
  --issuer ISS, --audience AUD
                              with --secret: the stack's JwtIssuer and JwtAudience, if set
  --rooms-claim NAME          with --secret: the stack's JwtRoomsClaim (default rooms)

examples:
  roomcast token --sub alice --rooms 'scores:*,chat:lobby'
  roomcast token --sub svc --rooms '**' --ttl 1h --secret "$SECRET" --issuer https://auth.example.com

exit: 0 printed, 1 no token (no local cloud, ...), 2 wrong command line
`;

const OPTIONS = {
  ...HELP_OPTION,
  sub: { type: 'string' },
  rooms: { type: 'string' },
  ttl: { type: 'string' },
  'local-port': { type: 'string' },
  secret: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  'rooms-claim': { type: 'string' },
} as const;

export type TokenArgs = { sub: string; rooms: string[]; ttlSeconds: number } & (
  | { kind: 'local'; port: number }
  | { kind: 'secret'; secret: string; issuer?: string; audience?: string; roomsClaim?: string }
);

/** The room patterns, each of which can grant a room (a misplaced ** never does). */
function patternsOption(text: string): string[] {
  const patterns = listOption(text, 'rooms');
  for (const pattern of patterns) {
    const problem = patternProblem(pattern);
    if (problem) throw new UsageError(`--rooms ${pattern}: ${problem}`);
  }
  return patterns;
}

const required = (value: string | undefined, flag: string): string => {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${flag} is required`);
  return value;
};

export const tokenCommand: Command<TokenArgs> = {
  name: 'token',
  usage: USAGE,
  parse(argv) {
    const { values } = parseCommandLine(argv, OPTIONS, { names: [] });
    const claims = {
      sub: required(values.sub, 'sub'),
      rooms: patternsOption(required(values.rooms, 'rooms')),
      ttlSeconds: values.ttl === undefined ? DEV_TOKEN_TTL_SECONDS : parseDuration(values.ttl, 'ttl'),
    };
    const { secret, issuer, audience } = values;
    const roomsClaim = values['rooms-claim'];
    if (secret === undefined) {
      if (issuer !== undefined || audience !== undefined || roomsClaim !== undefined) {
        throw new UsageError('--issuer, --audience and --rooms-claim go with --secret (the local cloud knows its own)');
      }
      return { ...claims, kind: 'local', port: localPortOption(values['local-port']) };
    }
    if (values['local-port'] !== undefined) throw new UsageError('--local-port and --secret exclude each other: the local cloud signs with its own secret');
    if (secret === '') throw new UsageError('--secret is empty');
    const short = hs256SecretProblem(Buffer.byteLength(secret));
    if (short) throw new UsageError(`--secret: ${short}`);
    return { ...claims, kind: 'secret', secret, ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}), ...(roomsClaim ? { roomsClaim } : {}) };
  },
  async run(args, context) {
    const { token, expiresAt } = await mint(args);
    context.out(token);
    context.note(`sub ${args.sub}, rooms ${args.rooms.join(',')}, expires ${expiresAt}`);
  },
};

async function mint(args: TokenArgs): Promise<DevToken> {
  const { sub, rooms, ttlSeconds } = args;
  if (args.kind === 'local') return localDevToken(args.port, { sub, rooms, ttlSeconds });
  const signed = signToken(args.secret, args);
  return { token: signed.token, expiresAt: signed.expiresAt.toISOString() };
}

export const main = (argv: string[]): Promise<never> => runMain(tokenCommand, argv);
