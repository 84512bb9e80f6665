// Whether a token a kiosk screen presents is the one the agent holds for the hub. Compared as
// SHA-256 digests with timingSafeEqual: equal lengths whatever was sent, and no timing hint.
import { hash, timingSafeEqual } from 'node:crypto';

const digest = (token: string): Buffer => hash('sha256', token, 'buffer');

export function agentTokenMatcher(agentToken: string): (presented: string) => boolean {
  const expected = digest(agentToken);
  return (presented) => timingSafeEqual(digest(presented), expected);
}
