/**
 * The AWS URLs the template resolves to (`https://{api}.execute-api.{region}.amazonaws.com/...`)
 * and the local ones that stand for them: a function's variable or an output holding one
 * of these URLs gets the local URL instead.
 */
import type { EndpointAlias } from '../lambda/index.js';
import type { TemplateModel } from '../template/index.js';

export interface LocalUrls {
  wsUrl: string;
  connectionsUrl: string;
  publishUrl: string;
}

export function localEndpointMap(model: TemplateModel, local: LocalUrls): Map<string, string> {
  const host = (id: string): string => `${id}.execute-api.${model.region}.amazonaws.com`;
  const map = new Map<string, string>();
  const ws = model.websocketApis[0];
  if (ws) {
    const stagePath = ws.stageName === '$default' ? '' : `/${ws.stageName}`;
    map.set(`https://${host(ws.id)}${stagePath}`, local.connectionsUrl);
    map.set(`wss://${host(ws.id)}${stagePath}`, local.wsUrl);
  }
  const http = model.httpApis[0];
  if (http) {
    const stagePath = http.stageName === '$default' ? '' : `/${http.stageName}`;
    map.set(`https://${host(http.id)}${stagePath}`, local.publishUrl);
  }
  return map;
}

/** The values, with every URL of the map replaced by its local one. */
export function withLocalEndpoints(values: Record<string, string>, map: Map<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, map.get(value) ?? value]));
}

/**
 * The HTTPS endpoints a function may build for the application's APIs, and the local
 * servers that answer for them: `{apiId}.execute-api.{region}.amazonaws.com` (port 443),
 * and the local server's own address, which is the domainName of the events it sends.
 */
export function endpointAliases(model: TemplateModel, local: LocalUrls): EndpointAlias[] {
  const aliases: EndpointAlias[] = [];
  const add = (apiId: string | undefined, localUrl: string): void => {
    if (apiId === undefined || localUrl === '') return;
    const url = new URL(localUrl);
    const target = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
    aliases.push({ host: `${apiId}.execute-api.${model.region}.amazonaws.com`, port: 443, target });
    for (const host of new Set([target.host, '127.0.0.1', 'localhost'])) aliases.push({ host, port: target.port, target });
  };
  add(model.websocketApis[0]?.id, local.connectionsUrl);
  add(model.httpApis[0]?.id, local.publishUrl);
  return aliases;
}
