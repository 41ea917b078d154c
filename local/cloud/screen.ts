/** What the local cloud prints once it runs: one readable screen, then the `ready` line for scripts. */
import { DEFAULT_PORT, type CloudInfo } from './options.js';

/** `ready {...}`: one line of JSON, the contract with scripts and tests. */
export function readyLine(info: CloudInfo): string {
  return `ready ${JSON.stringify(info)}`;
}

export function startupScreen(info: CloudInfo, startedInMs: number): string {
  // The CLI finds the local cloud on the default port by itself; other ports are named.
  const port = new URL(info.wsUrl).port;
  const portFlag = port === String(DEFAULT_PORT) ? '' : ` --local-port ${port}`;
  const lines = [
    '',
    `roomcast local cloud: stack ${info.stackName} in ${info.region}, ready in ${(startedInMs / 1000).toFixed(1)} s`,
    '',
    `  WebSocket     ${info.wsUrl}${info.token ? '?token=<dev token>' : ''}`,
    `  Publish API   ${info.publishUrl}  (SigV4: service execute-api, region ${info.region})`,
    `  Console       ${info.consoleUrl}/`,
    `  @connections  ${info.connectionsUrl}`,
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
    `  Faults: POST ${info.controlUrl}/faults (see docs/local.md). Ctrl-C stops everything.`,
    '',
  ];
  return lines.join('\n');
}
