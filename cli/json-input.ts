/** The message a user gives `roomcast publish`: one JSON value, from the argument or stdin. */
import { UsageError } from './errors.js';

export type JsonSource = 'argument' | 'stdin';

/** Parses one JSON value; a mistake is a UsageError that says how to write it. */
export function parseJsonInput(text: string, source: JsonSource): unknown {
  if (text.trim() === '') throw new UsageError(source === 'stdin' ? 'stdin held no JSON: pipe one JSON value' : 'the message is empty: give one JSON value');
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = source === 'argument' ? `; a string is JSON only in quotes: '"hello"'` : '';
    throw new UsageError(`${source === 'stdin' ? 'stdin' : 'the message'} is not JSON (${reason})${hint}`);
  }
}
