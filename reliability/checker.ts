/**
 * The delivery checker, in the spirit of Jepsen's queue checkers: given what was published
 * to each room and what each subscriber received, it counts what was lost, duplicated, out
 * of order and unexpected, and how long the subscriber took to recover from each lost
 * connection. No I/O: the scenario records, this judges.
 *
 * A message is its (room, id, pos). "Carried" is what a subscriber's sockets carried (live
 * frames and snapshot entries, duplicates included: before the SDK); "handed" is what the
 * SDK handed to the app (after it). Order is judged per room and origin region, by
 * position: the one order roomcast promises.
 */

export interface Published {
  room: string;
  id: string;
  pos: string;
  /** The region that accepted the publish. */
  origin: string;
  /** When the publish call started (ms). */
  sentAt: number;
}

export interface Carried {
  id: string;
  pos: string;
}

export interface Handed extends Carried {
  /** When the app got it (ms). */
  at: number;
}

export interface SubscriberRecord {
  name: string;
  rooms: readonly string[];
  /** When the subscriber had joined every room (ms): latency counts messages sent from then on. */
  joinedAt: number;
  /** Per room, what its sockets carried, in arrival order. */
  carried: ReadonlyMap<string, readonly Carried[]>;
  /** Per room, what the app got, in order. */
  handed: ReadonlyMap<string, readonly Handed[]>;
  /** When the client lost its connection (left state `open`), each time; those before joinedAt are not counted. */
  outages: readonly number[];
}

export interface CheckInput {
  published: readonly Published[];
  /** Ids whose publish ended without an answer: they may or may not have been stored. */
  uncertain?: ReadonlySet<string>;
  subscribers: readonly SubscriberRecord[];
}

export interface SubscriberFigures {
  name: string;
  /** Published messages of its rooms (uncertain ones left out). */
  expected: number;
  /** Distinct messages the app got. */
  handed: number;
  lost: number;
  /** The lost messages, as `room id pos`. */
  lostMessages: string[];
  /** Handed messages that were never published there (another room, another position, made up). */
  unexpected: number;
  /** Extra copies the sockets carried (before the SDK) and the app got (after it). */
  duplicatesCarried: number;
  duplicatesHanded: number;
  /** First copies the sockets carried behind a later position of the same origin (the SDK reorders them). */
  lateCarried: number;
  /** Messages the app got behind a later position of the same room and origin. */
  outOfOrder: number;
  outages: number;
  /** Per outage: from the lost connection to the first message the app got after it (ms). */
  recoveriesMs: number[];
  /** Outages after which the app got nothing more (e.g. after the last message). */
  unrecovered: number;
  /** From the publish call to the app, over messages sent after the subscriber joined (ms). */
  maxLatencyMs: number | undefined;
}

export interface Totals extends Omit<SubscriberFigures, 'name' | 'lostMessages' | 'recoveriesMs' | 'maxLatencyMs'> {
  subscribers: number;
  published: number;
  carried: number;
  maxRecoveryMs: number | undefined;
  maxLatencyMs: number | undefined;
}

export interface Verdict {
  subscribers: SubscriberFigures[];
  totals: Totals;
}

const key = (room: string, id: string, pos: string): string => `${room}\n${id}\n${pos}`;

export function check(input: CheckInput): Verdict {
  const uncertain = input.uncertain ?? new Set<string>();
  const byKey = new Map(input.published.map((message) => [key(message.room, message.id, message.pos), message]));
  const subscribers = input.subscribers.map((subscriber) => checkSubscriber(subscriber, input.published, byKey, uncertain));
  return { subscribers, totals: totalsOf(subscribers, input) };
}

