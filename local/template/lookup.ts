import type { TemplateContext } from './context.js';
import type { Json } from './types.js';

export const FUNCTION_TYPES = ['AWS::Serverless::Function', 'AWS::Lambda::Function'];

/** The logical id of the resource (of one of `types`) whose attribute has this value. */
export function byAttribute(ctx: TemplateContext, types: string[], attribute: string, value: Json | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  return ctx.ofType(...types).find(({ logicalId }) => ctx.identity(logicalId, logicalId).attributes[attribute] === value)?.logicalId;
}

/** The logical id of the resource (of one of `types`) whose Ref is this value. */
export function byRef(ctx: TemplateContext, types: string[], value: Json | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  return ctx.ofType(...types).find(({ logicalId }) => ctx.identity(logicalId, logicalId).ref === value)?.logicalId;
}

/** The table whose stream this ARN is. */
export function tableOfStream(ctx: TemplateContext, streamArn: Json | undefined): string | undefined {
  if (typeof streamArn !== 'string') return undefined;
  const tables = ctx.ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable');
  return tables.find(({ logicalId }) => streamArn.startsWith(`${String(ctx.identity(logicalId, logicalId).attributes.Arn)}/stream/`))?.logicalId;
}

/**
 * The function named inside a text: an integration or authorizer URI
 * (`arn:aws:apigateway:...:lambda:path/2015-03-31/functions/<function ARN>/invocations`),
 * a function ARN (maybe with an alias), or a function name.
 */
export function functionIn(ctx: TemplateContext, text: Json | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  let best: { logicalId: string; length: number } | undefined;
  for (const { logicalId } of ctx.ofType(...FUNCTION_TYPES)) {
    const identity = ctx.identity(logicalId, logicalId);
    const arn = String(identity.attributes.Arn);
    const matches = text === identity.name || text === arn || text.includes(`${arn}/`) || text.includes(`${arn}:`) || text.endsWith(arn);
    if (matches && (!best || arn.length > best.length)) best = { logicalId, length: arn.length };
  }
  return best?.logicalId;
}
