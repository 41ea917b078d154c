/**
 * `@roomcast/core/rules`: the pure rules that tools check input against before it reaches
 * a stack (the `roomcast` CLI, the local cloud's token endpoint), without loading the
 * rest of the layer.
 */
export { hs256SecretProblem, LIMITS } from './model/limits.js';
export { originPatternProblem, matchesOrigin } from './model/origins.js';
export { matchesPattern, patternProblem } from './model/room-patterns.js';
export { roomNameProblem } from './model/rooms.js';
