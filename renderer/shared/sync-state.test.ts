import { describe, expect, it } from 'vitest';
import type { SyncStatusDto } from '../../core/api/schemas';
import { mergeSyncStatus, showsCentralBadge, syncBadgeKey, syncTone } from './sync-state';

const status = (over: Partial<SyncStatusDto> = {}): SyncStatusDto => ({
  linked: true,
  centralHost: 'central.example:8443',
  state: 'online',
  lastSuccessAt: '2026-11-22T08:00:00.000Z',
  backlog: 0,
  lastError: null,
  ...over,
});

describe('sync state', () => {
  it('gives each state its colour; an unlinked hub is neutral', () => {
    expect(syncTone(status())).toBe('ok');
    expect(syncTone(status({ state: 'offline' }))).toBe('warn');
    expect(syncTone(status({ state: 'error' }))).toBe('bad');
    expect(syncTone(status({ state: 'never' }))).toBe('idle');
    expect(syncTone(status({ linked: false, state: 'never' }))).toBe('idle');
  });

  it('shows the lobby badge only while a linked hub cannot reach central', () => {
    expect(showsCentralBadge(null)).toBe(false);
    expect(showsCentralBadge(status())).toBe(false);
    expect(showsCentralBadge(status({ state: 'never' }))).toBe(false);
    expect(showsCentralBadge(status({ state: 'offline' }))).toBe(true);
    expect(showsCentralBadge(status({ state: 'error' }))).toBe(true);
    expect(showsCentralBadge(status({ linked: false, state: 'offline' }))).toBe(false);
  });

  it('words the badge for the link it is about: central (absent) or a kiosk agent’s hub', () => {
    expect(syncBadgeKey(null)).toBeNull();
    expect(syncBadgeKey(status({ link: 'hub' }))).toBeNull();
    expect(syncBadgeKey(status({ state: 'offline' }))).toBe('connection.centralUnreachable');
    expect(syncBadgeKey(status({ state: 'error', link: 'central' }))).toBe(
      'connection.centralUnreachable',
    );
    expect(syncBadgeKey(status({ state: 'offline', link: 'hub' }))).toBe(
      'connection.hubUnreachable',
    );
    expect(syncBadgeKey(status({ state: 'error', link: 'hub' }))).toBe('connection.hubUnreachable');
    expect(syncBadgeKey(status({ linked: false, state: 'offline', link: 'hub' }))).toBeNull();
  });

  it('keeps a live message over an answer to an older request', () => {
    const live = { status: status({ state: 'offline', backlog: 3 }), receivedAt: 2000 };
    const staleAnswer = { status: status(), receivedAt: 1000 };
    expect(mergeSyncStatus(live, staleAnswer)).toBe(live);
    expect(mergeSyncStatus(staleAnswer, live)).toBe(live);
    expect(mergeSyncStatus(null, staleAnswer)).toBe(staleAnswer);
    const later = { status: status({ backlog: 0 }), receivedAt: 2000 };
    expect(mergeSyncStatus(live, later)).toBe(later);
  });
});
