/**
 * SigV4 verification as API Gateway does it for `execute-api`, shared by the local HTTP
 * API (AWS_IAM routes) and the local gateway (@connections):
 * - the signature in the Authorization header (X-Amz-Date, else the Date header) or in a
 *   presigned URL's query (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 *   X-Amz-SignedHeaders, X-Amz-Signature, X-Amz-Expires up to a week; a session's
 *   X-Amz-Security-Token is covered like any other query parameter or signed header);
 * - the one local access key; `host` among the signed headers, and every signed header sent;
 * - the credential scope: terminator `aws4_request`, service `execute-api`, the region,
 *   the date of X-Amz-Date;
 * - the time: 5 minutes of clock skew (API Gateway's) either way; a presigned URL expires after its
 *   X-Amz-Expires instead;
 * - the payload: x-amz-content-sha256 (header or query; UNSIGNED-PAYLOAD allowed) must
 *   match the body;
 * - the signature, recomputed from the method, the path as sent, the query, the signed
 *   headers and the payload hash.
 * A refusal carries API Gateway's message (`Forbidden` when there is no signature at all).
 */
export { MISMATCH, signedRequestOf, verifySigV4, type SignedRequest, type Verdict, type VerifyContext } from './verify.js';
export { SKEW_MINUTES } from './rules.js';
