/**
 * The AWS URLs the template resolves to (`https://{api}.execute-api.{region}.amazonaws.com/...`)
 * and the local ones that stand for them: a function's variable or an output holding one
 * of these URLs gets the local URL instead.
 */
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
