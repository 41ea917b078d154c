/** Limits of API Gateway WebSocket APIs and of roomcast itself. */
export const LIMITS = {
  /** API Gateway WebSocket frame size. */
  frameBytes: 32 * 1024,
  /** API Gateway WebSocket message size (also the most PostToConnection sends). */
  messageBytes: 128 * 1024,
  /** Room for the snapshot frame's wrapper around a message of the largest size. */
  frameSlack: 512,
  roomNameLength: 128,
  roomsPerFrame: 50,
  roomsPerConnection: 200,
  batchMessages: 25,
  idLength: 128,
  /** The deepest JSON nesting a published `data` may have. */
  dataDepth: 32,
  /** A connection lives at most 2 h on API Gateway; rows outlive it a little. */
  connectionTtlSeconds: 2 * 60 * 60 + 10 * 60,
  /** SQS message size we plan delivery jobs for. */
  jobBytes: 256 * 1024,
  /** SendMessageBatch: entries per call. */
  sqsBatchEntries: 10,
  /** An SQS event source's event poller in provisioned mode runs up to this many invocations at once. */
  sqsInvocationsPerPoller: 10,
  /** The longest token a `refresh` frame may carry (a JWT with many room patterns fits). */
  tokenChars: 8192,
  /** The shortest HS256 secret accepted: as long as the hash (RFC 7518, section 3.2). */
  hs256SecretBytes: 32,
} as const;

/** Why an HS256 secret of this many bytes is refused, or undefined: a short one can be guessed offline from one token. */
export function hs256SecretProblem(bytes: number): string | undefined {
  const least = LIMITS.hs256SecretBytes;
  return bytes < least ? `an HS256 secret is at least ${least} bytes (this one has ${bytes}); make one with: openssl rand -base64 48` : undefined;
}
