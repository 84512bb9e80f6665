import { describe, expect, it } from 'vitest';
import { agentTokenMatcher } from './agent-token';

describe('agentTokenMatcher', () => {
  const isAgentToken = agentTokenMatcher('gch_the-agent-token');

  it('accepts the token the agent holds', () => {
    expect(isAgentToken('gch_the-agent-token')).toBe(true);
  });

  it('refuses any other token, of any length, without throwing', () => {
    expect(isAgentToken('gch_the-agent-tokem')).toBe(false);
    expect(isAgentToken('short')).toBe(false);
    expect(isAgentToken('')).toBe(false);
    expect(isAgentToken('x'.repeat(600))).toBe(false);
  });
});
