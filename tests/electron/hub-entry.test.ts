// The hub's utility-process service, run under Node with a stand-in for Electron's parentPort: it
// must create the branch, make this machine's device tokens, serve the API and say "ready".
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HubReport } from '../../main/hub/hub-messages';

class FakeParentPort extends EventEmitter {
  readonly reports: HubReport[] = [];
  postMessage(message: HubReport): void {
    this.reports.push(message);
    this.emit('report', message);
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'guichet-hub-entry-'));
const port = new FakeParentPort();
const exits: number[] = [];
afterAll(async () => {
  const exited = new Promise<void>((resolve) => port.once('exit', resolve));
  port.emit('message', { data: { type: 'stop' } });
  await exited;
  expect(exits).toEqual([0]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('hub utility process entry', () => {
  it('starts a hub on a fresh data folder and reports its URL and tokens', async () => {
    const { serveHub } = await import('../../main/hub/hub-service');
    serveHub(port, (code) => {
      exits.push(code);
      port.emit('exit');
    });
    const ready = new Promise<HubReport>((resolve) => port.once('report', resolve));
    port.emit('message', {
      data: {
        type: 'start',
        dataDir,
        host: '127.0.0.1',
        port: 0,
        screensDir: null,
        needTokensFor: ['kiosk', 'display'],
        counterId: null,
      },
    });
    const report = await ready;
    expect(report.type).toBe('ready');
    if (report.type !== 'ready') return;
    expect(Object.keys(report.tokens).sort()).toEqual(['display', 'kiosk']);
    const health = await fetch(`${report.url}/api/v1/health`);
    expect(health.status).toBe(200);
    const me = await fetch(`${report.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${report.tokens.kiosk}` },
    });
    expect(((await me.json()) as { role: string }).role).toBe('kiosk');
  });
});
