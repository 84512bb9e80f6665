// A sync request lost on a broken path (sent while the server was restarting, or into a dead
// connection) is never answered and never fails on its own: the hub would sit on it until its
// timeout. Once the poke socket reconnects the path is known to work, and the hub sends again at
// once. The timeout here is 60 s, so only the resend can make the ticket reach the server within
// the 15 s the test waits.
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventually,
  issue,
  serverTickets,
  startCentral,
  startSyncedHub,
  type Central,
  type SyncedHub,
} from './sync-harness';
import { startRelay, type Relay } from '../support/tcp-relay';

let central: Central | undefined;
let hub: SyncedHub | undefined;
let relay: Relay | undefined;
afterEach(async () => {
  await hub?.dispose();
  await relay?.close();
  await central?.dispose();
  hub = central = relay = undefined;
});

describe('a request lost on a broken path', () => {
  it('is sent again as soon as the poke socket reconnects, not after its timeout', async () => {
    central = await startCentral();
    const c = central;
    relay = await startRelay(Number(new URL(c.url).port));
    const r = relay;
    hub = await startSyncedHub(c, { centralUrl: r.url, requestTimeoutMs: 60_000 });
    const h = hub;
    const first = await issue(h);
    expect(first.status).toBe(201);
    const day = first.body.businessDay;
    await eventually(async () => {
      const list = await serverTickets(c, day);
      return list.length === 1 ? list : undefined;
    }, 'the first ticket on the server');

    r.swallow();
    const second = await issue(h);
    expect(second.status).toBe(201);
    await eventually(() => (r.swallowed > 0 ? true : undefined), 'a push lost in the relay');
    r.heal();

    const tickets = await eventually(
      async () => {
        const list = await serverTickets(c, day);
        return list.length === 2 ? list : undefined;
      },
      'the second ticket on the server',
      15_000,
    );
    expect(tickets.map((t) => t.number).sort()).toEqual(
      [first.body.number, second.body.number].sort(),
    );
  });
});
