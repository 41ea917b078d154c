/** The local cloud's options with every default filled in: files, parameters, names, ports. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplateText, type JsonObject, type ReadOptions } from '../template/index.js';
import { devSecret } from './persisted-secret.js';
import { DEFAULT_PORT, DEFAULT_REPLICATION_DELAY_MS, type LocalCloudOptions } from './options.js';
import { localParameters } from './parameters.js';
import { readSamConfig } from './samconfig.js';

export interface Ports {
  gateway: number;
  http: number;
  console: number;
  dynamodb: number;
  sqs: number;
}

/** One region of the local cloud: its name and ports (the services' ports are shared). */
export interface RegionSettings {
  region: string;
  ports: Ports;
}

export interface CloudSettings {
  template: JsonObject;
  read: ReadOptions & { stackName: string; region: string; baseDir: string; parameters: Record<string, string> };
  host: string;
  ports: Ports;
  /** One region, or several (the first is `read.region`); each has its own block of ports. */
  regions: RegionSettings[];
  /** With several regions: how long a change takes to reach the other regions, after it is read. */
  replicationDelayMs: number;
  jwtSecret: string;
  /** Folders whose changes reload the functions (those of functions/ and layers/ that exist). */
  watch: string[];
  /** The console page. */
  page: string;
}

export function cloudSettings(options: LocalCloudOptions): CloudSettings {
  const file = resolve(options.template ?? 'template.yaml');
  if (!existsSync(file)) throw new Error(`no template at ${file} (run from the project folder, or pass --template FILE)`);
  const baseDir = dirname(file);
  const template = parseTemplateText(readFileSync(file, 'utf8'), file);
  const samconfigFile = options.samconfig === false ? undefined : resolve(baseDir, options.samconfig ?? 'samconfig.toml');
  const samconfig = samconfigFile ? readSamConfig(samconfigFile) : { parameterOverrides: {} };
  const first = options.port ?? DEFAULT_PORT;
  const next = (offset: number): number => (first === 0 ? 0 : first + offset);
  const ports = { gateway: next(0), http: next(1), console: next(2), dynamodb: next(3), sqs: next(4) };
  const regions = options.regions ? regionNames(options.regions) : [options.region ?? samconfig.region ?? 'us-east-1'];
  return {
    template,
    read: {
      stackName: options.stackName ?? samconfig.stackName ?? 'roomcast',
      region: regions[0]!,
      baseDir,
      parameters: localParameters(template, samconfig, options.parameterOverrides ?? {}),
    },
    host: options.host ?? '127.0.0.1',
    ports,
    // Region k takes the ports of the first one shifted by 5k: gateway, HTTP API, console.
    regions: regions.map((region, k) => ({ region, ports: { ...ports, gateway: next(5 * k), http: next(5 * k + 1), console: next(5 * k + 2) } })),
    replicationDelayMs: options.replicationDelayMs ?? DEFAULT_REPLICATION_DELAY_MS,
    jwtSecret: options.jwtSecret ?? devSecret(options.persistDir),
    watch: options.watch === false ? [] : ['functions', 'layers'].map((name) => join(baseDir, name)).filter((dir) => existsSync(dir)),
    page: fileURLToPath(new URL('../../web/index.html', import.meta.url)),
  };
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** What is wrong with a list of region names, if anything. */
export function regionListProblem(regions: string[]): string | undefined {
  if (regions.length === 0) return 'name at least one region, like eu-west-1,us-east-1';
  const bad = regions.find((region) => !REGION_NAME.test(region));
  if (bad !== undefined) return `${JSON.stringify(bad)} is not a region name (like eu-west-1)`;
  const twice = regions.find((region, index) => regions.indexOf(region) !== index);
  return twice === undefined ? undefined : `${twice} is named twice`;
}

function regionNames(regions: string[]): string[] {
  const problem = regionListProblem(regions);
  if (problem) throw new Error(`regions: ${problem}`);
  return regions;
}
