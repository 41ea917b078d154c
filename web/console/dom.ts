/** Small typed helpers for the page's DOM. */

/** The element with this id, checked to be of the expected kind. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const found = document.getElementById(id);
  if (!(found instanceof kind)) throw new Error(`the page has no ${kind.name} #${id}`);
  return found;
}

export interface ElementProps {
  className?: string;
  text?: string;
  attributes?: Record<string, string>;
}

/** A new element with a class, text or attributes, and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Text only screen readers read (e.g. the room a "Leave" button is about). */
export function hiddenText(text: string): HTMLSpanElement {
  return element('span', { className: 'visually-hidden', text });
}
