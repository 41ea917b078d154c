/**
 * Property tests of the two parsers that take input from outside: whatever the input, they
 * answer a valid value or throw a RoomcastError with a catalogue code, never anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, parseBatchBody, parseClientFrame, parseCursor, parsePublishBody, roomNameProblem, type ErrorCode } from '@roomcast/core';
import { batchBodies, clientFrames, expectRefusal, fuzzRuns, fuzzTimeout, publishBodies, roomNames } from '../support/fuzz.js';

const FRAME_CODES: ErrorCode[] = ['BAD_FRAME', 'UNKNOWN_ACTION', 'INVALID_FRAME', 'FRAME_TOO_LARGE', 'INVALID_ROOM', 'TOO_MANY_ROOMS', 'INVALID_POSITION'];
const PUBLISH_CODES: ErrorCode[] = ['INVALID_JSON', 'INVALID_MESSAGE', 'INVALID_ROOM', 'MESSAGE_TOO_LARGE', 'BATCH_TOO_LARGE'];
const RUNS = fuzzRuns(1000);
const TIMEOUT = fuzzTimeout(RUNS, 20);

type Frame = ReturnType<typeof parseClientFrame>;
type Request = ReturnType<typeof parsePublishBody>;

function expectValidFrame(frame: Frame, body: string): void {
  expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMITS.frameBytes);
  if (frame.action === 'ping') return void expect(frame).toEqual({ action: 'ping' });
  if (frame.action === 'refresh') return void expect(frame.token.length).toBeGreaterThan(0);
  expect(frame.rooms.length).toBeGreaterThan(0);
  expect(frame.rooms.length).toBeLessThanOrEqual(LIMITS.roomsPerFrame);
  expect(new Set(frame.rooms).size).toBe(frame.rooms.length);
  for (const room of frame.rooms) expect(roomNameProblem(room, { allowReserved: true })).toBeUndefined();
  if (frame.action === 'unsubscribe' || frame.action === 'occupancy') return;
  expect(frame.snapshot === 'default' || (Number.isInteger(frame.snapshot) && frame.snapshot >= 0)).toBe(true);
  // What the subscribe route reads: each room's entry is a cursor or nothing.
  for (const room of frame.rooms) {
    const since = frame.since[room];
    if (since !== undefined) expect(parseCursor(since).length).toBeGreaterThan(0);
  }
  for (const room of Object.keys(frame.since)) expect(frame.rooms).toContain(room);
}

function expectValidRequest(request: Request): void {
  expect(roomNameProblem(request.room)).toBeUndefined();
  expect(request.data).not.toBeUndefined();
  if (request.id !== undefined) expect(request.id).toMatch(/^[\x21-\x7e]{1,128}$/);
  expect(Buffer.byteLength(JSON.stringify(request.data))).toBeLessThan(LIMITS.messageBytes);
}

/** Runs `parse`; a value goes to `check`, an error must be a refusal with one of `codes`. */
function outcome<T>(parse: () => T, check: (value: T) => void, codes: ErrorCode[]): void {
  let value: T;
  try {
    value = parse();
  } catch (error) {
    expectRefusal(error, codes);
    return;
  }
  check(value);
}

describe('the client frame parser, fuzzed', () => {
  it('answers a valid frame or a catalogue error, whatever the text', () => {
    fc.assert(
      fc.property(clientFrames(), (body) => outcome(() => parseClientFrame(body), (frame) => expectValidFrame(frame, body), FRAME_CODES)),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('refuses every room name outside the rules with INVALID_ROOM, in subscribe and unsubscribe', () => {
    fc.assert(
      fc.property(fc.constantFrom('subscribe', 'unsubscribe'), roomNames(), (action, room) => {
        const body = JSON.stringify({ action, rooms: [room] });
        const problem = roomNameProblem(room, { allowReserved: true });
        const accepted = (frame: Frame): void => {
          expect(problem).toBeUndefined();
          expectValidFrame(frame, body);
        };
        outcome(() => parseClientFrame(body), accepted, problem ? ['INVALID_ROOM'] : []);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('the publish validator, fuzzed', () => {
  it('answers a valid message or a catalogue error, whatever the room and body', () => {
    fc.assert(
      fc.property(roomNames(), publishBodies(), (room, body) => outcome(() => parsePublishBody(room, body), expectValidRequest, PUBLISH_CODES)),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('answers a whole valid batch or a catalogue error, whatever the body', () => {
    fc.assert(
      fc.property(batchBodies(), (body) =>
        outcome(
          () => parseBatchBody(body),
          (requests) => {
            expect(requests.length).toBeGreaterThan(0);
            expect(requests.length).toBeLessThanOrEqual(LIMITS.batchMessages);
            requests.forEach(expectValidRequest);
            const ids = requests.filter((request) => request.id !== undefined).map((request) => `${request.room}\n${request.id}`);
            expect(new Set(ids).size).toBe(ids.length);
          },
          PUBLISH_CODES,
        ),
      ),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
