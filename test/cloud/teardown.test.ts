import { describe, expect, it } from 'vitest';
import { PHASE, Teardown } from '../../local/cloud/teardown.js';

describe('teardown', () => {
  it('stops what takes requests first and the services last, whatever the order things started in', async () => {
    const order: string[] = [];
    const logged: string[] = [];
    const teardown = new Teardown((line) => logged.push(line));
    teardown.add('jvm', PHASE.services, () => void order.push('jvm'));
    teardown.add('gateway', PHASE.apis, () => void order.push('gateway'));
    teardown.add('emulator', PHASE.services, () => void order.push('emulator'));
    teardown.add('functions', PHASE.functions, () => {
      order.push('functions');
      throw new Error('boom');
    });
    teardown.add('sources', PHASE.eventSources, () => void order.push('sources'));
    await Promise.all([teardown.run(), teardown.run()]);
    expect(order).toEqual(['sources', 'gateway', 'functions', 'emulator', 'jvm']);
    expect(logged).toEqual(['stopping functions failed: boom']);
  });
});
