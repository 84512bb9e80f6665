// The kiosk's live stream through its agent: the hub's messages relayed as the hub sends them
// while it is reachable; when it is not, the kiosk's socket stays open with a `sync.status` that
// puts up its discreet badge, and new sockets get the agent's own hello; when the hub is back, its
// hello (the kiosk resyncs) and a status that clears the badge. Messages that fail the schema are
// dropped. Every wait is on a message or the agent's link state, with a deadline.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { IssuedTicketDto, QueueDto, SyncStatusEvent } from '../../core/api/schemas';
import { StreamClient } from '../support/stream-client';
import {
  after,
  call,
  freshDir,
  isType,
  linkIs,
  openKioskStream,
  sceneForEachTest,
  startKioskAgent,
  streamUrlOf,
  type Scene,
} from './agent-kiosk-support';

let scene: Scene;
sceneForEachTest((s) => (scene = s));

const issueAtHub = async (serviceId = 'etat-civil') => {
  const answer = await call<IssuedTicketDto>(scene.hub.url, 'POST', '/api/v1/tickets', {
    token: scene.hub.tokens.kiosk,
    body: { serviceId },
  });
  expect(answer.status).toBe(201);
  return answer.body;
};
const hubSeq = async () =>
  (
    await call<QueueDto>(scene.hub.url, 'GET', '/api/v1/queue', {
      token: scene.hub.tokens.display,
    })
  ).body.seq;
const issuedEvent = (ticketId: string) =>
  isType('ticket.issued', (m) => (m.ticket as { id?: string } | undefined)?.id === ticketId);
const syncState = (state: SyncStatusEvent['state']) =>
  isType('sync.status', (m) => m.state === state);

