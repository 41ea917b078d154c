import { asObject, type TemplateContext } from './context.js';
import { evaluateCondition } from './intrinsics.js';
import { TemplateError } from './types.js';

/**
 * Checks the template's `Rules` against the parameter values. CloudFormation refuses to
 * deploy when an assertion fails; locally each failure (or rule it cannot check) is a warning.
 */
export function checkRules(ctx: TemplateContext): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(asObject(ctx.template.Rules, 'Rules'))) {
    const path = `Rules.${name}`;
    const rule = asObject(raw, path);
    try {
      if (rule.RuleCondition !== undefined && !evaluateCondition(rule.RuleCondition, ctx, `${path}.RuleCondition`)) continue;
      const assertions = Array.isArray(rule.Assertions) ? rule.Assertions : [];
      assertions.forEach((item, index) => {
        const assertion = asObject(item, `${path}.Assertions[${index}]`);
        if (evaluateCondition(assertion.Assert ?? true, ctx, `${path}.Assertions[${index}].Assert`)) return;
        const description = typeof assertion.AssertDescription === 'string' ? assertion.AssertDescription : 'assertion failed';
        out.push(`${path}: ${description} (CloudFormation would refuse these parameters)`);
      });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      out.push(`${path}: not checked locally (${error.message})`);
    }
  }
  return out;
}
