import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseToml, readSamConfig } from '../../local/cloud/samconfig.js';

const write = async (text: string): Promise<string> => {
  const file = join(await mkdtemp(join(tmpdir(), 'roomcast-samconfig-')), 'samconfig.toml');
  await writeFile(file, text);
  return file;
};

describe('samconfig.toml', () => {
  it("reads the repository's own file: the stack name, no overrides", () => {
    expect(readSamConfig(fileURLToPath(new URL('../../samconfig.toml', import.meta.url)))).toEqual({ stackName: 'roomcast', parameterOverrides: {} });
  });

  it('reads parameter_overrides as a string or an array, deploy before global', async () => {
    const file = await write(
      [
        'version = 0.1',
        '[default.global.parameters]',
        'stack_name = "from-global"',
        'region = "eu-west-1"',
        '[default.deploy.parameters]',
        'stack_name = "from-deploy" # a comment',
        'parameter_overrides = "Stage=dev JwtIssuer=\\"https://issuer.example.com/#x\\""',
      ].join('\n'),
    );
    expect(readSamConfig(file)).toEqual({ stackName: 'from-deploy', region: 'eu-west-1', parameterOverrides: { Stage: 'dev', JwtIssuer: 'https://issuer.example.com/#x' } });
    const array = await write('[default.deploy.parameters]\nparameter_overrides = [\n  "Stage=dev",   # first\n  "LogLevel=DEBUG",\n]\n');
    expect(readSamConfig(array).parameterOverrides).toEqual({ Stage: 'dev', LogLevel: 'DEBUG' });
  });

  it('is empty when there is no file, and says where a line cannot be read', async () => {
    expect(readSamConfig('/nonexistent/samconfig.toml')).toEqual({ parameterOverrides: {} });
    expect(() => parseToml('[a]\njust words\n', 'x.toml')).toThrow('x.toml:2');
    expect(parseToml("[a.b]\nk = 'lit#eral'\nn = 3\nt = true\ne = []\n")['a.b']).toEqual({ k: 'lit#eral', n: 3, t: true, e: [] });
  });
});
