// What writing a configuration means, shared by both stores: adoption by a first hub only when
// the branch is empty, optimistic concurrency for admins, and no new version for the same content.
import type { BranchConfig, BranchConfigInput } from '../../core/sync/config';
import { ServerError } from '../server-error';
import type { ConfigWrite } from './ports';

export interface StoredConfigRow {
  version: number;
  config: string;
  created_at: number;
}

export interface ConfigDecision {
  config: BranchConfig;
  changed: boolean;
  /** The JSON to store when changed. */
  json: string;
}

const contentJson = (c: BranchConfigInput): string =>
  JSON.stringify({
    settings: c.settings,
    services: c.services,
    counters: c.counters,
    devices: c.devices,
  });

export const configAfterWrite = {
  fromRow(row: StoredConfigRow): BranchConfig {
    return {
      ...(JSON.parse(row.config) as BranchConfigInput),
      version: Number(row.version),
      updatedAt: new Date(Number(row.created_at)).toISOString(),
    };
  },

  decide(
    current: BranchConfig | null,
    input: BranchConfigInput,
    write: ConfigWrite,
    now: number,
  ): ConfigDecision {
    const json = contentJson(input);
    if (current && write.mode === 'adopt') return { config: current, changed: false, json };
    if (write.mode === 'replace' && write.ifVersion !== undefined) {
      const version = current?.version ?? 0;
      if (write.ifVersion !== version)
        throw new ServerError(
          409,
          'version_conflict',
          `The configuration is at version ${version}, not ${write.ifVersion}; reload and retry.`,
        );
    }
    if (current && contentJson(current) === json) return { config: current, changed: false, json };
    return {
      config: {
        ...input,
        version: (current?.version ?? 0) + 1,
        updatedAt: new Date(now).toISOString(),
      },
      changed: true,
      json,
    };
  },
};
