/** Fault injection of the local cloud: one request shape for the control endpoint and the command line. */
import { isPostFaultStatus, postFaultStatusList, type FaultControls, type FaultSettings } from '../gateway/index.js';
import type { FaultInjector } from '../lambda/index.js';
import type { ReplicationDelayControl } from '../replication/index.js';
import type { FaultRequest } from './options.js';

export class FaultRequestError extends Error {
  override name = 'FaultRequestError';
}

export interface FaultTargets {
  gateway: FaultControls;
  functions: FaultInjector;
  /** A function's logical id from any name of it; undefined when there is none. */
  functionId(name: string): string | undefined;
  /** This region's replication delay; absent with one region (nothing is replicated). */
  replication?: ReplicationDelayControl;
}

const KEYS = new Set(['post', 'postDelayMs', 'failFunction', 'dropSockets', 'dropDisconnect', 'down', 'replicationDelayMs']);

/** Checks a request's shape (e.g. a JSON body); throws FaultRequestError saying what is wrong. */
export function parseFaultRequest(value: unknown): FaultRequest {
  const object = record(value, 'the request');
  for (const key of Object.keys(object)) if (!KEYS.has(key)) throw new FaultRequestError(`unknown field ${key} (known: ${[...KEYS].join(', ')})`);
  const out: FaultRequest = {};
  if (object.post !== undefined) {
    const post = record(object.post, 'post');
    const status = post.status;
    if (!isPostFaultStatus(status)) throw new FaultRequestError(`post.status must be ${postFaultStatusList()}`);
    out.post = { status, ...optionalNumber(post, 'share', 'post.share'), ...optionalNumber(post, 'count', 'post.count') };
  }
  Object.assign(out, optionalNumber(object, 'postDelayMs', 'postDelayMs'), optionalNumber(object, 'replicationDelayMs', 'replicationDelayMs'));
  if (object.failFunction !== undefined) {
    const fail = record(object.failFunction, 'failFunction');
    if (typeof fail.name !== 'string' || fail.name === '') throw new FaultRequestError('failFunction.name must be a function name');
    out.failFunction = { name: fail.name, ...optionalNumber(fail, 'count', 'failFunction.count'), ...optionalNumber(fail, 'afterMs', 'failFunction.afterMs') };
  }
  for (const key of ['dropSockets', 'dropDisconnect', 'down'] as const) {
    if (object[key] === undefined) continue;
    if (typeof object[key] !== 'boolean') throw new FaultRequestError(`${key} must be true or false`);
    out[key] = object[key];
  }
  return out;
}

/** Puts the request's faults in force (merging with those already set). */
export function applyFaults(request: FaultRequest, targets: FaultTargets): void {
  let functionId: string | undefined;
  if (request.failFunction) {
    functionId = targets.functionId(request.failFunction.name);
    if (!functionId) throw new FaultRequestError(`no function ${request.failFunction.name}`);
  }
  if (request.replicationDelayMs !== undefined && !targets.replication) throw new FaultRequestError('replicationDelayMs: nothing is replicated with one region (start with --regions)');
  const settings: FaultSettings = {};
  if (request.post) settings.postStatus = { status: request.post.status, share: request.post.share ?? 1, ...(request.post.count === undefined ? {} : { count: request.post.count }) };
  if (request.postDelayMs !== undefined) settings.postDelayMs = request.postDelayMs;
  if (request.dropSockets !== undefined) settings.dropSockets = request.dropSockets;
  if (request.dropDisconnect !== undefined) settings.dropDisconnect = request.dropDisconnect;
  if (request.down !== undefined) settings.down = request.down;
  try {
    targets.gateway.set(settings);
  } catch (error) {
    throw new FaultRequestError((error as Error).message);
  }
  if (functionId && request.failFunction) targets.functions.failNext(functionId, request.failFunction.count ?? 1, 'injected fault', request.failFunction.afterMs);
  if (request.replicationDelayMs !== undefined) targets.replication?.set(request.replicationDelayMs);
}

export function clearFaults(targets: FaultTargets): void {
  targets.gateway.clear();
  targets.functions.clear();
  targets.replication?.clear();
}

/** The faults in force, in the request's shape (function failures are not listed). */
export function currentFaults(targets: Pick<FaultTargets, 'gateway' | 'replication'>): FaultRequest {
  const { postStatus, postDelayMs, dropDisconnect, down } = targets.gateway.current();
  const replicationDelayMs = targets.replication?.current();
  return {
    ...(postStatus ? { post: postStatus } : {}),
    ...(postDelayMs ? { postDelayMs } : {}),
    ...(dropDisconnect ? { dropDisconnect } : {}),
    ...(down ? { down } : {}),
    ...(replicationDelayMs === undefined ? {} : { replicationDelayMs }),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FaultRequestError(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function optionalNumber(object: Record<string, unknown>, key: string, what: string): Record<string, number> {
  const value = object[key];
  if (value === undefined) return {};
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new FaultRequestError(`${what} must be a number >= 0`);
  return { [key]: value };
}
