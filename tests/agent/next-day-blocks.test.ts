// Next-day number blocks, end to end (docs/sync.md, "Offline kiosks: number blocks"): a kiosk
// agent beside a real hub, both in this process on real SQLite files, clocks set by hand. The agent
// holds blocks for today and the next business day; when the day turns while the hub is out of
// reach it numbers from the new day's block, and the hub places those tickets on that day without
// any number of that (service, day) drawn twice, whatever the clocks say around midnight.
import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_BLOCK_SEQ } from '../../hub/features/number-blocks/number-block-store';
import {
  BLOCK_SIZE,
  createWorld,
  duplicates,
  MINUTE,
  paris,
  type Answer,
  type World,
} from './next-day-blocks-world';

const D = '2026-11-23';
const D1 = '2026-11-24';
const D2 = '2026-11-25';

let world: World | null = null;
afterEach(async () => {
  await world?.dispose();
  world = null;
});

async function worldAt(local: string, agentSkewMs = 0): Promise<World> {
  world = await createWorld(paris(local), agentSkewMs);
  return world;
}

const numbersOf = (w: World, day: string, service = 'etat-civil') =>
  w
    .hubTickets()
    .filter((t) => t.day === day && t.service === service)
    .map((t) => t.number);

describe('next-day number blocks', () => {
  it('an agent that got its blocks at 23:50 issues at 00:05 from the new day, which the hub keeps', async () => {
    const w = await worldAt(`${D}T23:50`);
    const agent = await w.agent();
    await agent.sync.syncNow();
    expect(agent.sync.online).toBe(true);
    // Today's and tomorrow's block for every open service, on both sides.
    const held = w.agentBlocks(agent);
    for (const service of ['etat-civil', 'passeports', 'titres-sejour', 'visas']) {
      expect(held.filter((b) => b.service === service).map((b) => [b.day, b.from, b.to])).toEqual([
        [D, FIRST_BLOCK_SEQ, FIRST_BLOCK_SEQ + BLOCK_SIZE - 1],
        [D1, FIRST_BLOCK_SEQ, FIRST_BLOCK_SEQ + BLOCK_SIZE - 1],
      ]);
    }
    expect(w.hubBlocks().filter((b) => b.day === D1)).toHaveLength(4);

    w.tick(2 * MINUTE);
    expect(await w.atHub()).toMatchObject({ number: 'A001', businessDay: D });
    w.relay.cut();
    w.tick(3 * MINUTE); // 23:55
    expect(await w.atAgent(agent)).toMatchObject({ offline: true, number: 'A501', businessDay: D });

    w.tick(10 * MINUTE); // 00:05 on the 24th: numbers restart at the new day's block
    const first = await w.atAgent(agent);
    expect(first).toMatchObject({ status: 201, offline: true, number: 'A501', businessDay: D1 });
    expect(first.queuedAt).toBe(new Date(paris(`${D1}T00:05`)).toISOString());
    expect(await w.atAgent(agent, 'passeports')).toMatchObject({ number: 'B501', businessDay: D1 });
    w.tick(MINUTE);
    expect(await w.atAgent(agent)).toMatchObject({ number: 'A502', businessDay: D1 });
    // Meanwhile the hub numbers the new day from A001, below the agent's block.
    expect(await w.atHub()).toMatchObject({ number: 'A001', businessDay: D1 });

    w.relay.heal();
    await agent.sync.syncNow();
    expect(w.hubRejected()).toBe(0);
    expect(numbersOf(w, D)).toEqual(['A001', 'A501']);
    expect(numbersOf(w, D1)).toEqual(['A001', 'A501', 'A502']);
    expect(numbersOf(w, D1, 'passeports')).toEqual(['B501']);
    const placed = w.hubTickets().find((t) => t.id === first.id);
    expect(placed).toMatchObject({ day: D1, seq: 501, queuedAt: paris(`${D1}T00:05`) });
    expect(await w.atHub()).toMatchObject({ number: 'A002', businessDay: D1 });
    expect(duplicates(w.hubTickets())).toEqual([]);

    // Back online on the new day, the agent asks for the day after; yesterday's unused blocks stay
    // until the day after (a clock stepping back a little still finds them).
    const after = w.agentBlocks(agent).filter((b) => b.service === 'etat-civil');
    expect(after.map((b) => b.day)).toEqual([D, D1, D2]);
  });

  it('keeps issuing when the hub is down as the branch opens the next morning', async () => {
    const w = await worldAt(`${D}T14:00`);
    const agent = await w.agent();
    await agent.sync.syncNow();
    await w.hub.stop(); // down from the afternoon to the next morning
    w.tick(18 * 60 * MINUTE + 30 * MINUTE); // 08:30 on the 24th
    expect(await w.atAgent(agent)).toMatchObject({
      offline: true,
      number: 'A501',
      businessDay: D1,
    });
    expect(await w.atAgent(agent)).toMatchObject({ number: 'A502', businessDay: D1 });
    w.tick(30 * MINUTE);
    await w.hub.start();
    await agent.sync.syncNow();
    expect(numbersOf(w, D1)).toEqual(['A501', 'A502']);
    expect(await w.atHub()).toMatchObject({ number: 'A001', businessDay: D1 });
  });

  it.each([
    ['ahead of', +10 * MINUTE],
    ['behind', -10 * MINUTE],
  ])(
    'an agent clock 10 minutes %s its last measured offset around midnight shares no number with the hub',
    async (_label, stepMs) => {
      // The agent's clock is 7 minutes late when it measures the offset at 23:39…
      const w = await worldAt(`${D}T23:39`, -7 * MINUTE);
      const agent = await w.agent();
      await agent.sync.syncNow();
      w.relay.cut();
      // …then steps 10 minutes (an NTP correction) while the hub is out of reach: the offset it
      // knows is now 10 minutes wrong, so it turns the day 10 minutes early or late.
      w.agentClock.advance(stepMs);
      const answers: (Answer & { service: string; from: 'hub' | 'agent' })[] = [];
      const agentDays: string[] = [];
      for (let minute = 0; minute <= 40; minute += 1) {
        w.tick(MINUTE); // the hub at 23:40 … 00:20
        const atHub = await w.atHub();
        expect(atHub.status).toBe(201);
        answers.push({ ...atHub, service: 'etat-civil', from: 'hub' });
        if (minute % 4 !== 0) continue;
        const atAgent = await w.atAgent(agent);
        expect(atAgent).toMatchObject({ status: 201, offline: true });
        answers.push({ ...atAgent, service: 'etat-civil', from: 'agent' });
        agentDays.push(atAgent.businessDay);
      }
      // The agent changed day at its own (wrong) midnight, 10 minutes off the hub's.
      const turn = agentDays.indexOf(D1);
      expect(turn).toBeGreaterThan(0);
      expect(agentDays.slice(turn).every((day) => day === D1)).toBe(true);
      const agentMidnightOnHubClock = paris(`${D1}T00:00`) - stepMs;
      const turnedAt = paris(`${D}T23:40`) + turn * 4 * MINUTE;
      expect(turnedAt - agentMidnightOnHubClock).toBeGreaterThanOrEqual(0);
      expect(turnedAt - agentMidnightOnHubClock).toBeLessThan(4 * MINUTE);
      // No two visitors hold the same number of one (service, day); the hub's own numbers stay
      // below the agent's blocks, the agent's within them.
      expect(duplicates(answers.map((a) => ({ ...a, day: a.businessDay })))).toEqual([]);
      for (const a of answers)
        if (a.from === 'hub') expect(Number(a.number.slice(1))).toBeLessThan(FIRST_BLOCK_SEQ);
        else expect(Number(a.number.slice(1))).toBeGreaterThanOrEqual(FIRST_BLOCK_SEQ);

      w.relay.heal();
      await agent.sync.syncNow();
      expect(w.hubRejected()).toBe(0);
      const onHub = w.hubTickets();
      expect(onHub).toHaveLength(answers.length);
      expect(duplicates(onHub)).toEqual([]);
      // Each agent ticket keeps the day and number of its block; none is moved to another day.
      for (const a of answers.filter((x) => x.from === 'agent'))
        expect(onHub.find((t) => t.id === a.id)).toMatchObject({
          day: a.businessDay,
          number: a.number,
        });
      // On the new day both number from the start again: the hub from A001, the agent from A501.
      const newDay = (from: 'hub' | 'agent') =>
        answers.filter((a) => a.from === from && a.businessDay === D1).map((a) => a.number);
      expect(newDay('hub').slice(0, 3)).toEqual(['A001', 'A002', 'A003']);
      expect(newDay('agent').slice(0, 3)).toEqual(['A501', 'A502', 'A503']);
    },
  );

  it('near midnight, a skewed agent refused a day stays online, measures its offset again and asks later', async () => {
    const w = await worldAt(`${D}T23:40`);
    const agent = await w.agent();
    await agent.sync.syncNow();
    // The agent's clock jumps 20 minutes ahead while online: on its next round it believes it is
    // already the 24th and wants the 25th, which the hub (still on the 23rd) refuses.
    w.agentClock.advance(20 * MINUTE);
    w.tick(10 * MINUTE); // hub 23:50, agent 00:10
    w.relay.cut();
    expect(await w.atAgent(agent)).toMatchObject({
      offline: true,
      businessDay: D1,
      number: 'A501',
    });
    w.relay.heal();
    await agent.sync.syncNow();
    expect(agent.sync.online).toBe(true);
    expect(w.hubTickets().map((t) => [t.day, t.number])).toEqual([[D1, 'A501']]);
    expect(w.hubBlocks().some((b) => b.day === D2)).toBe(false);
    // The refusal made it measure the offset again: it is back on the hub's day.
    expect(agent.issuer.today()).toBe(D);
    // After the hub's midnight the same request is granted.
    w.tick(11 * MINUTE);
    await agent.sync.syncNow();
    expect(w.hubBlocks().filter((b) => b.day === D2)).toHaveLength(4);
  });

  it.each([
    ['3 days ahead', 3 * 24 * 60 * MINUTE],
    ['2 days behind', -2 * 24 * 60 * MINUTE],
  ])(
    'an agent whose clock jumped %s measures its offset again and keeps numbering the right day',
    async (_label, jumpMs) => {
      const w = await worldAt(`${D}T10:00`);
      const agent = await w.agent();
      await agent.sync.syncNow();
      w.agentClock.advance(jumpMs);
      w.tick(MINUTE);
      // Every day it asks for is refused; one block for the hub's today measures the offset.
      await agent.sync.syncNow();
      expect(agent.sync.online).toBe(true);
      expect(agent.issuer.today()).toBe(D);
      // Nothing was pruned by the wrong day: today's and tomorrow's blocks are all there.
      expect([...new Set(w.agentBlocks(agent).map((b) => b.day))]).toEqual([D, D1]);
      w.relay.cut();
      expect(await w.atAgent(agent)).toMatchObject({
        offline: true,
        businessDay: D,
        number: 'A501',
      });
    },
  );

  it('a lost disk retires the old epoch’s next-day blocks too; the new epoch numbers after them', async () => {
    const w = await worldAt(`${D}T23:50`);
    const lost = await w.agent();
    await lost.sync.syncNow();
    const oldEpoch = lost.meta.epoch();
    w.relay.cut();
    expect(await w.atAgent(lost)).toMatchObject({ number: 'A501', businessDay: D });
    await w.stopAgent(lost); // its disk is gone with A501 never pushed
    w.relay.heal();

    w.tick(2 * MINUTE);
    const fresh = await w.agent();
    await fresh.sync.syncNow();
    const blocks = w.hubBlocks();
    expect(blocks.filter((b) => b.epoch === oldEpoch).map((b) => [b.day, b.retired])).toEqual(
      expect.arrayContaining([
        [D, true],
        [D1, true],
      ]),
    );
    expect(blocks.filter((b) => b.epoch === oldEpoch).every((b) => b.retired)).toBe(true);
    expect(blocks.filter((b) => b.epoch !== oldEpoch).every((b) => !b.retired)).toBe(true);
    // The new epoch's next-day block starts after the retired one.
    expect(
      w
        .agentBlocks(fresh)
        .filter((b) => b.service === 'etat-civil')
        .map((b) => [b.day, b.from, b.to]),
    ).toEqual([
      [D, 511, 520],
      [D1, 511, 520],
    ]);

    w.relay.cut();
    w.tick(13 * MINUTE); // 00:05
    expect(await w.atAgent(fresh)).toMatchObject({ number: 'A511', businessDay: D1 });
    expect(await w.atHub()).toMatchObject({ number: 'A001', businessDay: D1 });
    w.relay.heal();
    await fresh.sync.syncNow();
    expect(w.hubRejected()).toBe(0);
    expect(numbersOf(w, D1)).toEqual(['A001', 'A511']);
  });

  it('an agent restarted offline after midnight continues after its last number of the new day', async () => {
    const w = await worldAt(`${D}T23:50`);
    const dir = w.freshDir();
    let agent = await w.agent(dir);
    await agent.sync.syncNow();
    w.relay.cut();
    w.tick(15 * MINUTE);
    expect(await w.atAgent(agent)).toMatchObject({ number: 'A501', businessDay: D1 });
    await w.stopAgent(agent);
    agent = await w.agent(dir);
    expect(await w.atAgent(agent)).toMatchObject({ number: 'A502', businessDay: D1 });
    w.relay.heal();
    await agent.sync.syncNow();
    expect(numbersOf(w, D1)).toEqual(['A501', 'A502']);
  });

  it('prunes: the agent forgets unused blocks of days before yesterday, keeping those that numbered a ticket', async () => {
    const w = await worldAt(`${D}T12:00`);
    const agent = await w.agent();
    await agent.sync.syncNow();
    w.relay.cut();
    expect(await w.atAgent(agent)).toMatchObject({ number: 'A501', businessDay: D });
    w.relay.heal();
    for (let day = 0; day < 3; day += 1) {
      w.tick(24 * 60 * MINUTE);
      await agent.sync.syncNow();
    }
    // Now the 26th: yesterday (25th), today and tomorrow; of the 23rd only the block of A501.
    const held = w.agentBlocks(agent);
    expect([...new Set(held.map((b) => b.day))]).toEqual([D, D2, '2026-11-26', '2026-11-27']);
    expect(held.filter((b) => b.day === D).map((b) => [b.service, b.next])).toEqual([
      ['etat-civil', 502],
    ]);
    // The hub keeps every grant of the last 30 days.
    expect(new Set(w.hubBlocks().map((b) => b.day)).size).toBe(5);
  });
});
