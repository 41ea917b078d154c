import { describe, expect, it } from 'vitest';
import { applyFaults, clearFaults, currentFaults, FaultRequestError, parseFaultRequest, type FaultTargets } from '../../local/cloud/faults.js';
import type { FaultSettings } from '../../local/gateway/index.js';

function targets() {
  const gatewaySets: FaultSettings[] = [];
  const failures: Array<[string, number]> = [];
  let cleared = 0;
  const value: FaultTargets = {
    gateway: { set: (settings) => void gatewaySets.push(settings), clear: () => void (cleared += 1), current: () => ({ postStatus: { status: 429, share: 1 }, postDelayMs: 5 }) },
    functions: { failNext: (id, count) => void failures.push([id, count]), clear: () => void (cleared += 1) },
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
    for (const bad of [null, [], { post: { status: 404 } }, { post: { status: 500, share: -1 } }, { postDelayMs: '1' }, { failFunction: {} }, { dropSockets: 'yes' }, { extra: 1 }]) {
      expect(() => parseFaultRequest(bad)).toThrow(FaultRequestError);
    }
  });

  it('reach the gateway and the functions; share defaults to 1', () => {
    const { value, gatewaySets, failures } = targets();
    applyFaults({ post: { status: 429 }, postDelayMs: 50, dropDisconnect: true, failFunction: { name: 'default', count: 2 } }, value);
    expect(gatewaySets).toEqual([{ postStatus: { status: 429, share: 1 }, postDelayMs: 50, dropDisconnect: true }]);
    expect(failures).toEqual([['DefaultFunction', 2]]);
    expect(() => applyFaults({ failFunction: { name: 'nope' } }, value)).toThrow('no function nope');
  });

  it('are cleared everywhere, and shown in the request shape', () => {
    const { value, cleared } = targets();
    clearFaults(value);
    expect(cleared()).toBe(2);
    expect(currentFaults(value.gateway)).toEqual({ post: { status: 429, share: 1 }, postDelayMs: 5 });
  });
});
