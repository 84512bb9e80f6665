// A real hub, a cuttable TCP relay in front of it and kiosk agents (all in this process, real
// SQLite files, real HTTP and WebSocket on loopback) for the kiosk-through-the-agent tests. Waits
// are on events (the agent's link state, stream messages) with a deadline, never sleeps.
import { rmSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { startAgent, type AgentStartOptions, type RunningAgent } from '../../hub/agent/run-agent';
import type { HubLinkState } from '../../hub/agent/agent-stream';
import { StreamClient } from '../support/stream-client';
import {
  call,
  createHub,
  manualAgentOptions,
  startRelay,
  tempDir,
  type HubHandle,
  type Relay,
} from './agent-harness';

export { call };

export interface Scene {
  hub: HubHandle;
  relay: Relay;
  agents: RunningAgent[];
  dirs: string[];
  streams: StreamClient[];
}

export async function startScene(): Promise<Scene> {
  const hub = await createHub();
  const relay = await startRelay(hub.port);
  return { hub, relay, agents: [], dirs: [], streams: [] };
}

export async function disposeScene(scene: Scene): Promise<void> {
  for (const stream of scene.streams.splice(0)) await stream.close();
  for (const agent of scene.agents.splice(0)) await agent.stop();
  await scene.relay.close();
  await scene.hub.dispose();
  for (const dir of scene.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A fresh scene for every test of the file: started before each test and handed to `receive`,
 * disposed after it, passed or failed, so no agent, stream or folder outlives its test.
 */
export function sceneForEachTest(receive: (scene: Scene) => void): void {
  let current: Scene | undefined;
  beforeEach(async () => {
    current = await startScene();
    receive(current);
  });
  afterEach(async () => {
    if (current) await disposeScene(current);
    current = undefined;
  });
}

export function freshDir(scene: Scene): string {
  const dir = tempDir('guichet-agent-kiosk-');
  scene.dirs.push(dir);
  return dir;
}

/**
 * An agent behind the relay. Its sync rounds run only when a test calls syncNow() (an hour
 * between them); its stream to the hub reconnects within 20 ms of the hub coming back.
 */
export async function startKioskAgent(
  scene: Scene,
  options: Partial<AgentStartOptions> = {},
): Promise<RunningAgent> {
  const dataDir = options.dataDir ?? freshDir(scene);
  const agent = await startAgent({
    ...manualAgentOptions(dataDir, scene.relay.url, scene.hub.tokens.kiosk),
    streamRetryDelay: () => 20,
    ...options,
  });
  scene.agents.push(agent);
  return agent;
}

export async function stopAgent(scene: Scene, agent: RunningAgent): Promise<void> {
  scene.agents.splice(scene.agents.indexOf(agent), 1);
  await agent.stop();
}

/** Resolves once the agent's link to the hub's stream is in `state` (at once if it is). */
export function linkIs(
  agent: RunningAgent,
  state: HubLinkState,
  timeoutMs = 10_000,
): Promise<void> {
  if (agent.stream.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(
        new Error(`agent link still ${agent.stream.state} after ${timeoutMs} ms, not ${state}`),
      );
    }, timeoutMs);
    const stop = agent.stream.onState((now) => {
      if (now !== state) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

export const streamUrlOf = (baseUrl: string, query = ''): string =>
  `${baseUrl.replace(/^http/, 'ws')}/api/v1/stream${query}`;

/** A kiosk's stream on the agent (or the hub), kept for disposal; resolves after its hello. */
export async function openKioskStream(
  scene: Scene,
  baseUrl: string,
  token = scene.hub.tokens.kiosk,
): Promise<StreamClient> {
  const stream = await StreamClient.open(streamUrlOf(baseUrl), {
    authorization: `Bearer ${token}`,
  });
  scene.streams.push(stream);
  await stream.waitForMessage(isType('stream.hello'), 'hello');
  return stream;
}

export const isType =
  (type: string, extra: (m: Record<string, unknown>) => boolean = () => true) =>
  (message: unknown): boolean =>
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === type &&
    extra(message as Record<string, unknown>);

/** Messages after index `from`: a wait that must not be satisfied by what came before. */
export const after =
  (stream: StreamClient, from: number, match: (m: unknown) => boolean) =>
  (message: unknown): boolean =>
    stream.messages.indexOf(message) >= from && match(message);
