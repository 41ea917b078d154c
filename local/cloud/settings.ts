/** The local cloud's options with every default filled in: files, parameters, names, ports. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTemplateText, type JsonObject, type ReadOptions } from '../template/index.js';
import { devSecret } from './persisted-secret.js';
import { DEFAULT_PORT, type LocalCloudOptions } from './options.js';
import { localParameters } from './parameters.js';
import { readSamConfig } from './samconfig.js';

export interface Ports {
  gateway: number;
  http: number;
  console: number;
  dynamodb: number;
  sqs: number;
}

export interface CloudSettings {
  template: JsonObject;
  read: ReadOptions & { stackName: string; region: string; baseDir: string; parameters: Record<string, string> };
  host: string;
  ports: Ports;
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
  return {
    template,
    read: {
      stackName: options.stackName ?? samconfig.stackName ?? 'roomcast',
      region: options.region ?? samconfig.region ?? 'us-east-1',
      baseDir,
      parameters: localParameters(template, samconfig, options.parameterOverrides ?? {}),
    },
    host: options.host ?? '127.0.0.1',
    ports: { gateway: next(0), http: next(1), console: next(2), dynamodb: next(3), sqs: next(4) },
    jwtSecret: options.jwtSecret ?? devSecret(options.persistDir),
    watch: options.watch === false ? [] : ['functions', 'layers'].map((name) => join(baseDir, name)).filter((dir) => existsSync(dir)),
    page: fileURLToPath(new URL('../../web/index.html', import.meta.url)),
  };
}
