import { describe, expect, it } from 'vitest';
import { API_QUEUE_TIMEOUT_MS, apiInvokeOptions } from '../../local/cloud/api-invoke.js';
import { parseTemplateText, readTemplate } from '../../local/template/index.js';

const model = readTemplate(
  parseTemplateText(`
Resources:
  Open: { Type: AWS::Serverless::Function, Properties: { CodeUri: f, Handler: index.handler } }
  Capped: { Type: AWS::Serverless::Function, Properties: { CodeUri: f, Handler: index.handler, ReservedConcurrentExecutions: 5 } }
`),
  { stackName: 'st' },
);

describe('how an API invokes a function locally', () => {
  it('waits up to the integration timeout for an environment of a function without reserved concurrency', () => {
    expect(API_QUEUE_TIMEOUT_MS).toBe(29_000);
    expect(apiInvokeOptions(model, 'Open')).toEqual({ queueTimeoutMs: 29_000 });
  });

  it("keeps the runtime's throttling for a function with reserved concurrency", () => {
    expect(apiInvokeOptions(model, 'Capped')).toEqual({});
  });
});
