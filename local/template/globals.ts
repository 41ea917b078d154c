import { intrinsicName } from './intrinsics.js';
import type { Json, JsonObject } from './types.js';

/** Globals section -> the SAM resource type it applies to. */
const SECTIONS: Record<string, string> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  WebSocketApi: 'AWS::Serverless::WebSocketApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  LayerVersion: 'AWS::Serverless::LayerVersion',
};

/**
 * Merges SAM `Globals` into resource properties as SAM does: mappings merge key by key
 * (the resource's value wins), lists concatenate (globals first), anything else: the
 * resource's value wins. Intrinsic functions count as plain values.
 */
export function mergeGlobals(globals: JsonObject, type: string, properties: JsonObject): JsonObject {
  for (const [section, sectionType] of Object.entries(SECTIONS)) {
    const values = globals[section];
    if (sectionType === type && isMapping(values)) return merge(values, properties) as JsonObject;
  }
  return properties;
}

/** Globals sections this reader does not know, for warnings. */
export function unknownGlobalSections(globals: JsonObject): string[] {
  return Object.keys(globals).filter((section) => !(section in SECTIONS));
}

export function merge(global: Json, local: Json | undefined): Json {
  if (local === undefined) return global;
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isMapping(global) && isMapping(local)) {
    const out: JsonObject = { ...global };
    for (const [key, value] of Object.entries(local)) {
      const inherited = global[key];
      out[key] = inherited === undefined ? value : merge(inherited, value);
    }
    return out;
  }
  return local;
}

function isMapping(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && intrinsicName(value) === undefined;
}
