import { describe, expect, it } from 'vitest';
import { ReplicationLedger, type ReplicaWrite } from '../../local/replication/index.js';

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];
const keys = { pk: { S: 'room' }, sk: { S: '1' } };
const item = (data: string) => ({ ...keys, data: { S: data } });
const noDelay = () => 0;
let sequence = 100;
const change = (image: Record<string, unknown> | null) => ({ keys, image, sequenceNumber: String((sequence += 1)).padStart(21, '0') });
const targets = (writes: ReplicaWrite[]) => writes.map((write) => write.region).sort();

describe('the replication ledger', () => {
  it('writes a change to every other region once, and knows its echoes from changes', () => {
    const ledger = new ReplicationLedger(REGIONS);
    expect(ledger.observe('T', 'eu-west-1', change(item('a')), 0)).toBe('change');
    const writes = ledger.takeDue(0, noDelay);
    expect(targets(writes)).toEqual(['ap-south-1', 'us-east-1']);
    expect(writes.every((write) => JSON.stringify(write.image) === JSON.stringify(item('a')))).toBe(true);
    expect(ledger.takeDue(0, noDelay)).toEqual([]); // in flight: not again
    for (const write of writes) ledger.settle(write, 'changed', 1);
    expect(ledger.takeDue(1, noDelay)).toEqual([]); // the echoes are awaited, not written again
    // The echoes come through the replicas' streams, with attributes in another order.
    expect(ledger.observe('T', 'us-east-1', change({ data: { S: 'a' }, ...keys }), 2)).toBe('echo');
    expect(ledger.observe('T', 'ap-south-1', change(item('a')), 2)).toBe('echo');
    expect(ledger.unsettled).toBe(0);
    expect(ledger.nextDue(noDelay)).toBeUndefined();
  });

  it('waits for the delay of the region the change comes from, as it is now', () => {
    const ledger = new ReplicationLedger(REGIONS.slice(0, 2));
    let delay = 500;
    const delayOf = (region: string) => (region === 'eu-west-1' ? delay : 0);
    ledger.observe('T', 'eu-west-1', change(item('a')), 1000);
    expect(ledger.takeDue(1499, delayOf)).toEqual([]);
    expect(ledger.nextDue(delayOf)).toBe(1500);
    delay = 60_000;
    expect(ledger.takeDue(1500, delayOf)).toEqual([]);
    expect(ledger.nextDue(delayOf)).toBe(61_000);
    delay = 0;
    expect(targets(ledger.takeDue(1500, delayOf))).toEqual(['us-east-1']);
  });

  it('replicates a delete as a delete', () => {
    const ledger = new ReplicationLedger(REGIONS.slice(0, 2));
    ledger.observe('T', 'us-east-1', change(null), 0);
    const [write] = ledger.takeDue(0, noDelay);
    expect(write).toMatchObject({ region: 'eu-west-1', image: null, keys });
    ledger.settle(write!, 'changed', 0);
    expect(ledger.observe('T', 'eu-west-1', change(null), 1)).toBe('echo');
    expect(ledger.unsettled).toBe(0);
  });

  it('expects no echo of a write that changed nothing, and retries a failed one later', () => {
    const ledger = new ReplicationLedger(REGIONS.slice(0, 2), 1000);
    ledger.observe('T', 'eu-west-1', change(item('a')), 0);
    const [first] = ledger.takeDue(0, noDelay);
    ledger.settle(first!, 'failed', 10);
    expect(ledger.takeDue(500, noDelay)).toEqual([]);
    expect(ledger.nextDue(noDelay)).toBe(1010);
    const [again] = ledger.takeDue(1010, noDelay);
    expect(again).toMatchObject({ region: 'us-east-1', version: first!.version });
    ledger.settle(again!, 'unchanged', 1011);
    expect(ledger.unsettled).toBe(0);
    // A later record with the same content is a change of its own, not an echo.
    expect(ledger.observe('T', 'us-east-1', change(item('a')), 1012)).toBe('change');
  });

  it('lets the last write win and brings every region to it, also one the replicator overwrote', () => {
    const ledger = new ReplicationLedger(REGIONS.slice(0, 2));
    // eu-west-1 writes v1; it is written to us-east-1, which had written v2 just before.
    ledger.observe('T', 'eu-west-1', change(item('v1')), 0);
    const [toUs] = ledger.takeDue(0, noDelay);
    ledger.settle(toUs!, 'changed', 1);
    // us-east-1's stream: first its own v2 (written after v1), then the echo of v1.
    expect(ledger.observe('T', 'us-east-1', change(item('v2')), 2)).toBe('change');
    expect(ledger.observe('T', 'us-east-1', change(item('v1')), 3)).toBe('echo');
    const writes = ledger.takeDue(3, noDelay);
    expect(writes.map((write) => [write.region, write.image])).toEqual(
      expect.arrayContaining([
        ['eu-west-1', item('v2')],
        ['us-east-1', item('v2')],
      ]),
    );
    expect(writes).toHaveLength(2);
    for (const write of writes) ledger.settle(write, 'changed', 4);
    ledger.observe('T', 'eu-west-1', change(item('v2')), 5);
    ledger.observe('T', 'us-east-1', change(item('v2')), 5);
    expect(ledger.unsettled).toBe(0);
  });

  it('keeps a losing write from spreading, and writes the winner back over it', () => {
    const ledger = new ReplicationLedger(REGIONS.slice(0, 2));
    const older = change(item('old'));
    const newer = change(item('new'));
    ledger.observe('T', 'us-east-1', newer, 0);
    // eu-west-1's older write is read after the newer one.
    ledger.observe('T', 'eu-west-1', older, 1);
    const writes = ledger.takeDue(1, noDelay);
    expect(writes.map((write) => [write.region, write.image])).toEqual([['eu-west-1', item('new')]]);
  });
});
