/**
 * The errors of API Gateway's management API (@connections), in one table: the name the
 * AWS SDK turns into its exception class (sent in `x-amzn-ErrorType`), the HTTP status
 * and the `message` of the JSON body. The gateway answers from this table only.
 */
import type { ServerResponse } from 'node:http';
import { sendAwsError } from './http-util.js';

export const MANAGEMENT_API_ERRORS = {
  ForbiddenException: { status: 403, message: 'Forbidden' },
  GoneException: { status: 410, message: null },
  PayloadTooLargeException: { status: 413, message: 'Request entity too large' },
  LimitExceededException: { status: 429, message: 'Too Many Requests' },
  InternalServerErrorException: { status: 500, message: 'Internal server error' },
  BadGatewayException: { status: 502, message: 'Bad Gateway' },
  ServiceUnavailableException: { status: 503, message: 'Service Unavailable' },
} as const satisfies Record<string, { status: number; message: string | null }>;

/** The same table by status: the name API Gateway sends in `x-amzn-ErrorType`. */
export const MANAGEMENT_API_ERROR_TYPES: Readonly<Record<number, ManagementApiErrorName>> = Object.fromEntries(
  Object.entries(MANAGEMENT_API_ERRORS).map(([name, { status }]) => [status, name as ManagementApiErrorName]),
);

export type ManagementApiErrorName = keyof typeof MANAGEMENT_API_ERRORS;

export interface ManagementApiError {
  name: ManagementApiErrorName;
  status: number;
  message: string | null;
}

/** The errors a post can be made to answer by a fault (`postStatus`), instead of delivering. */
export const POST_FAULT_ERRORS = ['GoneException', 'LimitExceededException', 'InternalServerErrorException'] as const;
export type PostFaultStatus = (typeof MANAGEMENT_API_ERRORS)[(typeof POST_FAULT_ERRORS)[number]]['status'];
export const POST_FAULT_STATUSES: readonly PostFaultStatus[] = POST_FAULT_ERRORS.map((name) => MANAGEMENT_API_ERRORS[name].status);

export function isPostFaultStatus(value: unknown): value is PostFaultStatus {
  return POST_FAULT_STATUSES.includes(value as PostFaultStatus);
}

/** The error answered with `status`; undefined for a status not in the table. */
export function managementErrorOf(status: number): ManagementApiError | undefined {
  const name = MANAGEMENT_API_ERROR_TYPES[status];
  return name === undefined ? undefined : { name, ...MANAGEMENT_API_ERRORS[name] };
}

/** "410, 429 or 500": the statuses a post fault may take, for messages. */
export function postFaultStatusList(): string {
  return `${POST_FAULT_STATUSES.slice(0, -1).join(', ')} or ${POST_FAULT_STATUSES.at(-1)}`;
}

/** Answers a management API request with one of the table's errors. */
export function sendManagementError(res: ServerResponse, name: ManagementApiErrorName): void {
  const { status, message } = MANAGEMENT_API_ERRORS[name];
  sendAwsError(res, status, name, message);
}
