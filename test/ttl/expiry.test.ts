import { describe, expect, it } from 'vitest';
import { ttlTables } from '../../local/cloud/ttl.js';
import { parseSweepRequest } from '../../local/console/index.js';
import type { TableModel } from '../../local/template/index.js';
import { expiredCondition, expiryWindow, isExpired, TTL_MAX_AGE_SECONDS } from '../../local/ttl/index.js';

const NOW = 1_800_000_000;
const window = expiryWindow(NOW);

describe('which items DynamoDB TTL deletes', () => {
  it('a Number of epoch seconds in the past', () => {
    expect(isExpired({ N: String(NOW - 1) }, window)).toBe(true);
    expect(isExpired({ N: '1700000000.5' }, window)).toBe(true);
  });

  it('not one that is now or later', () => {
    expect(isExpired({ N: String(NOW) }, window)).toBe(false);
    expect(isExpired({ N: String(NOW + 3600) }, window)).toBe(false);
  });

  it('not one more than five years in the past', () => {
    expect(isExpired({ N: String(NOW - TTL_MAX_AGE_SECONDS) }, window)).toBe(true);
    expect(isExpired({ N: String(NOW - TTL_MAX_AGE_SECONDS - 1) }, window)).toBe(false);
    expect(isExpired({ N: '0' }, window)).toBe(false);
  });

  it('not one whose attribute is missing or not a Number', () => {
    expect(isExpired(undefined, window)).toBe(false);
    expect(isExpired({ S: String(NOW - 1) }, window)).toBe(false);
    expect(isExpired({ NS: [String(NOW - 1)] }, window)).toBe(false);
    expect(isExpired({ L: [{ N: String(NOW - 1) }] }, window)).toBe(false);
    expect(isExpired({ NULL: true }, window)).toBe(false);
  });

  it('takes the time as it is given, fractions included', () => {
    expect(isExpired({ N: String(NOW) }, expiryWindow(NOW + 0.25))).toBe(true);
  });

  it('deletes on the condition that the item is still expired', () => {
    expect(expiredCondition('expiresAt', window)).toEqual({
      ConditionExpression: 'attribute_type(#ttl, :number) AND #ttl < :now AND #ttl >= :oldest',
      ExpressionAttributeNames: { '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':number': { S: 'N' }, ':now': { N: String(NOW) }, ':oldest': { N: String(NOW - TTL_MAX_AGE_SECONDS) } },
    });
  });
});

describe("the local cloud's TTL tables", () => {
  const model = (logicalId: string, ttlAttribute?: string): TableModel => ({
    logicalId,
    type: 'AWS::DynamoDB::Table',
    name: `s-${logicalId}`,
    arn: `arn:${logicalId}`,
    create: { TableName: `s-${logicalId}`, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] },
    ...(ttlAttribute ? { ttlAttribute } : {}),
  });

  it('are the created tables whose template enables TTL, with their keys', () => {
    const created = { Connections: { logicalId: 'Connections', name: 's-eu-west-1-Connections' }, Plain: { logicalId: 'Plain', name: 's-Plain' } };
    expect(ttlTables([model('Connections', 'expiresAt'), model('Plain'), model('NotCreated', 'expiresAt')], created)).toEqual([
      { name: 's-eu-west-1-Connections', keys: ['pk', 'sk'], attribute: 'expiresAt' },
    ]);
  });
});

describe('POST /_roomcast/ttl bodies', () => {
  it('take an optional time', () => {
    expect(parseSweepRequest({})).toEqual({});
    expect(parseSweepRequest({ at: NOW })).toEqual({ at: NOW });
  });

  it('refuse what they cannot use, saying why', () => {
    expect(parseSweepRequest([])).toEqual({ error: expect.stringContaining('JSON object') });
    expect(parseSweepRequest({ at: 'soon' })).toEqual({ error: 'at must be a time in epoch seconds' });
    expect(parseSweepRequest({ at: -1 })).toEqual({ error: 'at must be a time in epoch seconds' });
    expect(parseSweepRequest({ when: 1 })).toEqual({ error: 'unknown field when (known: at)' });
  });
});
