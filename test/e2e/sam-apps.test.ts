/**
 * Two SAM WebSocket applications that are not roomcast run on the local cloud unmodified:
 * a chat in the style of AWS's samples (raw ApiGatewayV2 resources, a table named by a
 * parameter, CommonJS and ESM functions importing the AWS SDK without bundling it, the
 * management endpoint built from the event's domainName), and one on
 * AWS::Serverless::WebSocketApi that builds `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`.
 * Each is copied outside the repository first, so that nothing resolves from its packages
 * but what Lambda's runtime provides.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startupScreen, type LocalCloud } from '../../local/cloud.js';
import { appCloud } from './apps.js';
import { services } from './services.js';
import { Socket } from './support.js';

/** The AWS CLI: ROOMCAST_AWS_CLI (CI installs one), else `aws` on the PATH, if there is one. */
const AWS_CLI = process.env.ROOMCAST_AWS_CLI ?? 'aws';
const hasAwsCli = await new Promise<boolean>((resolve) => execFile(AWS_CLI, ['--version'], (error) => resolve(!error)));

function managementClient(cloud: LocalCloud, endpoint = cloud.info.connectionsUrl): ApiGatewayManagementApiClient {
  const { region, accessKeyId, secretAccessKey } = cloud.info;
  return new ApiGatewayManagementApiClient({ region, endpoint, credentials: { accessKeyId, secretAccessKey } });
}

describe('a chat in the style of AWS samples: raw ApiGatewayV2 resources, unbundled SDK', () => {
  const table = `chat_${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8)}_connections`;
  const cloud = appCloud('chat-raw', { TableName: table });

  it('creates the table under the name the template gives it, and the functions find it', async () => {
    const ann = await Socket.connect(`${cloud().info.wsUrl}?name=ann`);
    const bob = await Socket.connect(`${cloud().info.wsUrl}?name=bob`);
    const { dynamo } = services(cloud().regions[0]!);
    const item = await dynamo.send(new GetItemCommand({ TableName: table, Key: { connectionId: { S: cloud().servers.gateway!.gateway.connections()[0]! } }, ConsistentRead: true }));
    expect(item.Item?.name?.S).toMatch(/^(ann|bob)$/);

    // sendmessage posts to every connection through https://{domainName}/{stage}.
    ann.send({ action: 'sendmessage', data: 'hello' });
    expect(await bob.waitFor((frame) => frame.text === 'hello', 'the chat message')).toEqual({ from: 'ann', text: 'hello' });
    expect(await ann.waitFor((frame) => frame.text === 'hello', 'the chat message')).toEqual({ from: 'ann', text: 'hello' });

    // $default answers on the socket through its route response.
    bob.send({ action: 'dance' });
    expect(await bob.waitFor((frame) => 'unknown' in frame, "$default's route response")).toEqual({ unknown: 'dance' });
    ann.ws.close();
    bob.ws.close();
    await Promise.all([ann.closed, bob.closed]);
  });

  it('describes this application, not roomcast, on its start screen and in its ready line', () => {
    const info = cloud().info;
    expect(info.token).toBe('');
    expect(info.application).toMatchObject({ roomcast: false, webSocketApi: { name: 'SimpleChatWebSocket', routes: ['$connect', '$disconnect', 'sendmessage', '$default'] }, tables: [table] });
    expect(info.outputs.WebSocketURI).toBe(info.wsUrl);
    const screen = startupScreen(info, 1000);
    expect(screen).toContain('sendmessage');
    expect(screen).toContain(`Tables        ${table}`);
    expect(screen).toContain(`--endpoint-url ${info.connectionsUrl}`);
    expect(screen).not.toMatch(/roomcast (tail|publish)|Dev token|Publish API/);
  });
});

describe('a chat on AWS::Serverless::WebSocketApi, reaching its management API by the API id', () => {
  const cloud = appCloud('chat-sam');

  it('answers GetConnection, PostToConnection and DeleteConnection made inside a function', async () => {
    const ann = await Socket.connect(cloud().info.wsUrl);
    const bob = await Socket.connect(cloud().info.wsUrl);
    ann.send({ action: 'whoami' });
    const me = await ann.waitFor((frame) => 'connectionId' in frame, "whoami's answer");
    expect(me).toMatchObject({ sourceIp: '127.0.0.1', connectedAt: expect.stringMatching(/^\d{4}-/) });
    expect(cloud().servers.gateway!.gateway.connections()).toContain(me.connectionId);

    ann.send({ action: 'broadcast', text: 'hi' });
    expect(await bob.waitFor((frame) => frame.text === 'hi', 'the broadcast')).toEqual({ from: me.connectionId, text: 'hi' });

    bob.send({ action: 'kick', connectionId: me.connectionId });
    expect((await ann.closed).code).toBe(1000);
    bob.ws.close();
    await bob.closed;
  });

  it('is reached from outside with its @connections URL as the endpoint, as the AWS CLI does with --endpoint-url', async () => {
    const client = await Socket.connect(cloud().info.wsUrl);
    client.send({ action: 'whoami' });
    const { connectionId } = await client.waitFor((frame) => 'connectionId' in frame, "whoami's answer");
    const api = managementClient(cloud());
    await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: '{"from":"outside"}' }));
    expect(await client.waitFor((frame) => frame.from === 'outside', 'the post from outside')).toEqual({ from: 'outside' });
    expect((await api.send(new GetConnectionCommand({ ConnectionId: connectionId }))).Identity?.SourceIp).toBe('127.0.0.1');
    api.destroy();
    client.ws.close();
    await client.closed;
  });

  it.runIf(hasAwsCli || process.env.CI)('is reached by the AWS CLI with --endpoint-url: post-to-connection, get-connection, delete-connection', async () => {
    const client = await Socket.connect(cloud().info.wsUrl);
    client.send({ action: 'whoami' });
    const { connectionId } = await client.waitFor((frame) => 'connectionId' in frame, "whoami's answer");
    const { region, accessKeyId, secretAccessKey, connectionsUrl } = cloud().info;
    const aws = (...args: string[]): Promise<string> =>
      new Promise((resolve, reject) =>
        execFile(
          AWS_CLI,
          ['apigatewaymanagementapi', ...args, '--endpoint-url', connectionsUrl, `--connection-id=${connectionId}`],
          { env: { PATH: process.env.PATH, HOME: tmpdir(), AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_DEFAULT_REGION: region, AWS_CONFIG_FILE: '/dev/null' } },
          (error, stdout, stderr) => (error ? reject(new Error(`aws ${args[0]}: ${stderr || error.message}`)) : resolve(stdout)),
        ),
      );
    await aws('post-to-connection', '--data', '{"from":"aws-cli"}');
    expect(await client.waitFor((frame) => frame.from === 'aws-cli', "the AWS CLI's post")).toEqual({ from: 'aws-cli' });
    expect(JSON.parse(await aws('get-connection')).Identity.SourceIp).toBe('127.0.0.1');
    await aws('delete-connection');
    expect((await client.closed).code).toBe(1000);
  });

  it('creates the table without a declared name under the stack prefix, as AWS does', () => {
    const [table] = cloud().info.application.tables;
    expect(table).toBe(`${cloud().info.stackName}-ConnectionsTable`);
    expect(cloud().info.outputs.ConnectionsTableName).toBe(table);
  });
});
