import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SignedPoster } from './signed-post.js';

/**
 * The AWS clients a function uses, built once at cold start. Endpoints come from the
 * standard AWS_ENDPOINT_URL_* variables when set (the local cloud and tests use them).
 */
export interface AwsClients {
  dynamo: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** One management API client per endpoint (it differs per WebSocket API stage). */
  connectionsApi(endpoint: string): ApiGatewayManagementApiClient;
  /** PostToConnection without the SDK's per-request work, with that client's credentials. */
  poster(endpoint: string): SignedPoster;
}

const POST_SOCKETS = 256;

export function createAwsClients(region: string): AwsClients {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  // An explicit endpoint also stops the SDK from sending to the host in the queue URL,
  // which emulators do not serve.
  const sqsEndpoint = process.env.AWS_ENDPOINT_URL_SQS;
  const sqs = new SQSClient({ region, ...(sqsEndpoint ? { endpoint: sqsEndpoint } : {}) });
  const apis = new Map<string, ApiGatewayManagementApiClient>();
  const posters = new Map<string, SignedPoster>();
  const clients: AwsClients = {
    dynamo,
    sqs,
    poster(endpoint) {
      let poster = posters.get(endpoint);
      if (!poster) {
        poster = new SignedPoster(endpoint, region, clients.connectionsApi(endpoint).config.credentials);
        posters.set(endpoint, poster);
      }
      return poster;
    },
    connectionsApi(endpoint) {
      let client = apis.get(endpoint);
      if (!client) {
        // No SDK retries: delivery retries with its own jitter and deadline (aws-sdk-js-v3 #6896).
        // Posts run many at a time: enough sockets that they do not wait for one past their deadline.
        const requestHandler = new NodeHttpHandler({
          httpsAgent: new Agent({ keepAlive: true, maxSockets: POST_SOCKETS }),
          httpAgent: new HttpAgent({ keepAlive: true, maxSockets: POST_SOCKETS }),
        });
        client = new ApiGatewayManagementApiClient({ region, endpoint, maxAttempts: 1, requestHandler });
        apis.set(endpoint, client);
      }
      return client;
    },
  };
  return clients;
}
