import { describe, expect, it } from 'vitest';
import { applyFaults, clearFaults, currentFaults, FaultRequestError, parseFaultRequest, type FaultTargets } from '../../local/cloud/faults.js';
import type { FaultSettings } from '../../local/gateway/index.js';
import { ReplicationDelays } from '../../local/replication/index.js';

function targets() {
  const gatewaySets: FaultSettings[] = [];
  const failures: Array<[string, number, number?]> = [];
  let cleared = 0;
  const value: FaultTargets = {
    gateway: { set: (settings) => void gatewaySets.push(settings), clear: () => void (cleared += 1), current: () => ({ postStatus: { status: 429, share: 1 }, postDelayMs: 5 }) },
    functions: { failNext: (id, count, _message, afterMs) => void failures.push(afterMs === undefined ? [id, count] : [id, count, afterMs]), clear: () => void (cleared += 1) },
    functionId: (name) => (name === 'default' || name === 'DefaultFunction' ? 'DefaultFunction' : undefined),
  };
  return { value, gatewaySets, failures, cleared: () => cleared };
}

describe('fault requests', () => {
  it('are checked field by field', () => {
    expect(parseFaultRequest({ post: { status: 500, share: 0.5, count: 2 }, postDelayMs: 10, failFunction: { name: 'default' }, dropSockets: true, dropDisconnect: false })).toEqual({
      post: { status: 500, share: 0.5, count: 2 },
      postDelayMs: 10,
      failFunction: { name: 'default' },
      dropSockets: true,
      dropDisconnect: false,
    });
    expect(parseFaultRequest({ failFunction: { name: 'deliver', count: 2, afterMs: 15 } })).toEqual({ failFunction: { name: 'deliver', count: 2, afterMs: 15 } });
    for (const bad of [null, [], { post: { status: 404 } }, { post: { status: 500, share: -1 } }, { postDelayMs: '1' }, { failFunction: {} }, { failFunction: { name: 'deliver', afterMs: -1 } }, { dropSockets: 'yes' }, { extra: 1 }]) {
      expect(() => parseFaultRequest(bad)).toThrow(FaultRequestError);
    }
  });

  it('reach the gateway and the functions; share defaults to 1', () => {
    const { value, gatewaySets, failures } = targets();
    applyFaults({ post: { status: 429 }, postDelayMs: 50, dropDisconnect: true, failFunction: { name: 'default', count: 2 } }, value);
    expect(gatewaySets).toEqual([{ postStatus: { status: 429, share: 1 }, postDelayMs: 50, dropDisconnect: true }]);
    applyFaults({ failFunction: { name: 'default', afterMs: 20 } }, value);
    expect(failures).toEqual([
      ['DefaultFunction', 2],
      ['DefaultFunction', 1, 20],
    ]);
    expect(() => applyFaults({ failFunction: { name: 'nope' } }, value)).toThrow('no function nope');
  });

  it('are cleared everywhere, and shown in the request shape', () => {
    const { value, cleared } = targets();
    clearFaults(value);
    expect(cleared()).toBe(2);
    expect(currentFaults(value)).toEqual({ post: { status: 429, share: 1 }, postDelayMs: 5 });
  });

  it("take a region's gateway down, and its replication delay when there are several regions", () => {
    expect(parseFaultRequest({ down: true, replicationDelayMs: 2000 })).toEqual({ down: true, replicationDelayMs: 2000 });
    for (const bad of [{ down: 'yes' }, { replicationDelayMs: -1 }, { replicationDelayMs: '5' }]) expect(() => parseFaultRequest(bad)).toThrow(FaultRequestError);
    const single = targets();
    expect(() => applyFaults({ down: true, replicationDelayMs: 10 }, single.value)).toThrow(/one region/);
    expect(single.gatewaySets).toEqual([]); // a refused request changes nothing
    const delays = new ReplicationDelays(50);
    const several = targets();
    const value: FaultTargets = { ...several.value, replication: delays.control('eu-west-1'), gateway: { ...several.value.gateway, current: () => ({ down: true }) } };
    applyFaults({ down: true, replicationDelayMs: 2000 }, value);
    expect(several.gatewaySets).toEqual([{ down: true }]);
    expect([delays.of('eu-west-1'), delays.of('us-east-1')]).toEqual([2000, 50]);
    expect(currentFaults(value)).toEqual({ down: true, replicationDelayMs: 2000 });
    clearFaults(value);
    expect(delays.of('eu-west-1')).toBe(50);
  });
});
