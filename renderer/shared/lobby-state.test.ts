import { describe, expect, it } from 'vitest';
import type { BranchDto, CounterDto } from '../../core/api/schemas';
import { calledEvent, ticket } from '../api/test-fixtures';
import {
  applyEvent,
  emptyLobby,
  fromSnapshot,
  longestWaitByService,
  withBusinessDay,
  waitingByService,
  type LobbySnapshot,
} from './lobby-state';

const branch = { id: 'b', name: 'Mairie' } as BranchDto;
const counter: CounterDto = {
  id: 'c1',
  name: '1',
  status: 'open',
  profile: [],
  currentTicket: null,
};

function snapshot(over: Partial<LobbySnapshot['queue']> = {}, seq = 10): LobbySnapshot {
  return {
    seq,
    branch,
    services: [],
    counters: [counter],
    queue: { waiting: [], called: [], serving: [], seq, ...over },
  };
}

describe('lobby state', () => {
  it('moves a ticket between lists and onto its counter', () => {
    let state = fromSnapshot(emptyLobby, snapshot({ waiting: [ticket()] }));
    expect(waitingByService(state).get('svc-a')).toBe(1);
    state = applyEvent(state, calledEvent(11));
    expect(state.waiting).toHaveLength(0);
    expect(state.called.map((t) => t.id)).toEqual(['t1']);
    expect(state.counters[0]?.currentTicket?.id).toBe('t1');
    expect(state.calls[0]).toMatchObject({ number: 'A001', counterId: 'c1', recall: false });

    const finished = ticket({ status: 'done', counterId: 'c1' });
    state = applyEvent(state, { ...calledEvent(12), type: 'ticket.finished', ticket: finished });
    expect(state.called).toHaveLength(0);
    expect(state.counters[0]?.currentTicket).toBeNull();
    expect(state.calls).toHaveLength(1); // still a "previous call" on the display
  });

  it('puts a recall back on top of the history, once per ticket', () => {
    let state = fromSnapshot(emptyLobby, snapshot());
    state = applyEvent(state, calledEvent(11, { id: 't1', number: 'A001' }));
    state = applyEvent(state, calledEvent(12, { id: 't2', number: 'B001' }));
    state = applyEvent(state, {
      ...calledEvent(13, { id: 't1', number: 'A001', recalls: 1 }),
      type: 'ticket.recalled',
    });
    expect(state.calls.map((c) => [c.number, c.recall])).toEqual([
      ['A001', true],
      ['B001', false],
    ]);
  });

  it('keeps older history across a resync and takes current calls from the snapshot', () => {
    let state = fromSnapshot(emptyLobby, snapshot());
    state = applyEvent(state, calledEvent(11, { id: 'old', number: 'A001' }));
    const calledNow = ticket({
      id: 't9',
      number: 'C004',
      status: 'called',
      counterId: 'c1',
      calledAt: '2026-11-22T09:00:00.000Z',
    });
    state = fromSnapshot(state, snapshot({ called: [calledNow] }, 20));
    expect(state.calls.map((c) => c.number)).toEqual(['C004', 'A001']);
    expect(state.seq).toBe(20);
  });

  it('measures the longest wait per service', () => {
    const now = Date.parse('2026-11-22T08:10:00.000Z');
    const longest = longestWaitByService(
      { waiting: [ticket(), ticket({ id: 't2', queuedAt: '2026-11-22T08:05:00.000Z' })] },
      now,
    );
    expect(longest.get('svc-a')).toBe(600);
  });

  it("drops yesterday's calls when the business day changes (hello, snapshot or a new ticket)", () => {
    const called = applyEvent(
      fromSnapshot(emptyLobby, snapshot({ businessDay: '2026-11-22' })),
      calledEvent(11),
    );
    expect(called.calls).toHaveLength(1);
    // Same day: nothing changes; first report of a day on an empty state keeps what is there.
    expect(withBusinessDay(called, '2026-11-22')).toBe(called);
    expect(withBusinessDay({ ...called, businessDay: null }, '2026-11-22').calls).toHaveLength(1);
    // stream.hello of the next morning.
    expect(withBusinessDay(called, '2026-11-23')).toMatchObject({
      businessDay: '2026-11-23',
      calls: [],
    });
    // A snapshot of the next day.
    const next = fromSnapshot(called, snapshot({ businessDay: '2026-11-23' }, 12));
    expect(next.calls).toEqual([]);
    // A day turning while connected: the first call of the new day is the only one shown.
    const tomorrow = applyEvent(
      called,
      calledEvent(12, { id: 't2', number: 'A001', businessDay: '2026-11-23' }),
    );
    expect(tomorrow.calls.map((c) => c.ticketId)).toEqual(['t2']);
    expect(tomorrow.businessDay).toBe('2026-11-23');
  });
});
