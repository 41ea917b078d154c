/**
 * The template on running DynamoDB Local and SQS emulator endpoints, its functions' handlers
 * called in this process: what the integration tests and the fan-out cost benchmark share.
 */
export { LOCAL_CREDENTIALS, REGION, startStackOn, type ServiceEndpoints, type Stack, type StackOptions } from './stack.js';
export { findFunction, functionEnv, importHandler, lambdaContext, lambdaRuntimeEnv, pinEnv, swapEnv, type LambdaHandler } from './functions.js';
export { drainQueue, queueDepth, queueUrl, type DrainOptions, type DrainResult } from './queues.js';
export { callHttp, httpApiEvent, type HttpCall, type HttpResult } from './http-events.js';
export { startGatewayConnections, type ConnectionPost, type ConnectionsApi, type GatewayConnectionsOptions } from './gateway-connections.js';
export { uniqueStackName } from './stack-name.js';
