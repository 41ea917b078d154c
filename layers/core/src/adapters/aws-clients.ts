import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
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
        // No SDK retries: callers retry with their own jitter and deadline (aws-sdk-js-v3 #6896).
        // Only DeleteConnection goes through it (and the poster takes its credentials): posts
        // go out through SignedPoster, which keeps its own sockets.
        client = new ApiGatewayManagementApiClient({ region, endpoint, maxAttempts: 1 });
        apis.set(endpoint, client);
      }
      return client;
    },
  };
  return clients;
}
