/** What the local cloud prints once it runs: one readable screen, then the `ready` line for scripts. */
import type { CloudInfo } from './options.js';

/** `ready {...}`: one line of JSON, the contract with scripts and tests. */
export function readyLine(info: CloudInfo): string {
  return `ready ${JSON.stringify(info)}`;
}

export function startupScreen(info: CloudInfo, startedInMs: number): string {
  const wsWithToken = info.token ? `${info.wsUrl}?token=${info.token}` : info.wsUrl;
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
    '  Subscribe to room "lobby" (from this folder, in another terminal):',
    `  node -e "const ws = new (require('ws'))(process.argv[1]); ws.on('open', () => ws.send(JSON.stringify({ action: 'subscribe', rooms: ['lobby'], snapshot: true }))); ws.on('message', (m) => console.log(String(m)))" '${wsWithToken}'`,
    '',
    '  Publish to it (signed with the local credentials):',
    `  node --import ./bin/ts-register.mjs --input-type=module -e "import { signedFetch } from './local/http-api/sign.ts'; const r = await signedFetch('${info.publishUrl}/rooms/lobby/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { hello: 1 } }) }, { region: '${info.region}', credentials: { accessKeyId: '${info.accessKeyId}', secretAccessKey: '${info.secretAccessKey}' } }); console.log(r.status, await r.text())"`,
    '',
    `  Faults: POST ${info.controlUrl}/faults (see docs/local.md). Ctrl-C stops everything.`,
    '',
  ];
  return lines.join('\n');
}
