import { v4 as uuidv4 } from 'uuid';

/**
 * A fresh Idempotency-Key for one user action (one tap, one key press). The HTTP layer reuses it
 * on every automatic retry of that action, so a lost answer never issues two tickets.
 *
 * Why not crypto.randomUUID(): it only exists in secure contexts, and a kiosk or TV on the branch
 * LAN loads the hub over plain http://192.168.x.y — uuid falls back to crypto.getRandomValues,
 * which works there.
 */
export function newActionKey(): string {
  return uuidv4();
}
