/** Defines custom elements, each only once: host pages sometimes load the script twice, and both chunks share the registry. */
export function defineOnce(elements: Record<string, CustomElementConstructor>): void {
  for (const [tag, element] of Object.entries(elements)) {
    if (!customElements.get(tag)) customElements.define(tag, element);
  }
}
