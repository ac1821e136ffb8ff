/** A minimal typed event emitter (environment-neutral; no node:events). */

/** Listener map: event name → payload type. */
export type EventMap = Record<string, unknown>;

/** Typed emitter; `on` returns an unsubscribe function. A throwing listener does not stop the others. */
export class TypedEmitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<(payload: never) => void>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Calls every listener of `event`; errors are passed to `onError` (default: console.error). */
  emit<K extends keyof E>(event: K, payload: E[K], onError: (e: unknown) => void = console.error): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) {
      try {
        (l as (p: E[K]) => void)(payload);
      } catch (e) {
        onError(e);
      }
    }
  }
}
