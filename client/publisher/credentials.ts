/** The credentials a publisher signs with: the given ones, or the AWS default chain. */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Credentials } from './types.js';

/**
 * The AWS SDK's default chain (environment, shared config and SSO, web identity,
 * container and instance metadata), loaded on first use and memoized by the SDK
 * (refreshed before temporary keys expire). A failed load is tried again next time.
 */
export function defaultCredentials(): () => Promise<AwsCredentialIdentity> {
  let chain: Promise<() => Promise<AwsCredentialIdentity>> | undefined;
  return async () => {
    chain ??= import('@aws-sdk/credential-provider-node').then(({ defaultProvider }) => defaultProvider());
    try {
      return await (await chain)();
    } catch (error) {
      chain = undefined;
      throw error;
    }
  };
}

export function credentialsOf(given: Credentials | undefined): Credentials {
  return given ?? defaultCredentials();
}
