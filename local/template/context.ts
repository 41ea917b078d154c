import { mergeGlobals, unknownGlobalSections } from './globals.js';
import { identify, type Identity } from './identity.js';
import { evaluate, evaluateCondition, NO_VALUE, type Scope } from './intrinsics.js';
import { pseudoParameters, resolveParameters, type PseudoParameters } from './parameters.js';
import { referableProperty, SAM_WEBSOCKET_API, samWebSocketParts, type GeneratedResource } from './sam-websocket.js';
import { TemplateError, type Json, type JsonObject, type ReadOptions } from './types.js';

export interface Resource {
  logicalId: string;
  type: string;
  /** Properties with SAM Globals merged, not yet resolved. */
  properties: JsonObject;
  metadata: JsonObject;
}

/** Types SAM creates behind the scenes, referable by their generated logical ids. */
const IMPLICIT_SUFFIXES: Array<[RegExp, string]> = [
  [/^(.+)Role$/, 'AWS::IAM::Role'],
  [/^(.+)Alias[A-Za-z0-9]+$/, 'AWS::Lambda::Alias'],
];

/** One template with its parameters, conditions and local identities: the `Scope` of every intrinsic. */
export class TemplateContext implements Scope {
  readonly warnings: string[] = [];
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  /** Several local regions (see ReadOptions.regionalNames). */
  readonly regionalNames: boolean;
  readonly parameters: Record<string, string | string[]>;
  readonly resources = new Map<string, Resource>();
  readonly dropped: string[] = [];
  private readonly pseudo: PseudoParameters;
  private readonly conditionValues = new Map<string, boolean>();
  private readonly identities = new Map<string, Identity>();
  private readonly pending = new Set<string>();

  constructor(
    readonly template: JsonObject,
    private readonly options: ReadOptions,
  ) {
    this.stackName = options.stackName ?? 'roomcast';
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.regionalNames = options.regionalNames ?? false;
    this.pseudo = pseudoParameters(this.stackName, this.region, this.accountId);
    this.parameters = resolveParameters(template.Parameters, options.parameters ?? {}, this.warnings);
    const globals = asObject(template.Globals, 'Globals');
    for (const section of unknownGlobalSections(globals)) this.warnings.push(`Globals.${section}: not a SAM Globals section this reader knows (ignored)`);
    for (const [logicalId, raw] of Object.entries(asObject(template.Resources, 'Resources'))) {
      const resource = asObject(raw, `Resources.${logicalId}`);
      if (typeof resource.Type !== 'string') throw new TemplateError(`Resources.${logicalId}: no Type`);
      if (typeof resource.Condition === 'string' && !this.condition(resource.Condition, `Resources.${logicalId}.Condition`)) {
        this.dropped.push(logicalId);
        continue;
      }
      const properties = mergeGlobals(globals, resource.Type, asObject(resource.Properties, `Resources.${logicalId}.Properties`));
      this.resources.set(logicalId, { logicalId, type: resource.Type, properties, metadata: asObject(resource.Metadata, `Resources.${logicalId}.Metadata`) });
    }
  }

  /** Evaluates every intrinsic in `node`; undefined when it is AWS::NoValue. */
  resolve(node: Json | undefined, path: string): Json | undefined {
    if (node === undefined) return undefined;
    const value = evaluate(node, this, path);
    return value === NO_VALUE ? undefined : value;
  }

  /** One resolved property of a resource. */
  prop(logicalId: string, key: string): Json | undefined {
    return this.resolve(this.resources.get(logicalId)?.properties[key], `Resources.${logicalId}.Properties.${key}`);
  }

  ofType(...types: string[]): Resource[] {
    return [...this.resources.values()].filter((resource) => types.includes(resource.type));
  }

