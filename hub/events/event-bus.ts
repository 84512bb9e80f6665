// In-process fan-out of committed events to whoever listens (the WebSocket stream, later sync).
import type { StoredEvent } from './outbox';

export type EventListener = (event: StoredEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: StoredEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  get size(): number {
    return this.listeners.size;
  }
}
