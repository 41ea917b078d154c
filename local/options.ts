/**
 * `@roomcast/local/options`: what a program that talks to a running local cloud needs (its
 * default port, the shape of its info, its dev tokens) without loading the cloud itself.
 * The main index loads the services' clients, the gateway and the bundler, half a second of
 * start-up that `roomcast publish` or `roomcast token` should not pay.
 */
export { DEFAULT_PORT, DEFAULT_REPLICATION_DELAY_MS, LOCAL_CREDENTIALS, type CloudInfo, type FaultRequest, type LocalCloudOptions } from './cloud/options.js';
export { DEV_TOKEN_TTL_SECONDS, signToken, type TokenClaims } from './cloud/dev-token.js';
