import { describe, expect, it } from 'vitest';
import { formatLine, LineSplitter } from '../../local/lambda/log-sink.js';

describe('formatLine (the default sink)', () => {
  it('prefixes plain lines with the function id', () => {
    expect(formatLine('PublishFunction', 'hello')).toBe('[PublishFunction] hello');
    expect(formatLine('PublishFunction', '{not json')).toBe('[PublishFunction] {not json');
    expect(formatLine('PublishFunction', '[1,2]')).toBe('[PublishFunction] [1,2]');
  });

  it('passes JSON object lines (structured logs) through untouched', () => {
    const line = '{"level":"INFO","message":"stored","big":12345678901234567890,"service":"roomcast"}';
    expect(formatLine('PublishFunction', line)).toBe(line);
    expect(formatLine('F', '{}')).toBe('{}');
  });
});

describe('LineSplitter', () => {
  it('emits whole lines across chunks and the rest on flush', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('a\nb');
    splitter.push('c\r\n\nd');
    expect(lines).toEqual(['a', 'bc', '']);
    splitter.flush();
    expect(lines).toEqual(['a', 'bc', '', 'd']);
  });
});
