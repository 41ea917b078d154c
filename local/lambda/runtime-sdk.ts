/**
 * The AWS SDK for JavaScript v3 that Lambda's Node.js runtimes (nodejs18.x and later) ship:
 * a function may import `@aws-sdk/*` without installing or bundling it. Locally, an import
 * of the SDK that the function's own folders cannot resolve is resolved from the local
 * cloud's own installation; a client it does not have is named in a clear build error.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages of the runtime's SDK: the clients and the libraries they are made of. */
const RUNTIME_SCOPES = ['@aws-sdk/', '@smithy/', '@aws-crypto/'];

/** Where the local cloud's own packages resolve from. */
export const RUNTIME_SDK_DIR = dirname(fileURLToPath(import.meta.url));

export function isRuntimeSdk(specifier: string): boolean {
  return RUNTIME_SCOPES.some((scope) => specifier.startsWith(scope));
}

/** The package name of a bare specifier: `@scope/name` or `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function missingRuntimeSdkMessage(specifier: string): string {
  const name = packageName(specifier);
  return (
    `"${name}" is part of the AWS SDK that Lambda's Node.js runtime provides, but the local cloud does not have it: ` +
    `add it to the function's dependencies (npm install ${name}) next to the template`
  );
}
