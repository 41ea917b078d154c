/**
 * The console: the page (web/) with the SDK's browser bundle, the control endpoint
 * (`/_roomcast/...`: info, faults, TTL sweeps, dev tokens, publishing) and the functions'
 * metrics (`/metrics`). One console server per region.
 */
export { CONTROL_PATH, startConsole, type ConsoleOptions, type ConsoleServer, type ConsoleState } from './server.js';
export { parseTokenRequest, type DevTokenClaims, type TokenMinter } from './token.js';
export { parseSweepRequest } from './ttl.js';
