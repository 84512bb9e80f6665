// Push per docs/sync.md, against SQLite and PostgreSQL: idempotency, gaps, epochs, rejected
// events, and requests refused without writing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushAnswer } from '../../core/sync/protocol';
import { DeviceLog, T0, ticket, ticketPayload } from '../../server/testing/fixtures';
import { STORE_KINDS } from '../../server/testing/test-stores';
import { startTestServer, type TestServer } from '../../server/testing/test-server';

describe.each(STORE_KINDS)('push on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.dispose());

  const push = (token: string, log: DeviceLog, events = log.events, epoch = log.epoch) =>
    server.call<PushAnswer>('POST', '/api/v1/sync/push', {
      token,
      body: { deviceId: log.deviceId, epoch, events },
    });

  const branchState = async (branchId: string) => {
    const detail = await server.call<{
      branch: { eventCount: number; rejectedCount: number };
      devices: { deviceId: string; epoch: string; ackSeq: number }[];
    }>('GET', `/api/v1/branches/${branchId}`, { token: server.adminToken });
    return detail.body;
  };

  it('applies a batch once: pushing it k times changes nothing', async () => {
    const { branchId, token } = await server.addBranch();
    const log = new DeviceLog('hub-1');
    log.next('ticket.issued', ticketPayload(ticket({ id: 't1', number: 'A001' })));
    log.filler(4);
    const first = await push(token, log);
    expect(first.status).toBe(200);
    expect(first.body.ackSeq).toBe(5);
    expect(first.body.results.every((r) => r.status === 'applied')).toBe(true);
    expect(Math.abs(first.body.receiverTime - Date.now())).toBeLessThan(5000);
    const after = await branchState(branchId);
    for (let k = 0; k < 3; k++) {
      const again = await push(token, log);
      expect(again.status).toBe(200);
      expect(again.body.ackSeq).toBe(5);
      expect(again.body.results.map((r) => r.status)).toEqual(Array(5).fill('duplicate'));
    }
    expect(await branchState(branchId)).toEqual(after);
    expect(after.branch.eventCount).toBe(5);
  });

  it('stops at a gap, answers the ack, and accepts the resend from ack + 1', async () => {
    const { branchId, token } = await server.addBranch();
    const log = new DeviceLog('hub-gap');
    log.filler(6);
    const [e1, e2, , e4, e5, e6] = log.events.map((e) => e);
    if (!e1 || !e2 || !e4 || !e5 || !e6) throw new Error('six events');
    const gapped = await push(token, log, [e1, e2, e4, e5]);
    expect(gapped.body.ackSeq).toBe(2);
    expect(gapped.body.results.map((r) => r.eventId)).toEqual([e1.eventId, e2.eventId]);
    // A batch that starts after the ack: nothing applied at all.
    const onlyGap = await push(token, log, [e5, e6]);
    expect(onlyGap.body).toMatchObject({ ackSeq: 2, results: [] });
    const resend = await push(token, log, log.events.slice(2));
    expect(resend.body.ackSeq).toBe(6);
    expect((await branchState(branchId)).branch.eventCount).toBe(6);
  });

  it('orders a batch by deviceSeq whatever order it arrives in', async () => {
    const { token } = await server.addBranch();
    const log = new DeviceLog('hub-order');
    log.filler(5);
    const answer = await push(token, log, [...log.events].reverse());
    expect(answer.body.ackSeq).toBe(5);
    expect(answer.body.results.map((r) => r.eventId)).toEqual(log.events.map((e) => e.eventId));
  });

  it('keeps one acknowledgement per (device, epoch): a new epoch restarts at 1', async () => {
    const { branchId, token } = await server.addBranch();
    const old = new DeviceLog('agent-1', 'epoch-old');
    old.filler(3);
    expect((await push(token, old)).body.ackSeq).toBe(3);
    const fresh = new DeviceLog('agent-1', 'epoch-new');
    fresh.filler(2);
    expect((await push(token, fresh)).body.ackSeq).toBe(2);
    // The old epoch's log is intact and still idempotent.
    expect((await push(token, old)).body.results.every((r) => r.status === 'duplicate')).toBe(true);
    const state = await branchState(branchId);
    expect(state.devices).toEqual([
      expect.objectContaining({ deviceId: 'agent-1', epoch: 'epoch-new', ackSeq: 2 }),
      expect.objectContaining({ deviceId: 'agent-1', epoch: 'epoch-old', ackSeq: 3 }),
    ]);
    expect(state.branch.eventCount).toBe(5);
  });

  it('stores, acknowledges and reports an event it cannot apply', async () => {
    const { branchId, token } = await server.addBranch();
    const log = new DeviceLog('hub-new-version');
    log.next('queue.teleported', { anything: true });
    log.next('ticket.issued', { ticket: { id: 'broken' } });
    log.filler(1);
    // A NUL byte cannot go into a PostgreSQL text column: refused as a payload, never a 5xx.
    log.next('ticket.issued', ticketPayload(ticket({ id: 't-nul', number: 'A\u0000' })));
    const answer = await push(token, log);
    expect(answer.body.ackSeq).toBe(4);
    expect(answer.body.results.map((r) => r.status)).toEqual([
      'rejected',
      'rejected',
      'applied',
      'rejected',
    ]);
    expect(answer.body.results[0]?.reason).toMatch(/^unknown_type/);
    expect(answer.body.results[1]?.reason).toMatch(/^invalid_payload/);
    const detail = await server.call<{
      rejected: { type: string }[];
      branch: { rejectedCount: number };
    }>('GET', `/api/v1/branches/${branchId}`, { token: server.adminToken });
    expect(detail.body.branch.rejectedCount).toBe(3);
    expect(detail.body.rejected.map((r) => r.type).sort()).toEqual([
      'queue.teleported',
      'ticket.issued',
      'ticket.issued',
    ]);
  });

  it('treats an eventId it already holds as a duplicate, even under another log', async () => {
    const { token } = await server.addBranch();
    const a = new DeviceLog('hub-a');
    a.filler(1);
    await push(token, a);
    const b = new DeviceLog('hub-b');
    b.filler(2);
    const relayed = { ...(a.events[0] as (typeof a.events)[0]), deviceSeq: 1 };
    const answer = await push(token, b, [relayed, b.events[1]!]);
    expect(answer.body.ackSeq).toBe(2);
    expect(answer.body.results.map((r) => r.status)).toEqual(['duplicate', 'applied']);
  });

  it('refuses malformed pushes with a 4xx and writes nothing', async () => {
    const { branchId, token } = await server.addBranch();
    const log = new DeviceLog('hub-bad');
    log.filler(2);
    const good = log.events[0]!;
    const bodies: unknown[] = [
      {},
      { deviceId: 'hub-bad', epoch: 'e1' },
      { deviceId: 'hub bad', epoch: 'e1', events: [] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, eventId: 'not-a-uuid' }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, deviceSeq: 0 }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, deviceSeq: 1.5 }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, hlc: 'yesterday' }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, type: 'DROP TABLE' }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, payload: [1, 2] }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [{ ...good, extra: 1 }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [good, good] },
      { deviceId: 'hub-bad', epoch: 'e1', events: [good, { ...log.events[1]!, deviceSeq: 1 }] },
      { deviceId: 'hub-bad', epoch: 'e1', events: Array(501).fill(good) },
    ];
    for (const body of bodies) {
      const answer = await server.call<{ error: { code: string } }>('POST', '/api/v1/sync/push', {
        token,
        body,
      });
      expect(answer.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    const raw = [
      { rawBody: '{"deviceId":', status: 400, code: 'invalid_json' },
      { rawBody: 'x'.repeat(300 * 1024), status: 413, code: 'body_too_large' },
      {
        rawBody: 'deviceId=1',
        headers: { 'content-type': 'application/xml' },
        status: 415,
        code: 'unsupported_media_type',
      },
    ];
    for (const r of raw) {
      const answer = await server.call<{ error: { code: string } }>('POST', '/api/v1/sync/push', {
        token,
        rawBody: r.rawBody,
        ...(r.headers ? { headers: r.headers } : {}),
      });
      expect(answer.status).toBe(r.status);
      expect(answer.body.error.code).toBe(r.code);
    }
    const state = await branchState(branchId);
    expect(state.branch.eventCount).toBe(0);
    expect(state.devices).toEqual([]);
  });

  it('answers only branch tokens, and keeps branches apart', async () => {
    const a = await server.addBranch();
    const b = await server.addBranch();
    const log = new DeviceLog('hub-x');
    log.filler(1);
    const body = { deviceId: log.deviceId, epoch: log.epoch, events: log.events };
    const url = '/api/v1/sync/push';
    expect((await server.call('POST', url, { body })).status).toBe(401);
    expect((await server.call('POST', url, { body, token: 'gsb_nope' })).status).toBe(401);
    expect((await server.call('POST', url, { body, token: server.adminToken })).status).toBe(403);
    expect((await server.call('POST', url, { body, token: a.token })).status).toBe(200);
    // The same device id under another branch is another log; its event is already held.
    const other = await server.call<PushAnswer>('POST', url, { body, token: b.token });
    expect(other.body.results[0]?.status).toBe('duplicate');
    expect(T0).toBeGreaterThan(0);
  });
});
