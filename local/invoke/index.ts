/** `sam local invoke` on the local cloud's Lambda runtime: one function, one event, once. */
export { EnvVarsError, envVarsFor, parseEnvVars, type EnvVarsFile, type FunctionVariables } from './env-vars.js';
export { chosenFunction, invokeOnce, UnknownFunctionError, type InvokeOutcome, type InvokeRequest } from './invoke.js';
export type { ErrorPayload } from './report.js';
