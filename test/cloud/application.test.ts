import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeApplication } from '../../local/cloud/application.js';
import { startupScreen, type CloudInfo } from '../../local/cloud.js';
import { readTemplateFile } from '../../local/template/index.js';

const file = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

describe('the application the local cloud describes', () => {
  it("is roomcast for roomcast's template: its routes and publish API are there", () => {
    const app = describeApplication(readTemplateFile(file('../../template.yaml'), { parameters: { AuthMode: 'none' } }));
    expect(app.roomcast).toBe(true);
    expect(app.webSocketApi?.routes).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', '$disconnect']));
    expect(app.httpApi?.routes).toContain('POST /rooms/{room}/messages');
  });

  it('is the application itself for any other template', () => {
    const app = describeApplication(readTemplateFile(file('../fixtures/apps/chat-raw/template.yaml'), { stackName: 'chat' }));
    expect(app).toEqual({
      roomcast: false,
      webSocketApi: { name: 'SimpleChatWebSocket', routes: ['$connect', '$disconnect', 'sendmessage', '$default'] },
      tables: ['simplechat_connections'],
      queues: [],
    });
  });

  it("prints roomcast's commands for roomcast only", () => {
    const base = { stackName: 'rc', region: 'us-east-1', wsUrl: 'ws://127.0.0.1:3000/dev', publishUrl: 'http://127.0.0.1:3001', connectionsUrl: 'http://127.0.0.1:3000/dev', consoleUrl: 'http://127.0.0.1:3002', controlUrl: 'http://127.0.0.1:3002/_roomcast', token: 't', outputs: {} } as unknown as CloudInfo;
    const roomcast = startupScreen({ ...base, application: { roomcast: true, tables: [], queues: [] } }, 1000);
    expect(roomcast).toContain('npx roomcast tail lobby');
    expect(roomcast).toContain('Publish API');
    const other = startupScreen({ ...base, token: '', outputs: { Url: 'x' }, application: { roomcast: false, httpApi: { name: 'Api', routes: ['GET /items'] }, tables: ['items'], queues: ['jobs'] } }, 1000);
    expect(other).not.toContain('roomcast tail');
    expect(other).toContain('HTTP API');
    expect(other).toContain('GET /items');
    expect(other).toContain('Queues        jobs');
    expect(other).toMatch(/Outputs\n {4}Url {2}x/);
  });
});
