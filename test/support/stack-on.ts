/** The stack of local/stack/ on this repository's template.yaml, unless a test names another template. */
import { fileURLToPath } from 'node:url';
import { startStackOn as startOn, type ServiceEndpoints, type Stack, type StackOptions } from '../../local/stack/index.js';
import type { RunningService } from './dynamo.js';

export { REGION, type Stack, type StackOptions } from '../../local/stack/index.js';

export const TEMPLATE_PATH = fileURLToPath(new URL('../../template.yaml', import.meta.url));

export function startStackOn(services: ServiceEndpoints, options: StackOptions = {}, own: RunningService[] = []): Promise<Stack> {
  return startOn(services, { ...options, template: options.template ?? TEMPLATE_PATH }, own);
}
