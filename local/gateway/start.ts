import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostCheck } from '../shared/host-check.js';
import { hostPort, listen } from '../shared/listen.js';
import { createGateway } from './gateway.js';
import type { StartedGateway, StartGatewayOptions } from './types.js';

/** A gateway on its own HTTP server (127.0.0.1 and a free port unless told otherwise). */
export async function startGateway(options: StartGatewayOptions): Promise<StartedGateway> {
  const { port = 0, host = '127.0.0.1', ...gatewayOptions } = options;
  // Functions that build the management endpoint from the API id reach it under that name.
  const awsName = `${options.apiId}.execute-api.${options.region}.amazonaws.com`;
  const gateway = createGateway({ hostCheck: hostCheck(host, [awsName]), ...gatewayOptions });
  const server = createServer();
  gateway.attach(server);
  await listen(server, port, host, 'the WebSocket gateway');
  const address = server.address() as AddressInfo;
  const origin = hostPort(address.address, address.port);
  const stagePath = options.stage === '$default' ? '' : `/${options.stage}`;
  return {
    gateway,
    url: `ws://${origin}${stagePath}`,
    connectionsUrl: `http://${origin}${stagePath}`,
    async close(): Promise<void> {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
