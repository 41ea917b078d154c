/**
 * What the local cloud prints once it runs: one readable screen, then the `ready` line for
 * scripts. The screen describes the application that runs: its WebSocket URL and routes,
 * its HTTP API, its tables, queues and outputs. roomcast's own dev token and commands
 * appear when the application is roomcast.
 */
import type { ApplicationInfo } from './application.js';
import { DEFAULT_PORT, type CloudInfo } from './options.js';

/**
 * `ready {...}`: one line of JSON, the contract with scripts and tests. With several
 * regions it also carries `regions`, one object like it per region; its own fields are
 * the first region's.
 */
export function readyLine(info: CloudInfo, regions: CloudInfo[] = [info]): string {
  return `ready ${JSON.stringify(regions.length > 1 ? { ...info, regions } : info)}`;
}

export function startupScreen(info: CloudInfo, startedInMs: number, regions: CloudInfo[] = [info]): string {
  const app = info.application;
  const several = regions.length > 1;
  const lines = [
    '',
    `roomcast local cloud: stack ${info.stackName} in ${regions.map((region) => region.region).join(', ')}, ready in ${(startedInMs / 1000).toFixed(1)} s`,
    ...regions.flatMap((region) => [
      '',
      ...(several ? [`  ${region.region}${region === regions[0] ? ' (the CLI commands below use this one)' : ''}`] : []),
      ...endpointLines(region, app),
    ]),
    ...(several ? ['', '  Global tables are replicated between the regions (docs/local.md, "Several regions").'] : []),
    `  DynamoDB      ${info.dynamodbEndpoint}    SQS ${info.sqsEndpoint}`,
    `  Credentials   AWS_ACCESS_KEY_ID=${info.accessKeyId} AWS_SECRET_ACCESS_KEY=${info.secretAccessKey} AWS_REGION=${info.region}`,
    ...(app.roomcast ? roomcastLines(info) : applicationLines(info, app)),
    `  Faults: POST ${several ? '{a region\'s console}/_roomcast/faults' : `${info.controlUrl}/faults`} (see docs/local.md). Ctrl-C stops everything.`,
    '',
  ];
  return lines.join('\n');
}

function endpointLines(region: CloudInfo, app: ApplicationInfo): string[] {
  const ws = app.webSocketApi;
  const http = app.httpApi;
  const lines: string[] = [];
  if (region.wsUrl) {
    const routes = ws && !app.roomcast ? `  (${ws.name}: ${ws.routes.join(' ')})` : '';
    lines.push(`  WebSocket     ${region.wsUrl}${region.token ? '?token=<dev token>' : ''}${routes}`);
  }
  if (region.publishUrl) {
    const label = app.roomcast ? 'Publish API ' : 'HTTP API    ';
    lines.push(`  ${label}  ${region.publishUrl}  (SigV4: service execute-api, region ${region.region})`);
    if (http && !app.roomcast) lines.push(`                ${http.routes.join(', ')}`);
  }
  lines.push(`  Console       ${region.consoleUrl}/`);
  if (region.connectionsUrl) lines.push(`  @connections  ${region.connectionsUrl}`);
  return lines;
}

/** roomcast's dev token and the commands to try it. */
function roomcastLines(info: CloudInfo): string[] {
  // The CLI finds the local cloud on the default port by itself; other ports are named.
  const port = new URL(info.wsUrl).port;
  const portFlag = port === String(DEFAULT_PORT) ? '' : ` --local-port ${port}`;
  return [
    '',
    ...(info.token
      ? [`  Dev token (sub dev, every room, valid until ${info.tokenExpiresAt}):`, `  ${info.token}`]
      : ['  No dev token: the template verifies tokens with JwtJwksUrl; use one from your issuer.']),
    '',
    '  Follow room "lobby" (from this folder, in another terminal):',
    `  npx roomcast tail lobby${portFlag}`,
    '',
    '  Publish to it (signed with the local credentials; docs/cli.md):',
    `  npx roomcast publish lobby '{"hello":1}'${portFlag}`,
    '',
  ];
}

/** Any other application: its data, its outputs, and how to reach its connections. */
function applicationLines(info: CloudInfo, app: ApplicationInfo): string[] {
  const outputs = Object.entries(info.outputs);
  const width = Math.max(0, ...outputs.map(([key]) => key.length));
  return [
    ...(app.tables.length > 0 ? [`  Tables        ${app.tables.join(', ')}`] : []),
    ...(app.queues.length > 0 ? [`  Queues        ${app.queues.join(', ')}`] : []),
    ...(outputs.length > 0 ? ['', '  Outputs', ...outputs.map(([key, value]) => `    ${key.padEnd(width)}  ${value}`)] : []),
    ...(info.connectionsUrl
      ? [
          '',
          '  Post to a connection with the AWS CLI (and the credentials above):',
          `  aws apigatewaymanagementapi post-to-connection --endpoint-url ${info.connectionsUrl} --connection-id <id> --data '{"hello":1}'`,
        ]
      : []),
    '',
  ];
}
