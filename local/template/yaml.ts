import { Pair, parseDocument, Scalar, YAMLMap, type CollectionTag, type ScalarTag } from 'yaml';
import { TemplateError, type Json } from './types.js';

/** Short tag -> the long form it stands for (`!Ref` is the only one without `Fn::`). */
const SHORT_TAGS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  If: 'Fn::If',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

/** A `{ "<long form>": value }` mapping node, so anchors and aliases inside still resolve. */
function wrap(longForm: string, value: unknown): YAMLMap {
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(longForm), value));
  return map;
}

function cloudFormationTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const [short, longForm] of Object.entries(SHORT_TAGS)) {
    const tag = `!${short}`;
    tags.push({ tag, resolve: (text: string) => ({ [longForm]: text }) } as ScalarTag);
    tags.push({ tag, collection: 'seq', resolve: (seq) => wrap(longForm, seq) } as CollectionTag);
    tags.push({ tag, collection: 'map', resolve: (map) => wrap(longForm, map) } as CollectionTag);
  }
  return tags;
}

/**
 * Parses a CloudFormation / SAM template (YAML with the short intrinsic tags, or JSON)
 * into plain JSON where every short tag became its long `Fn::` form.
 */
export function parseTemplateText(text: string, source = 'template'): Record<string, Json> {
  const doc = parseDocument(text, { customTags: cloudFormationTags(), prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new TemplateError(`${source}: ${first.message}`);
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TemplateError(`${source}: a template must be a mapping at the top level`);
  }
  return value as Record<string, Json>;
}
