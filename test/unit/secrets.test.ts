import { describe, expect, it } from 'vitest';
import { secretSource } from '../../layers/core/src/adapters/secrets.js';

describe('JWT secret references', () => {
  it('reads an SSM parameter name or a Secrets Manager ARN', () => {
    expect(secretSource('/roomcast/prod/jwt')).toEqual({ kind: 'ssm', name: '/roomcast/prod/jwt' });
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:roomcast-jwt-AbCdEf';
    expect(secretSource(arn)).toEqual({ kind: 'secretsmanager', arn });
    expect(secretSource('arn:aws-cn:secretsmanager:cn-north-1:1:secret:x').kind).toBe('secretsmanager');
  });

  it('refuses anything else with a clear error', () => {
    for (const bad of ['my-secret', 'arn:aws:ssm:eu-west-1:1:parameter/x', '']) {
      expect(() => secretSource(bad)).toThrow(/SSM parameter name|Secrets Manager ARN/);
    }
  });
});
