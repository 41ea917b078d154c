/**
 * The application the local cloud runs, as its `ready` line describes it: its WebSocket API
 * and routes, its HTTP API, tables, queues and outputs. The rooms, publish and pipeline
 * panels speak roomcast's protocol: for any other application they are hidden and the page
 * does not connect.
 */
import { byId, element } from './dom.js';
import type { ConsoleInfo } from './info.js';


export function showApplication(info: ConsoleInfo): void {
  const list = byId('application', HTMLElement);
  const app = info.application;
  const rows: Array<[string, string[]]> = [];
  if (app.webSocketApi) rows.push([`WebSocket API ${app.webSocketApi.name}`, [info.wsUrl, `routes: ${app.webSocketApi.routes.join(' ')}`]]);
  if (app.httpApi) rows.push([`HTTP API ${app.httpApi.name}`, [info.publishUrl, ...app.httpApi.routes]]);
  if (app.tables.length > 0) rows.push(['Tables', app.tables]);
  if (app.queues.length > 0) rows.push(['Queues', app.queues]);
  for (const [key, value] of Object.entries(info.outputs)) rows.push([`Output ${key}`, [value]]);
  list.replaceChildren(...rows.flatMap(([term, values]) => [element('dt', { text: term }), ...values.map((value) => element('dd', {}, element('code', { text: value })))]));
  if (app.roomcast) return;
  document.querySelectorAll<HTMLElement>('[data-roomcast]').forEach((panel) => (panel.hidden = true));
  byId('not-roomcast', HTMLElement).hidden = false;
}
