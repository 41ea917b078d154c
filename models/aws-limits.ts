/**
 * AWS quotas and scaling rules the makespan model uses, as documented on the pages named
 * below, read on LIMITS_TAKEN unless an entry says otherwise. Defaults of an account; several can be raised.
 */

export const LIMITS_TAKEN = '2026-11-22';

export const AWS_LIMITS = {
  /**
   * Requests per second per account and Region, shared by HTTP, REST and WebSocket APIs and
   * the WebSocket callback (`@connections`) API, so by every PostToConnection. Burst: a
   * token bucket of 5,000. Raisable.
   */
  apiGatewayRequestsPerSecond: {
    value: 10_000,
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
  },
  /**
   * SQS event source, standard queue, standard (default) mode: five concurrent invocations
   * once messages are available, then up to 300 more per minute, up to 1,250 concurrent
   * invocations per event source mapping (the page said 1,000 concurrent batches before).
   * It added 60 per minute until AWS's announcement of faster polling scale-up (AWS Compute
   * Blog, "Introducing faster polling scale-up for AWS Lambda functions configured with Amazon SQS").
   */
  sqsEventSourceInitialConcurrency: {
    value: 5,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
  },
  sqsEventSourceScaleUpPerMinute: {
    value: 300,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
  },
  sqsEventSourceMaxConcurrency: {
    value: 1_250,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
  },
  /**
   * Provisioned mode of an SQS event source (the template's DeliveryMinimumPollers above 0):
   * dedicated event pollers, at least MinimumPollers (2 to 200) always ready, each running up
   * to 10 invocations at once (LIMITS.sqsInvocationsPerPoller, layers/core), scaled by up to
   * 1,000 concurrent invocations a minute, up to 20,000. It excludes MaximumConcurrency: the
   * most pollers bound the invocations instead. Read 2026-12-07.
   */
  sqsProvisionedScaleUpPerMinute: {
    value: 1_000,
    source: 'https://aws.amazon.com/blogs/aws/aws-lambda-enhances-sqs-processing-with-new-provisioned-mode-3x-faster-scaling-16x-higher-capacity',
  },
  sqsProvisionedMaxConcurrency: {
    value: 20_000,
    source: 'https://aws.amazon.com/blogs/aws/aws-lambda-enhances-sqs-processing-with-new-provisioned-mode-3x-faster-scaling-16x-higher-capacity',
  },
  sqsProvisionedPollers: {
    value: { minimum: 2, most: 200 },
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedPollerConfig.html',
  },
  /**
   * Read request units per second of one on-demand DynamoDB table (its quota for on-demand
   * tables; raisable). A strongly consistent read of 4 KB is one unit: the planners' Queries
   * of a room's partitions draw on it. Read 2026-12-07.
   */
  dynamoTableReadUnitsPerSecond: {
    value: 40_000,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  },
  /**
   * Concurrent executions of all functions of an account and Region (raisable; new accounts
   * start lower): deliver and the planners share them. Read 2026-12-07.
   */
  lambdaConcurrentExecutions: {
    value: 1_000,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  },
  /** Memory at which a function has the equivalent of one vCPU; CPU share is proportional below. */
  lambdaMbPerVcpu: {
    value: 1_769,
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html',
  },
} as const;
