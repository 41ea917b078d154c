/** A minimal typed event emitter. */
export class Emitter<Events extends { [K in keyof Events]: (value: never) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<E extends keyof Events>(event: E, value: Parameters<Events[E]>[0]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (value: Parameters<Events[E]>[0]) => void)(value);
  }
}
