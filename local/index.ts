/**
 * @roomcast/local: the local cloud, a SAM WebSocket application's `template.yaml` running
 * on one machine (docs/local.md). What the `roomcast` command, the console page and the
 * benchmarks use; the tests may reach the files behind it.
 */
export {
  DEFAULT_PORT,
  DEFAULT_REPLICATION_DELAY_MS,
  LOCAL_CREDENTIALS,
  readyLine,
  signToken,
  startLocalCloud,
  startupScreen,
  type CloudInfo,
  type FaultRequest,
  type LocalCloud,
  type LocalCloudOptions,
  type RegionCloud,
  type Replication,
  type TokenClaims,
} from './cloud.js';
export { DEV_TOKEN_TTL_SECONDS } from './cloud/dev-token.js';
export { regionListProblem } from './cloud/settings.js';
export { POST_FAULT_STATUSES, postFaultStatusList, type FaultControls, type FaultSettings } from './gateway/index.js';
export { newId } from './gateway/ids.js';
export { signedFetch, signHeaders, type SigningOptions } from './http-api/index.js';
export { quantile, type LatencySummary, type MetricsSnapshot } from './metrics/index.js';
export { readBody } from './shared/read-body.js';
export { createQueues, createTables, dynamoDbLocalDir, freePort, startDynamoDbLocal, startSqsEmulator, type CreatedQueue, type CreatedTable, type RunningService } from './services/index.js';
export { parseParameterOverrides, readTemplateFile, type TemplateModel } from './template/index.js';
export { EnvVarsError, invokeOnce, parseEnvVars, UnknownFunctionError, type EnvVarsFile, type InvokeOutcome, type InvokeRequest } from './invoke/index.js';
