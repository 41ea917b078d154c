import { describe, expect, it } from 'vitest';
import { HELP_OPTION, integerOption, listOption, optionsOf, parseCommandLine, wantsHelp } from '../../cli/args.js';
import { UsageError } from '../../cli/errors.js';
import { parseDuration } from '../../cli/duration.js';
import { parseJsonInput } from '../../cli/json-input.js';

const OPTIONS = { ...HELP_OPTION, id: { type: 'string' }, quiet: { type: 'boolean' } } as const;

describe('the command line', () => {
  it('takes options and the positionals named', () => {
    const { values, positionals } = parseCommandLine(['room', '-', '--id', 'x'], OPTIONS, { names: ['room', 'json|-'] });
    expect(values.id).toBe('x');
    expect(positionals).toEqual(['room', '-']);
    expect(parseCommandLine(['a', 'b', 'c'], OPTIONS, { names: ['room'], variadic: true }).positionals).toEqual(['a', 'b', 'c']);
  });

  it('says in one line what is wrong', () => {
    const line = (argv: string[], variadic = false): string => {
      try {
        parseCommandLine(argv, OPTIONS, { names: ['room', 'json|-'], variadic });
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error('no usage error');
    };
    expect(line([])).toBe('missing <room>');
    expect(line(['room'])).toBe('missing <json|->');
    expect(line(['room'], true)).toBe('missing <json|-...>');
    expect(line(['a', 'b', 'c'])).toBe('unexpected argument "c"');
    expect(line(['a', 'b', '--bogus'])).toBe('unknown option --bogus');
    expect(line(['a', '-5'])).toBe('unknown option -5 (a negative number as JSON goes after "--": -- -5)');
    expect(line(['a', 'b', '--id'])).toBe('--id needs a value');
    expect(line(['a', 'b', '--quiet=yes'])).toBe('--quiet takes no value');
    for (const argv of [[], ['a', 'b', '--bogus'], ['a', 'b', '--id']]) expect(line(argv)).not.toContain('\n');
  });

  it('builds an options config from names', () => {
    const options = optionsOf(['id', 'local-port'], ['quiet']);
    expect(options).toEqual({ id: { type: 'string' }, 'local-port': { type: 'string' }, quiet: { type: 'boolean' } });
    const { values } = parseCommandLine(['--id', 'x', '--quiet'], options, { names: [] });
    expect(values).toEqual({ id: 'x', quiet: true });
  });

  it('finds --help before a "--"', () => {
    expect(wantsHelp(['room', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['room', '--', '--help'])).toBe(false);
  });

  it('reads whole numbers in a range', () => {
    expect(integerOption(undefined, 'count', 1)).toBeUndefined();
    expect(integerOption('3', 'count', 1)).toBe(3);
    expect(integerOption('0', 'snapshot', 0)).toBe(0);
    expect(() => integerOption('0', 'count', 1)).toThrow('--count must be a whole number 1 or more, got "0"');
    expect(() => integerOption('1.5', 'count', 1)).toThrow(UsageError);
    expect(() => integerOption('', 'count', 1)).toThrow(UsageError);
    expect(() => integerOption('70000', 'local-port', 1, 65_533)).toThrow('from 1 to 65533');
  });

  it('splits lists on commas and spaces', () => {
    expect(listOption('scores:*, chat:lobby  team:*:chat', 'rooms')).toEqual(['scores:*', 'chat:lobby', 'team:*:chat']);
    expect(() => listOption(' , ', 'rooms')).toThrow('--rooms needs at least one value');
  });

  it('reads durations', () => {
    expect(parseDuration('3600', 'ttl')).toBe(3600);
    expect(parseDuration('90s', 'ttl')).toBe(90);
    expect(parseDuration('15m', 'ttl')).toBe(900);
    expect(parseDuration('24h', 'ttl')).toBe(86_400);
    expect(parseDuration('7D', 'ttl')).toBe(604_800);
    for (const bad of ['0', '-1h', '1w', 'h', '1.5h', '']) expect(() => parseDuration(bad, 'ttl')).toThrow('--ttl must be a duration');
  });
});

describe('JSON input', () => {
  it('is any one JSON value', () => {
    expect(parseJsonInput('{"text":"hello"}', 'argument')).toEqual({ text: 'hello' });
    expect(parseJsonInput('"kick-off"', 'argument')).toBe('kick-off');
    expect(parseJsonInput('42', 'argument')).toBe(42);
    expect(parseJsonInput('null', 'argument')).toBeNull();
    expect(parseJsonInput(' [1, 2]\n', 'stdin')).toEqual([1, 2]);
  });

  it('refuses what is not JSON, saying how to write a string', () => {
    expect(() => parseJsonInput('hello', 'argument')).toThrow(/^the message is not JSON \(.*\); a string is JSON only in quotes: '"hello"'$/);
    expect(() => parseJsonInput('{"a":1} {"b":2}', 'stdin')).toThrow(/^stdin is not JSON/);
    expect(() => parseJsonInput('  \n', 'stdin')).toThrow('stdin held no JSON: pipe one JSON value');
    expect(() => parseJsonInput('', 'argument')).toThrow(UsageError);
  });
});
