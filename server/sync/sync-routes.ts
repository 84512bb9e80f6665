// The sync endpoints a hub calls with its branch token (docs/sync.md): push its log, pull what
// others did, and offer its configuration when it first links to an empty branch.
import { decodeHlc, MAX_REMOTE_AHEAD_MS } from '../../core/sync/hlc';
import {
  LinkConfigAnswer,
  LinkConfigBody,
  MAX_PULL_EVENTS,
  PullAnswer,
  PullQuery,
  PushAnswer,
  PushBody,
} from '../../core/sync/protocol';
import { branchOf } from '../api/auth';
import { errorResponses, type ZodApp } from '../../http/zod-app';
import type { ServerStore } from '../store/ports';
import { decodeCursor, encodeCursor } from './cursor';
import { checkEvent } from './event-check';

export function registerSyncRoutes(app: ZodApp, store: ServerStore): void {
  app.post(
    '/api/v1/sync/push',
    {
      config: { access: 'branch' },
      schema: {
        tags: ['sync'],
        summary: "Push a device's log: one transaction, idempotent, stops at a gap",
        body: PushBody,
        response: { 200: PushAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const now = Date.now();
      const body = request.body;
      for (const event of body.events) {
        const stamp = decodeHlc(event.hlc);
        // Stored as sent (it is the device's log), but a broken clock deserves a line in the log.
        if (stamp && stamp.wall > now + MAX_REMOTE_AHEAD_MS) {
          request.log.warn(
            { deviceId: body.deviceId, hlc: event.hlc },
            'event stamp more than 1 h ahead: device clock is wrong',
          );
          break;
        }
      }
      const outcome = await store.push({
        branchId: branchOf(request),
        deviceId: body.deviceId,
        epoch: body.epoch,
        events: body.events,
        now,
        check: checkEvent,
      });
      return { ackSeq: outcome.ackSeq, results: outcome.results, receiverTime: Date.now() };
    },
  );

  app.get(
    '/api/v1/sync/pull',
    {
      config: { access: 'branch' },
      schema: {
        tags: ['sync'],
        summary: 'Events of the other devices after the cursor, and the config when it changed',
        querystring: PullQuery,
        response: { 200: PullAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const branchId = branchOf(request);
      const query = request.query;
      let cursor = decodeCursor(query.cursor);
      const read = (afterPos: number) =>
        store.pull({
          branchId,
          afterPos,
          excludeDeviceId: query.deviceId ?? null,
          limit: query.limit ?? MAX_PULL_EVENTS,
        });
      let slice = await read(cursor.pos);
      if (cursor.pos > slice.headPos) {
        // A cursor past the head (the server was restored from a backup): start over. Pulls are
        // applied idempotently, so re-reading costs time, never correctness.
        request.log.warn({ branchId, cursor: query.cursor }, 'cursor ahead of the log; restarting');
        cursor = { pos: 0, configVersion: 0 };
        slice = await read(0);
      }
      const version = slice.config?.version ?? 0;
      return {
        cursor: encodeCursor({ pos: slice.lastPos, configVersion: version }),
        events: slice.events,
        config: slice.config && version !== cursor.configVersion ? slice.config : null,
        hasMore: slice.lastPos < slice.headPos,
        receiverTime: Date.now(),
      };
    },
  );

  app.post(
    '/api/v1/sync/config',
    {
      config: { access: 'branch' },
      schema: {
        tags: ['sync'],
        summary: "Offer the hub's configuration: adopted only when the branch has none yet",
        body: LinkConfigBody,
        response: { 200: LinkConfigAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const result = await store.writeConfig(
        branchOf(request),
        request.body.config,
        { mode: 'adopt' },
        Date.now(),
      );
      return { adopted: result.changed, config: result.config };
    },
  );
}
