import { describe, expect, it } from 'vitest';
import { Ledger } from '../../bench/ledger.js';

describe('the delivery ledger', () => {
  // Subscribers 0 and 2 are in room 0, subscriber 1 in room 1.
  const rooms = [0, 1, 0];

  it('owes each accepted publish to the subscribers of its room, and times each first copy', () => {
    const ledger = new Ledger(rooms);
    ledger.published(0, 0, 1000);
    ledger.accepted(0);
    ledger.published(1, 1, 1100);
    ledger.accepted(1);
    ledger.received(0, 0, 1010);
    ledger.received(2, 0, 1030);
    expect(ledger.settled()).toBe(false);
    ledger.received(1, 1, 1150);
    expect(ledger.settled()).toBe(true);
    expect(ledger.tally()).toMatchObject({ publishes: 2, expected: 3, delivered: 3, lost: 0, duplicates: 0, durationMs: 150, deliveriesPerSecond: 20 });
    expect(ledger.tally().latencyMs).toMatchObject({ count: 3, p50: 30, max: 50 });
  });

  it('counts loss and duplicates per subscriber, and copies outside the room', () => {
    const ledger = new Ledger(rooms);
    ledger.published(0, 0, 0);
    ledger.accepted(0);
    ledger.received(0, 0, 5);
    ledger.received(0, 0, 6);
    ledger.received(0, 0, 7);
    ledger.received(1, 0, 8);
    expect(ledger.tally()).toMatchObject({ expected: 2, delivered: 1, lost: 1, duplicates: 2, unexpected: 1, subscribersWithLoss: 1, subscribersWithDuplicates: 1 });
    expect(ledger.tally().latencyMs?.count).toBe(1);
  });

  it('owes nothing for a publish that was not accepted, and ignores unknown messages', () => {
    const ledger = new Ledger(rooms);
    ledger.published(0, 0, 0);
    ledger.received(0, 7, 1);
    expect(ledger.settled()).toBe(true);
    expect(ledger.tally()).toMatchObject({ expected: 0, lost: 0, delivered: 0, latencyMs: null, deliveriesPerSecond: 0 });
  });

  it('knows how many messages are still on their way, failed publishes aside', () => {
    const ledger = new Ledger(rooms);
    ledger.published(0, 0, 0);
    ledger.published(1, 1, 0);
    ledger.published(2, 0, 0);
    ledger.failed(2);
    expect(ledger.outstanding()).toBe(2);
    ledger.received(1, 1, 5);
    expect(ledger.outstanding()).toBe(1);
    ledger.received(0, 0, 5);
    ledger.received(0, 0, 6);
    expect(ledger.outstanding()).toBe(1);
    ledger.received(2, 0, 7);
    expect(ledger.outstanding()).toBe(0);
  });
});
