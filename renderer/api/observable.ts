// A minimal value-with-subscribers, shaped for React's useSyncExternalStore.

export interface Readable<T> {
  get(): T;
  subscribe(listener: () => void): () => void;
}

export class Observable<T> implements Readable<T> {
  private readonly listeners = new Set<() => void>();
  constructor(private value: T) {}

  get = (): T => this.value;

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
