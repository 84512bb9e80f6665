// The branch's services: what visitors can take a ticket for.
import { randomBytes } from 'node:crypto';
import { isValidPrefix } from '../../../core/numbering';
import type { LocalizedText, Service } from '../../../core/model';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError, notFound } from '../../hub-error';
import type { Actor } from '../actor';
import { withChanges } from '../../../core/records';

interface ServiceRow {
  id: string;
  prefix: string;
  names: string;
  open: number;
  position: number;
}

const toService = (r: ServiceRow): Service => ({
  id: r.id,
  prefix: r.prefix,
  name: JSON.parse(r.names) as LocalizedText,
  open: r.open === 1,
  position: r.position,
});

export interface NewService {
  id?: string;
  prefix: string;
  name: LocalizedText;
  open?: boolean;
  position?: number;
}

export type ServicePatch = Partial<Pick<Service, 'prefix' | 'name' | 'open' | 'position'>>;

export class ServiceStore {
  private readonly all;
  private readonly one;
  private readonly byPrefix;
  private readonly insert;
  private readonly update;

  constructor(private readonly ctx: HubContext) {
    const { db } = ctx;
    this.all = db.prepare<[], ServiceRow>('SELECT * FROM services ORDER BY position, prefix');
    this.one = db.prepare<[string], ServiceRow>('SELECT * FROM services WHERE id = ?');
    this.byPrefix = db.prepare<[string], ServiceRow>('SELECT * FROM services WHERE prefix = ?');
    this.insert = db.prepare(
      'INSERT INTO services (id, prefix, names, open, position) VALUES (@id, @prefix, @names, @open, @position)',
    );
    this.update = db.prepare(
      'UPDATE services SET prefix = @prefix, names = @names, open = @open, position = @position WHERE id = @id',
    );
  }

  list(): Service[] {
    return this.all.all().map(toService);
  }

  find(id: string): Service | undefined {
    const row = this.one.get(id);
    return row ? toService(row) : undefined;
  }

  get(id: string): Service {
    const service = this.find(id);
    if (!service) throw notFound('service', id);
    return service;
  }

  create(input: NewService, actor: Actor): Service {
    return runCommand(this.ctx, () => {
      const service: Service = {
        id: input.id ?? `svc-${input.prefix.toLowerCase()}-${randomBytes(3).toString('hex')}`,
        prefix: input.prefix,
        name: input.name,
        open: input.open ?? true,
        position: input.position ?? this.list().length,
      };
      this.assertPrefixFree(service.prefix, service.id);
      if (this.find(service.id))
        throw new HubError(
          409,
          'service_exists',
          `A service with id "${service.id}" exists already.`,
        );
      this.insert.run(params(service));
      this.ctx.outbox.append(
        {
          type: 'service.created',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { service },
        },
        this.ctx.clock.now(),
      );
      return service;
    });
  }

  patch(id: string, patch: ServicePatch, actor: Actor): Service {
    return runCommand(this.ctx, () => {
      const before = this.get(id);
      const service = withChanges(before, patch);
      if (JSON.stringify(service) === JSON.stringify(before)) return before;
      this.assertPrefixFree(service.prefix, id);
      this.update.run(params(service));
      this.ctx.outbox.append(
        {
          type: 'service.updated',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { serviceId: id, patch },
        },
        this.ctx.clock.now(),
      );
      return service;
    });
  }

  private assertPrefixFree(prefix: string, forId: string): void {
    if (!isValidPrefix(prefix))
      throw new HubError(422, 'invalid_prefix', 'A ticket prefix is one capital letter, A to Z.');
    const holder = this.byPrefix.get(prefix);
    if (holder && holder.id !== forId) {
      throw new HubError(
        409,
        'prefix_taken',
        `The prefix "${prefix}" already belongs to another service.`,
      );
    }
  }
}

const params = (s: Service) => ({
  id: s.id,
  prefix: s.prefix,
  names: JSON.stringify(s.name),
  open: s.open ? 1 : 0,
  position: s.position,
});
