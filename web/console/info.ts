/** What the local cloud runs (`GET /_roomcast/info`), and the addresses block that shows it. */
import type { CloudInfo } from '@roomcast/local';
import { byId } from './dom.js';

export type ConsoleInfo = Pick<
  CloudInfo,
  | 'stackName'
  | 'region'
  | 'wsUrl'
  | 'publishUrl'
  | 'connectionsUrl'
  | 'controlUrl'
  | 'accessKeyId'
  | 'secretAccessKey'
  | 'token'
  | 'tokenExpiresAt'
  | 'outputs'
  | 'application'
>;

export async function loadInfo(): Promise<ConsoleInfo> {
  const response = await fetch('/_roomcast/info');
  if (!response.ok) throw new Error(`/_roomcast/info answered ${response.status}`);
  return (await response.json()) as ConsoleInfo;
}

export function showAddresses(info: ConsoleInfo): void {
  const values: Record<string, string> = {
    'info-stack': `${info.stackName} in ${info.region}`,
    'info-ws': info.wsUrl,
    'info-publish': info.publishUrl,
    'info-connections': info.connectionsUrl,
    'info-credentials': `AWS_ACCESS_KEY_ID=${info.accessKeyId} AWS_SECRET_ACCESS_KEY=${info.secretAccessKey}`,
    'info-faults': `${info.controlUrl}/faults`,
    'info-sdk': `${new URL('/roomcast.js', location.href).href}`,
  };
  for (const [id, text] of Object.entries(values)) byId(id, HTMLElement).textContent = text;
}
