import type * as v from 'valibot';

const PATH_CHARS = 100;
const MESSAGE_CHARS = 200;

/**
 * `path: message` for the first schema issue of a frame or body. Keys and values in it come
 * from the client, so both are cut short: an error answer (and its log line) never grows
 * with the input.
 */
export function describeIssue(issue: v.BaseIssue<unknown>, at: string, fallback: string): string {
  const path = [at, ...(issue.path?.map((item) => String(item.key)) ?? [])].filter(Boolean).join('.') || fallback;
  return `${clip(path, PATH_CHARS)}: ${clip(issue.message, MESSAGE_CHARS)}`;
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}
