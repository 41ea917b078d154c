import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../cli/errors.js';
import { endpointsFromStack } from '../../cli/stack.js';
import { regionOfUrl, targetRequest } from '../../cli/target-options.js';

const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
const WSS = 'wss://def456.execute-api.eu-west-1.amazonaws.com/prod';

describe('targets', () => {
  it('are the local cloud on its default port without flags', () => {
    expect(targetRequest({}, 'publish', {})).toEqual({ kind: 'local', port: 4510 });
    expect(targetRequest({ 'local-port': '4600' }, 'socket', {})).toEqual({ kind: 'local', port: 4600 });
  });

  it('are URLs, with the region the URL names, else --region, else AWS_REGION', () => {
    expect(targetRequest({ 'publish-url': `${API}/` }, 'publish', {})).toEqual({ kind: 'urls', wsUrl: '', publishUrl: API, region: 'eu-west-1' });
    expect(targetRequest({ url: WSS }, 'socket', {})).toEqual({ kind: 'urls', wsUrl: WSS, publishUrl: '', region: 'eu-west-1' });
    expect(targetRequest({ 'publish-url': API, region: 'us-east-2' }, 'publish', { AWS_REGION: 'ap-south-1' })).toMatchObject({ region: 'us-east-2' });
    expect(targetRequest({ 'publish-url': 'https://api.example.com/rc' }, 'publish', { AWS_REGION: 'ap-south-1' })).toMatchObject({ region: 'ap-south-1' });
    expect(targetRequest({ 'publish-url': 'https://api.example.com/rc' }, 'publish', { AWS_DEFAULT_REGION: 'sa-east-1' })).toMatchObject({ region: 'sa-east-1' });
    expect(regionOfUrl('https://x.execute-api.cn-north-1.amazonaws.com.cn/')).toBe('cn-north-1');
    expect(regionOfUrl('https://api.example.com/')).toBeUndefined();
  });

  it('are a stack, whose region may come from the AWS config later', () => {
    expect(targetRequest({ stack: 'roomcast' }, 'publish', {})).toEqual({ kind: 'stack', stack: 'roomcast' });
    expect(targetRequest({ stack: 'roomcast', region: 'eu-west-1' }, 'socket', {})).toEqual({ kind: 'stack', stack: 'roomcast', region: 'eu-west-1' });
  });

  it('refuse flags that do not go together, or a URL the command cannot use', () => {
    const refused = (values: Parameters<typeof targetRequest>[0], need: 'publish' | 'socket', message: string | RegExp): void => {
      expect(() => targetRequest(values, need, {})).toThrow(UsageError);
      expect(() => targetRequest(values, need, {})).toThrow(message);
    };
    refused({ region: 'eu-west-1' }, 'publish', '--region goes with --url/--publish-url or --stack');
    refused({ stack: 's', url: WSS }, 'socket', '--stack reads the URLs from the stack');
    refused({ stack: 's', 'local-port': '4600' }, 'socket', '--local-port is for the local cloud');
    refused({ stack: ' ' }, 'socket', '--stack needs a stack name');
    refused({ url: WSS }, 'publish', 'needs --publish-url');
    refused({ 'publish-url': API }, 'socket', 'needs --url');
    refused({ url: API }, 'socket', '--url must start with wss:// or ws://');
    refused({ 'publish-url': 'not a url' }, 'publish', '--publish-url is not a URL');
    refused({ 'publish-url': 'https://api.example.com' }, 'publish', 'pass --region');
    refused({ 'local-port': '65535' }, 'publish', '--local-port must be a whole number from 1 to 65533');
  });
});

describe('stack outputs', () => {
  const outputs = [
    { OutputKey: 'WebSocketUrl', OutputValue: WSS },
    { OutputKey: 'PublishUrl', OutputValue: `${API}/` },
    { OutputKey: 'MessagesTableName', OutputValue: 'roomcast-MessagesTable' },
  ];

  it('give the WebSocket and publish URLs', () => {
    expect(endpointsFromStack('roomcast', { StackName: 'roomcast', StackStatus: 'UPDATE_COMPLETE', Outputs: outputs }, 'eu-west-1')).toEqual({
      wsUrl: WSS,
      publishUrl: API,
      region: 'eu-west-1',
    });
  });

  it('say what is missing', () => {
    expect(() => endpointsFromStack('other', { StackStatus: 'CREATE_COMPLETE', Outputs: outputs.slice(1) }, 'eu-west-1')).toThrow(
      new CliError('stack other in eu-west-1 has no output WebSocketUrl (status CREATE_COMPLETE): is it a roomcast stack?'),
    );
    expect(() => endpointsFromStack('new', { StackStatus: 'CREATE_IN_PROGRESS' }, 'eu-west-1')).toThrow('(status CREATE_IN_PROGRESS)');
    expect(() => endpointsFromStack('gone', undefined, 'eu-west-1')).toThrow('stack gone not found in eu-west-1');
  });
});
