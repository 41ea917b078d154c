import * as managementApi from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it } from 'vitest';
import { MANAGEMENT_API_ERRORS, POST_FAULT_STATUSES, managementErrorOf, type ManagementApiErrorName } from '../../local/gateway/index.js';
import { Client, fakeInvoke, start } from './helpers.js';

/** What a raw request got: the status, the error type header and the body's message. */
async function answer(response: Response): Promise<{ status: number; name: string | null; message: unknown }> {
  const body = (await response.json()) as { message: unknown };
  return { status: response.status, name: response.headers.get('x-amzn-errortype'), message: body.message };
}

function row(name: ManagementApiErrorName) {
  const { status, message } = MANAGEMENT_API_ERRORS[name];
  return { status, name, message };
}

describe('the management API errors table', () => {
  it('is what the gateway answers, for every error it gives', async () => {
    const started = await start({ invoke: fakeInvoke().invoke, limits: { messageBytes: 8, requestBurst: 1, requestRatePerSecond: 0.001 } });
    await Client.open(started.url);
    const id = started.gateway.connections()[0]!;
    const at = (connectionId: string) => `${started.connectionsUrl}/@connections/${encodeURIComponent(connectionId)}`;
    expect(await answer(await fetch(at(id), { method: 'POST', body: 'more than eight bytes' }))).toEqual(row('PayloadTooLargeException'));
    expect(await answer(await fetch(at(id), { method: 'PUT', body: 'x' }))).toEqual(row('ForbiddenException'));
    expect(await answer(await fetch(at('AAAAAAAAAAAAAAA='), { method: 'POST', body: 'x' }))).toEqual(row('GoneException'));
    expect(await answer(await fetch(at(id), { method: 'POST', body: 'x' }))).toEqual(row('LimitExceededException'));

    const faulty = await start({ invoke: fakeInvoke().invoke });
    await Client.open(faulty.url);
    const target = `${faulty.connectionsUrl}/@connections/${encodeURIComponent(faulty.gateway.connections()[0]!)}`;
    faulty.gateway.faults.set({ postStatus: { status: 500, share: 1 } });
    expect(await answer(await fetch(target, { method: 'POST', body: 'x' }))).toEqual(row('InternalServerErrorException'));
  });

  it('names the exceptions the AWS SDK models for this API', () => {
    for (const name of ['ForbiddenException', 'GoneException', 'LimitExceededException', 'PayloadTooLargeException'] as const) {
      const Exception = managementApi[name];
      expect(new Exception({ $metadata: {}, message: '' }).name).toBe(name);
      expect(managementErrorOf(MANAGEMENT_API_ERRORS[name].status)?.name).toBe(name);
    }
    expect(managementErrorOf(418)).toBeUndefined();
  });

  it('says which statuses a post fault may answer', async () => {
    expect(POST_FAULT_STATUSES).toEqual([410, 429, 500]);
    const started = await start({ invoke: fakeInvoke().invoke });
    expect(() => started.gateway.faults.set({ postStatus: { status: 404 as 410, share: 1 } })).toThrow('postStatus.status must be 410, 429 or 500, got 404');
  });
});
