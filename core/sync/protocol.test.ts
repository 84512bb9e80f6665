import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { BranchConfigInput } from './config';
import { createHlc, encodeHlc, tickHlc } from './hlc';
import { PullQuery, PushBody } from './protocol';

const event = (deviceSeq: number) => ({
  eventId: uuidv7(),
  deviceSeq,
  hlc: encodeHlc(tickHlc(createHlc('hub-1'), Date.now())),
  type: 'ticket.issued',
  payload: {},
});

describe('protocol schemas', () => {
  it('accepts a push as the hub writes it', () => {
    expect(
      PushBody.safeParse({ deviceId: 'hub-1', epoch: 'e-1', events: [event(1), event(2)] }).success,
    ).toBe(true);
  });

  it('refuses repeated positions or ids, non-v7 ids and upper-case ids', () => {
    const e = event(1);
    const bad = [
      { deviceId: 'hub-1', epoch: 'e', events: [e, { ...e, deviceSeq: 2 }] },
      { deviceId: 'hub-1', epoch: 'e', events: [e, { ...event(2), deviceSeq: 1 }] },
      {
        deviceId: 'hub-1',
        epoch: 'e',
        events: [{ ...e, eventId: '4b1c1f6e-6c55-4d3a-9a47-0b1f2a3c4d5e' }],
      },
      { deviceId: 'hub-1', epoch: 'e', events: [{ ...e, eventId: e.eventId.toUpperCase() }] },
    ];
    for (const body of bad) expect(PushBody.safeParse(body).success).toBe(false);
  });

  it('coerces the pull limit from the query string', () => {
    expect(PullQuery.parse({ limit: '20' })).toEqual({ limit: 20 });
  });

  it('checks a configuration against itself', () => {
    const config = {
      settings: {
        name: 'B',
        timeZone: 'Europe/Paris',
        defaultLang: 'fr',
        languages: ['fr'],
        capacity: null,
        priorityEnabled: true,
        inactivityTimeoutSec: 30,
        announcementTemplates: {},
        priorityCap: 2,
        agingThresholdSec: 1800,
        maxRecalls: 3,
      },
      services: [{ id: 's', prefix: 'A', name: { fr: 'S' }, open: true, position: 0 }],
      counters: [{ id: 'c', name: 'C', profile: [{ serviceId: 's', weight: 1 }] }],
      devices: [],
    };
    expect(BranchConfigInput.safeParse(config).success).toBe(true);
    const dangling = {
      ...config,
      counters: [{ id: 'c', name: 'C', profile: [{ serviceId: 'x', weight: 1 }] }],
    };
    expect(BranchConfigInput.safeParse(dangling).success).toBe(false);
  });
});
