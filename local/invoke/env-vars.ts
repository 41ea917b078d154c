/**
 * SAM's `--env-vars` file, as `sam local invoke` reads it: `{"Parameters": {...}}` for every
 * function, `{"<function>": {...}}` for one (by logical id or physical name, the logical id
 * winning). As in SAM, a file only overrides variables the function's template declares.
 */

/** Variables by section: `Parameters`, a logical id or a function name. */
export type EnvVarsFile = Record<string, Record<string, string>>;

/** The file cannot be used; the message says what is wrong with it. */
export class EnvVarsError extends Error {
  override readonly name = 'EnvVarsError';
}

/** Parses the file's text; numbers and booleans become strings, as SAM makes them. */
export function parseEnvVars(text: string): EnvVarsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EnvVarsError(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw new EnvVarsError('must be a JSON object: {"Parameters": {"VAR": "value"}, "FunctionLogicalId": {"VAR": "value"}}');
  const file: EnvVarsFile = {};
  for (const [section, variables] of Object.entries(parsed)) {
    if (!isObject(variables)) throw new EnvVarsError(`"${section}" must be an object of variables`);
    file[section] = {};
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new EnvVarsError(`"${section}"."${name}" must be a string, a number or a boolean`);
      }
      file[section][name] = String(value);
    }
  }
  return file;
}

export interface FunctionVariables {
  /** What the file sets for the function, among the variables it declares. */
  values: Record<string, string>;
  /** Variables the file names for it that its template does not declare (SAM ignores them too). */
  ignored: string[];
}

/** The file's values for one function: `Parameters`, then its name's section, then its logical id's. */
export function envVarsFor(file: EnvVarsFile, fn: { logicalId: string; name: string; environment: Record<string, string> }): FunctionVariables {
  const merged = { ...file.Parameters, ...(fn.name === fn.logicalId ? {} : file[fn.name]), ...file[fn.logicalId] };
  const values: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(merged)) {
    if (name in fn.environment) values[name] = value;
    else ignored.push(name);
  }
  return { values, ignored };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