function checkSubscriber(subscriber: SubscriberRecord, published: readonly Published[], byKey: ReadonlyMap<string, Published>, uncertain: ReadonlySet<string>): SubscriberFigures {
  const figures: SubscriberFigures = {
    name: subscriber.name,
    expected: 0,
    handed: 0,
    lost: 0,
    lostMessages: [],
    unexpected: 0,
    duplicatesCarried: 0,
    duplicatesHanded: 0,
    lateCarried: 0,
    outOfOrder: 0,
    outages: 0,
    recoveriesMs: [],
    unrecovered: 0,
    maxLatencyMs: undefined,
  };
  for (const room of subscriber.rooms) {
    const handed = subscriber.handed.get(room) ?? [];
    const carried = subscriber.carried.get(room) ?? [];
    const got = new Set(handed.map((message) => key(room, message.id, message.pos)));
    for (const message of published) {
      if (message.room !== room || uncertain.has(message.id)) continue;
      figures.expected += 1;
      if (got.has(key(room, message.id, message.pos))) continue;
      figures.lost += 1;
      figures.lostMessages.push(`${room} ${message.id} ${message.pos}`);
    }
    const handedPass = orderPass(room, handed, byKey);
    const carriedPass = orderPass(room, carried, byKey);
    figures.handed += handedPass.firsts.length;
    figures.duplicatesHanded += handedPass.duplicates;
    figures.outOfOrder += handedPass.late;
    figures.duplicatesCarried += carriedPass.duplicates;
    figures.lateCarried += carriedPass.late;
    figures.unexpected += handedPass.firsts.filter((message) => !byKey.has(key(room, message.id, message.pos)) && !uncertain.has(message.id)).length;
    for (const message of handedPass.firsts) {
      const sent = byKey.get(key(room, message.id, message.pos));
      if (!sent || sent.sentAt < subscriber.joinedAt) continue;
      figures.maxLatencyMs = Math.max(figures.maxLatencyMs ?? 0, message.at - sent.sentAt);
    }
  }
  const arrivals = subscriber.rooms.flatMap((room) => (subscriber.handed.get(room) ?? []).map((message) => message.at)).sort((a, b) => a - b);
  const outages = subscriber.outages.filter((at) => at >= subscriber.joinedAt);
  figures.outages = outages.length;
  for (const lostAt of outages) {
    const next = arrivals.find((at) => at > lostAt);
    if (next === undefined) figures.unrecovered += 1;
    else figures.recoveriesMs.push(next - lostAt);
  }
  return figures;
}

/**
 * One room's messages in arrival order: the first copy of each, how many copies repeated
 * one, and how many first copies came behind a later position of the same origin.
 */
function orderPass<T extends Carried>(room: string, messages: readonly T[], byKey: ReadonlyMap<string, Published>): { firsts: T[]; duplicates: number; late: number } {
  const seen = new Set<string>();
  const highest = new Map<string, string>();
  const firsts: T[] = [];
  let late = 0;
  for (const message of messages) {
    const id = key(room, message.id, message.pos);
    if (seen.has(id)) continue;
    seen.add(id);
    firsts.push(message);
    const origin = byKey.get(id)?.origin;
    if (origin === undefined) continue;
    const top = highest.get(origin);
    if (top !== undefined && message.pos < top) late += 1;
    else highest.set(origin, message.pos);
  }
  return { firsts, duplicates: messages.length - firsts.length, late };
}

function totalsOf(subscribers: readonly SubscriberFigures[], input: CheckInput): Totals {
  const sum = (pick: (figures: SubscriberFigures) => number): number => subscribers.reduce((total, figures) => total + pick(figures), 0);
  const max = (values: number[]): number | undefined => (values.length === 0 ? undefined : Math.max(...values));
  return {
    subscribers: subscribers.length,
    published: input.published.length,
    carried: input.subscribers.reduce((total, s) => total + [...s.carried.values()].reduce((n, list) => n + list.length, 0), 0),
    expected: sum((f) => f.expected),
    handed: sum((f) => f.handed),
    lost: sum((f) => f.lost),
    unexpected: sum((f) => f.unexpected),
    duplicatesCarried: sum((f) => f.duplicatesCarried),
    duplicatesHanded: sum((f) => f.duplicatesHanded),
    lateCarried: sum((f) => f.lateCarried),
    outOfOrder: sum((f) => f.outOfOrder),
    outages: sum((f) => f.outages),
    unrecovered: sum((f) => f.unrecovered),
    maxRecoveryMs: max(subscribers.flatMap((f) => f.recoveriesMs)),
    maxLatencyMs: max(subscribers.flatMap((f) => (f.maxLatencyMs === undefined ? [] : [f.maxLatencyMs]))),
  };
}