  conditions(): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const name of Object.keys(asObject(this.template.Conditions, 'Conditions'))) out[name] = this.condition(name, `Conditions.${name}`);
    return out;
  }

  condition(name: string, path: string): boolean {
    const known = this.conditionValues.get(name);
    if (known !== undefined) return known;
    const definition = asObject(this.template.Conditions, 'Conditions')[name];
    if (definition === undefined) throw new TemplateError(`${path}: unknown condition ${JSON.stringify(name)}`);
    const key = `condition:${name}`;
    if (this.pending.has(key)) throw new TemplateError(`${path}: condition ${name} depends on itself`);
    this.pending.add(key);
    try {
      const value = evaluateCondition(definition, this, `Conditions.${name}`);
      this.conditionValues.set(name, value);
      return value;
    } finally {
      this.pending.delete(key);
    }
  }

  ref(name: string, path: string): Json {
    if (name in this.parameters) return this.parameters[name] ?? '';
    if (name in this.pseudo) return this.pseudo[name as keyof PseudoParameters];
    if (name.startsWith('AWS::')) throw new TemplateError(`${path}: unknown pseudo parameter ${name}`);
    return this.identity(this.referable(name) ?? name, path).ref;
  }

  getAtt(logicalId: string, attribute: string, path: string): Json {
    const referable = this.referable(`${logicalId}.${attribute}`);
    if (referable) return this.identity(referable, path).ref;
    const identity = this.identity(logicalId, path);
    const value = identity.attributes[attribute];
    if (value !== undefined) return value;
    const type = this.resources.get(logicalId)?.type ?? 'implicit';
    this.warnings.push(`${path}: ${logicalId} (${type}) has no local value for attribute ${attribute}; using a placeholder`);
    return `local:${logicalId}.${attribute}`;
  }

  findInMap(map: string, top: string, second: string): Json | undefined {
    const level = asObject(this.template.Mappings, 'Mappings')[map];
    const inner = level && typeof level === 'object' && !Array.isArray(level) ? level[top] : undefined;
    return inner && typeof inner === 'object' && !Array.isArray(inner) ? inner[second] : undefined;
  }

  importValue(name: string, path: string): Json {
    const value = this.options.imports?.[name];
    if (value !== undefined) return value;
    this.warnings.push(`${path}: Fn::ImportValue ${JSON.stringify(name)} has no local value (pass it in imports); using a placeholder`);
    return `import:${name}`;
  }

  /** The local identity of a resource (or of a resource SAM generates implicitly). */
  identity(logicalId: string, path: string): Identity {
    const known = this.identities.get(logicalId);
    if (known) return known;
    const declared = this.resources.get(logicalId);
    const implicit = declared ? undefined : this.implicit(logicalId);
    const type = declared?.type ?? implicit?.type;
    if (!type) {
      const why = this.dropped.includes(logicalId) ? 'its Condition is false' : 'no such parameter or resource';
      throw new TemplateError(`${path}: cannot reference ${JSON.stringify(logicalId)}: ${why}`);
    }
    const key = `resource:${logicalId}`;
    if (this.pending.has(key)) throw new TemplateError(`${path}: ${logicalId} refers to itself`);
    this.pending.add(key);
    try {
      const prop = (key: string): Json | undefined => (declared ? this.prop(logicalId, key) : this.resolve(implicit?.properties[key], `${path} (${logicalId}.${key})`));
      const identity = identify(logicalId, type, prop, {
        stackName: this.stackName,
        region: this.region,
        accountId: this.accountId,
        regionalNames: this.regionalNames,
        queueUrl: (name) => queueUrlOf(this.options.queueUrl, name),
      });
      if (type === 'AWS::Lambda::Alias') {
        const alias = /^(.+)Alias([A-Za-z0-9]+)$/.exec(logicalId);
        const fn = this.identity(alias?.[1] ?? '', path);
        identity.ref = `${String(fn.attributes.Arn)}:${alias?.[2] ?? ''}`;
      }
      this.identities.set(logicalId, identity);
      return identity;
    } finally {
      this.pending.delete(key);
    }
  }

  /** A resource SAM generates: the implicit APIs, a function's role and aliases, a WebSocket API's routes, stage... */
  private implicit(logicalId: string): GeneratedResource | undefined {
    if (logicalId === 'ServerlessHttpApi') return { type: 'AWS::Serverless::HttpApi', properties: {} };
    if (logicalId === 'ServerlessRestApi') return { type: 'AWS::Serverless::Api', properties: {} };
    for (const [pattern, type] of IMPLICIT_SUFFIXES) {
      const owner = pattern.exec(logicalId)?.[1];
      if (owner && this.resources.get(owner)?.type === 'AWS::Serverless::Function') return { type, properties: {} };
    }
    for (const { logicalId: api, properties } of this.ofType(SAM_WEBSOCKET_API)) {
      const generated = samWebSocketParts(api, properties).get(logicalId);
      if (generated) return generated;
    }
    return undefined;
  }

  /** `<Api>.Stage` (a SAM resource's referable property, in a Ref, a GetAtt or a Sub) -> the logical id of the generated stage. */
  private referable(name: string): string | undefined {
    const dot = name.indexOf('.');
    const owner = dot > 0 ? this.resources.get(name.slice(0, dot)) : undefined;
    if (owner?.type !== SAM_WEBSOCKET_API) return undefined;
    return referableProperty(owner.logicalId, owner.properties, name.slice(dot + 1));
  }
}

function queueUrlOf(source: ReadOptions['queueUrl'], name: string): string | undefined {
  if (typeof source === 'function') return source(name);
  return source?.[name];
}

export function asObject(value: Json | undefined, path: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new TemplateError(`${path}: expected a mapping`);
  return value;
}
