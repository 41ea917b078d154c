import { describe, expect, it } from 'vitest';
import { packageOf, selfTimes } from '../../bench/profile-summary.js';

describe('the CPU profile summary', () => {
  it('names the package of a frame: scoped and plain packages, Node internals, bundles and V8 entries', () => {
    expect(packageOf('file:///app/node_modules/@smithy/core/dist-es/index.js', 'f')).toBe('@smithy/core');
    expect(packageOf('file:///app/node_modules/.pnpm/x/node_modules/jose/dist/index.js', 'f')).toBe('jose');
    expect(packageOf('node:internal/modules/esm/loader', 'f')).toBe('node:internal/modules');
    expect(packageOf('file:///tmp/roomcast-lambda-1/SubscribeFunction.3.mjs', 'f')).toBe('SubscribeFunction');
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('sums each sample’s time into the group of the frame it landed in', () => {
    const frame = (id: number, url: string, functionName = 'f') => ({ id, callFrame: { functionName, url, lineNumber: 0 } });
    const profile = {
      nodes: [frame(1, '', '(idle)'), frame(2, 'file:///a/node_modules/ws/lib/x.js'), frame(3, 'file:///a/node_modules/ws/lib/y.js', 'g')],
      samples: [2, 3, 1, 2],
      timeDeltas: [100, 50, 1000, 25],
    };
    expect(Object.fromEntries(selfTimes(profile, 'package'))).toEqual({ ws: 175, '(idle)': 1000 });
    expect(selfTimes(profile, 'function').get('g ws:1')).toBe(50);
  });
});