describe('the kiosk stream through the agent', () => {
  it('relays the hub’s messages exactly, and greets with the hub’s log position', async () => {
    const agent = await startKioskAgent(scene);
    await linkIs(agent, 'online');
    const viaAgent = await openKioskStream(scene, agent.url);
    const atHub = await openKioskStream(scene, scene.hub.url);
    expect(viaAgent.messages[0]).toMatchObject({ type: 'stream.hello', seq: await hubSeq() });

    const ticket = await issueAtHub();
    const relayed = await viaAgent.waitForMessage(issuedEvent(ticket.id), 'relayed ticket.issued');
    const original = await atHub.waitForMessage(issuedEvent(ticket.id), 'hub ticket.issued');
    expect(relayed).toEqual(original);
    // A kiosk connecting now starts from the position that includes it.
    const late = await openKioskStream(scene, agent.url);
    expect(late.messages[0]).toMatchObject({ type: 'stream.hello', seq: await hubSeq() });
    // No badge while all is well: the agent says nothing about its link.
    expect(viaAgent.messages.some(isType('sync.status'))).toBe(false);

    // The browser's way in: the pairing cookie, or ?token= on the stream only.
    const byQuery = await StreamClient.attempt(
      streamUrlOf(agent.url, `?token=${encodeURIComponent(scene.hub.tokens.kiosk)}`),
    );
    expect(byQuery.status).toBe(101);
    const byCookie = await StreamClient.attempt(streamUrlOf(agent.url), {
      cookie: `guichet_token=${scene.hub.tokens.kiosk}`,
    });
    expect(byCookie.status).toBe(101);
    const refusedHeaders: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${scene.hub.tokens.display}` },
    ];
    for (const headers of refusedHeaders) {
      expect((await StreamClient.attempt(streamUrlOf(agent.url), headers)).status).toBe(401);
    }
    expect(
      (
        await StreamClient.attempt(
          streamUrlOf(agent.url, `?token=${scene.hub.tokens.kiosk}&extra=1`),
        )
      ).status,
    ).toBe(400);
  });

  it('cut off: the same socket says so; new ones get the agent’s hello; healed: back to the hub', async () => {
    const agent = await startKioskAgent(scene);
    await agent.sync.syncNow();
    await linkIs(agent, 'online');
    const kiosk = await openKioskStream(scene, agent.url);
    const before = await issueAtHub();
    await kiosk.waitForMessage(issuedEvent(before.id), 'ticket before the cut');
    const seqBeforeCut = await hubSeq();

    let mark = kiosk.messages.length;
    scene.relay.cut();
    await linkIs(agent, 'offline');
    const offline = (await kiosk.waitForMessage(
      after(kiosk, mark, syncState('offline')),
      'offline status',
    )) as SyncStatusEvent;
    // The kiosk's badge: a linked link that is offline (renderer/shared/sync-state.ts), and that
    // link is the agent's to its hub, not the hub's to central (the badge words it so).
    expect(offline).toMatchObject({ linked: true, link: 'hub', state: 'offline', backlog: 0 });
    expect(offline.lastSuccessAt).not.toBeNull();
    expect(kiosk.closed).toBe(false);

    // The hub moves on meanwhile; the agent cannot know.
    const missed = await issueAtHub();
    // A kiosk connecting now (a reload) is greeted by the agent, at the last position it knew.
    const reloaded = await openKioskStream(scene, agent.url);
    expect(reloaded.messages[0]).toMatchObject({ type: 'stream.hello', seq: seqBeforeCut });
    await reloaded.waitForMessage(syncState('offline'), 'offline status on a new socket');
    // An offline ticket counts in the backlog the status reports.
    const own = await call<IssuedTicketDto>(agent.url, 'POST', '/api/v1/tickets', {
      token: scene.hub.tokens.kiosk,
      body: { serviceId: 'etat-civil' },
    });
    expect(own.status).toBe(201);
    const third = await openKioskStream(scene, agent.url);
    expect(third.messages.find(syncState('offline'))).toMatchObject({ backlog: 1 });

    mark = kiosk.messages.length;
    scene.relay.heal();
    await linkIs(agent, 'online');
    const hello = await kiosk.waitForMessage(
      after(kiosk, mark, isType('stream.hello')),
      'the hub’s hello again',
    );
    // The hub's position, past the ticket the kiosk missed: the kiosk resyncs from /queue.
    expect(hello).toMatchObject({ seq: await hubSeq() });
    expect((hello as { seq: number }).seq).toBeGreaterThan(seqBeforeCut);
    await kiosk.waitForMessage(after(kiosk, mark, syncState('online')), 'badge cleared');
    expect(kiosk.messages.some(issuedEvent(missed.id))).toBe(false);
    const next = await issueAtHub();
    await kiosk.waitForMessage(issuedEvent(next.id), 'relayed again');
    await reloaded.waitForMessage(issuedEvent(next.id), 'relayed to the reloaded socket too');
  });

  it('follows the hub through a restart, and greets kiosks offline when it starts without it', async () => {
    const agent = await startKioskAgent(scene);
    await linkIs(agent, 'online');
    const kiosk = await openKioskStream(scene, agent.url);

    let mark = kiosk.messages.length;
    await scene.hub.stop();
    await linkIs(agent, 'offline');
    await kiosk.waitForMessage(after(kiosk, mark, syncState('offline')), 'hub stopped');
    mark = kiosk.messages.length;
    await scene.hub.start();
    await linkIs(agent, 'online');
    await kiosk.waitForMessage(after(kiosk, mark, isType('stream.hello')), 'hub back');
    await kiosk.waitForMessage(after(kiosk, mark, syncState('online')), 'badge cleared');

    // An agent started while its hub is unreachable: its kiosk is greeted all the same.
    scene.relay.cut();
    const lonely = await startKioskAgent(scene, { dataDir: freshDir(scene) });
    const stream = await openKioskStream(scene, lonely.url);
    expect(stream.messages[0]).toMatchObject({ type: 'stream.hello', seq: 0 });
    await stream.waitForMessage(syncState('offline'), 'offline from the start');
  });

  it('drops what the hub sends that is not the stream’s shape, and relays the rest', async () => {
    // A hub of another version: a hello, then a message of an unknown type, one that is not JSON,
    // a malformed event and a good one.
    const fake = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => fake.once('listening', () => resolve()));
    const at = new Date().toISOString();
    fake.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'stream.hello', seq: 7, at, businessDay: '2026-11-23' }));
    });
    try {
      const port = (fake.address() as AddressInfo).port;
      const agent = await startKioskAgent(scene, { hubUrl: `http://127.0.0.1:${port}` });
      await linkIs(agent, 'online');
      const kiosk = await openKioskStream(scene, agent.url);
      expect(kiosk.messages[0]).toMatchObject({
        type: 'stream.hello',
        seq: 7,
        businessDay: '2026-11-23',
      });
      for (const hub of fake.clients) {
        hub.send(JSON.stringify({ type: 'hub.gossip', seq: 8, at }));
        hub.send('not json');
        hub.send(JSON.stringify({ type: 'ticket.issued', seq: 8, at, ticket: { id: 1 } }));
        hub.send(
          JSON.stringify({ type: 'config.changed', seq: 9, eventId: 'e9', at, cause: 'x.y' }),
        );
      }
      await kiosk.waitForMessage(isType('config.changed'), 'the good event');
      // One socket keeps the order: nothing but the hello came before the good event.
      expect(kiosk.messages.map((m) => (m as { type: string }).type)).toEqual([
        'stream.hello',
        'config.changed',
      ]);
    } finally {
      for (const client of fake.clients) client.terminate();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});
