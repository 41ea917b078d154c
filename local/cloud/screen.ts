/** What the local cloud prints once it runs: one readable screen, then the `ready` line for scripts. */
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
  // The CLI finds the local cloud on the default port by itself; other ports are named.
  const port = new URL(info.wsUrl).port;
  const portFlag = port === String(DEFAULT_PORT) ? '' : ` --local-port ${port}`;
  const several = regions.length > 1;
  const lines = [
    '',
    `roomcast local cloud: stack ${info.stackName} in ${regions.map((region) => region.region).join(', ')}, ready in ${(startedInMs / 1000).toFixed(1)} s`,
    ...regions.flatMap((region) => [
      '',
      ...(several ? [`  ${region.region}${region === regions[0] ? ' (the CLI commands below use this one)' : ''}`] : []),
      `  WebSocket     ${region.wsUrl}${region.token ? '?token=<dev token>' : ''}`,
      `  Publish API   ${region.publishUrl}  (SigV4: service execute-api, region ${region.region})`,
      `  Console       ${region.consoleUrl}/`,
      `  @connections  ${region.connectionsUrl}`,
    ]),
    ...(several ? ['', '  Global tables are replicated between the regions (docs/local.md, "Several regions").'] : []),
    `  DynamoDB      ${info.dynamodbEndpoint}    SQS ${info.sqsEndpoint}`,
    `  Credentials   AWS_ACCESS_KEY_ID=${info.accessKeyId} AWS_SECRET_ACCESS_KEY=${info.secretAccessKey} AWS_REGION=${info.region}`,
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
    `  Faults: POST ${several ? '{a region\'s console}/_roomcast/faults' : `${info.controlUrl}/faults`} (see docs/local.md). Ctrl-C stops everything.`,
    '',
  ];
  return lines.join('\n');
}
