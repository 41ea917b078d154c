/**
 * Inputs for property tests (fast-check): room names, client frames and publish bodies,
 * from well-formed to hostile. Set FUZZ_RUNS for a longer run than the default.
 */
import fc from 'fast-check';
import { ERRORS, LIMITS, RoomcastError, type ErrorCode } from '@roomcast/core';

/** Runs per property: FUZZ_RUNS when set, else `fallback` (kept small so `npm test` stays quick). */
export function fuzzRuns(fallback: number): number {
  const raw = process.env.FUZZ_RUNS;
  if (!raw) return fallback;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got "${raw}"`);
  return runs;
}

/** A test timeout for `runs` runs of `msPerRun` each, with room for a slow machine. */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return 30_000 + runs * msPerRun;
}

/** Names aimed at our keys (`conn#`, `room#<room>#<shard>`, `#seq#`, `#id#`), paths, readers and object members. */
export const HOSTILE_ROOMS = [
  'conn#abc=',
  'room#a#0',
  'a#0',
  '#seq#us-east-1',
  '#id#x',
  'a|b',
  '../admin',
  '..',
  '.',
  'a/../b',
  '%2e%2e%2fadmin',
  'a%23b',
  'ѕcores', // Cyrillic s
  'ｓcores', // fullwidth s
  'scores\u200b', // zero-width space
  'sc\u202eores', // right-to-left override
  'a\u0000b',
  'a\nb',
  ' a',
  'a*',
  '*',
  '',
  'roomcast.canary',
  'constructor',
  'toString',
  '__proto__',
  'x'.repeat(LIMITS.roomNameLength + 1),
  'x'.repeat(10 * 1024),
];

const validRoom = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:=@-]{0,15}$/);

export function roomNames(): fc.Arbitrary<string> {
  return fc.oneof(
    validRoom,
    fc.constantFrom(...HOSTILE_ROOMS),
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.tuple(validRoom, fc.constantFrom('#', '|', '/', '%2F', '\u0000', '\u200b', ' ', '*', '..', 'é'), validRoom).map(([a, infix, b]) => `${a}${infix}${b}`),
  );
}

/** Anything JSON can hold, some of it deep. */
function anyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 1, max: 60 }).map(nested));
}

export function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

const position = fc.oneof(
  fc.constantFrom('0000000000000001.us-east-1.0000000000000001', '0000000000000001', 'yesterday', '', ',', '0000000000000001.us-east-1.0000000000000001,'),
  fc.string({ maxLength: 60 }),
);

/** A frame shaped like ours, with any field possibly wrong, missing or extra. */
function framelike(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      action: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'ping', 'publish', '__proto__', 'constructor', 'Subscribe'), anyJson()),
      rooms: fc.oneof(fc.array(roomNames(), { maxLength: 6 }), fc.array(validRoom, { minLength: 49, maxLength: 60 }), anyJson()),
      snapshot: fc.oneof(fc.boolean(), fc.integer(), fc.double(), anyJson()),
      dump: fc.oneof(fc.boolean(), anyJson()),
      since: fc.oneof(fc.dictionary(roomNames(), position, { maxKeys: 3 }), anyJson()),
      extra: anyJson(),
    },
    { requiredKeys: [] },
  );
}

/** Text frames a client could send: noise, JSON, near misses of real frames, oversize ones. */
export function clientFrames(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    framelike().map((frame) => JSON.stringify(frame)),
    framelike().map((frame) => JSON.stringify(frame).slice(0, -1)),
    fc.integer({ min: 1, max: 4 }).map((kb) => JSON.stringify({ action: 'ping', [`k${'x'.repeat(kb * 9000)}`]: 1 })),
  );
}

function publishLike(withRoom: boolean): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      ...(withRoom ? { room: fc.oneof(roomNames(), anyJson()) } : {}),
      data: fc.oneof(anyJson(), fc.integer({ min: 120, max: 140 }).map((kb) => 'x'.repeat(kb * 1024))),
      id: fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,12}$/), fc.string({ maxLength: 140 }), anyJson()),
      extra: anyJson(),
    },
    { requiredKeys: [] },
  );
}

/** Bodies of `POST /rooms/{room}/messages`: noise, near misses, deep or oversize data. */
export function publishBodies(): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 }), publishLike(false).map((body) => JSON.stringify(body)));
}

/** Bodies of `POST /messages`: the same, as batches of 0 to 30 messages. */
export function batchBodies(): fc.Arbitrary<string> {
  const messages = fc.oneof(fc.array(publishLike(true), { maxLength: 4 }), fc.array(fc.constant({ room: 'a', data: 1 }), { minLength: 24, maxLength: 30 }), anyJson());
  return fc.oneof(fc.string({ maxLength: 200 }), fc.record({ messages, extra: anyJson() }, { requiredKeys: [] }).map((body) => JSON.stringify(body)));
}

/**
 * What a refusal must be: a RoomcastError with one of `codes` (all in the catalogue), not
 * retryable, whose message stays short whatever the input was.
 */
export function expectRefusal(error: unknown, codes: readonly ErrorCode[]): void {
  if (!(error instanceof RoomcastError)) throw new Error(`expected a RoomcastError, got ${String(error)}`, { cause: error });
  if (!(error.code in ERRORS) || !codes.includes(error.code)) throw new Error(`unexpected code ${error.code}: ${error.message.slice(0, 200)}`);
  if (error.retryable) throw new Error(`${error.code} must not be retryable here`);
  if (error.message.length > 512) throw new Error(`${error.code}: a message of ${error.message.length} characters echoes the input`);
}
