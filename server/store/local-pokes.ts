// In-process fan-out of pokes to whoever listens (the poke WebSocket route). A throwing listener
// must not stop the others or fail the push that caused the poke.
import type { Poke } from './ports';

export class LocalPokes {
  private readonly listeners = new Set<(poke: Poke) => void>();

  subscribe(listener: (poke: Poke) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(poke: Poke): void {
    for (const listener of this.listeners) {
      try {
        listener(poke);
      } catch {
        // A poke is only a hint: the next periodic pull catches up anyway.
      }
    }
  }
}
