import { describe, expect, it } from 'vitest';
import { LOCAL_SECRET_REF, localParameters, tokenSettings, usesLocalSecret } from '../../local/cloud/parameters.js';

const template = { Parameters: { AuthMode: {}, JwtIssuer: {}, JwtAudience: {}, JwtJwksUrl: {}, JwtSecretRef: {}, Stage: {} } };
const none = { parameterOverrides: {} };

describe('the parameters of a local run', () => {
  it('are the local defaults, then samconfig, then the command line', () => {
    expect(localParameters(template, none, {})).toEqual({ AuthMode: 'jwt', JwtIssuer: 'roomcast-local', JwtAudience: 'roomcast', JwtSecretRef: LOCAL_SECRET_REF });
    const samconfig = { parameterOverrides: { Stage: 'dev', JwtIssuer: 'https://issuer.example.com/' } };
    expect(localParameters(template, samconfig, { Stage: 'local' })).toMatchObject({ Stage: 'local', JwtIssuer: 'https://issuer.example.com/' });
  });

  it('only default what the template declares', () => {
    expect(localParameters({ Parameters: { Stage: {} } }, none, {})).toEqual({});
  });

  it('use the local secret unless tokens are verified with a JWKS or not at all', () => {
    const jwks = localParameters(template, none, { JwtJwksUrl: 'https://issuer.example.com/jwks.json' });
    expect(jwks.JwtSecretRef).toBeUndefined();
    expect(usesLocalSecret(jwks)).toBe(false);
    expect(usesLocalSecret({ AuthMode: 'none' })).toBe(false);
    expect(usesLocalSecret({ AuthMode: 'jwt', JwtSecretRef: '/prod/secret' })).toBe(true);
    expect(localParameters(template, none, { JwtSecretRef: '/prod/secret' }).JwtSecretRef).toBe('/prod/secret');
  });

  it('give no local secret to an application that takes none', () => {
    // A chat application's parameters: no JwtSecretRef, so no dev token and nothing signed.
    expect(usesLocalSecret({ TableName: 'simplechat_connections' })).toBe(false);
    expect(localParameters({ Parameters: { TableName: {}, AuthMode: {} } }, none, {})).toEqual({ AuthMode: 'jwt' });
  });

  it('say what a token must carry', () => {
    expect(tokenSettings({ JwtIssuer: 'i', JwtAudience: 'a', JwtRoomsClaim: 'scopes' })).toEqual({ issuer: 'i', audience: 'a', roomsClaim: 'scopes' });
    expect(tokenSettings({})).toEqual({ issuer: '', audience: '', roomsClaim: 'rooms' });
  });
});
