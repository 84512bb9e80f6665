import { describe, expect, it } from 'vitest';
import { parseSocatPtys, VirtualScanner } from './scanner-sim.js';

describe('virtual scanner', () => {
  it("parses the pty paths from socat's stderr", () => {
    const stderr = [
      '2026/11/22 06:00:00 socat[123] N PTY is /dev/pts/3',
      '2026/11/22 06:00:00 socat[123] N PTY is /dev/pts/4',
      '2026/11/22 06:00:00 socat[123] N starting data transfer loop with FDs [5,5] and [7,7]',
    ].join('\n');
    expect(parseSocatPtys(stderr)).toEqual(['/dev/pts/3', '/dev/pts/4']);
    expect(parseSocatPtys('garbage')).toEqual([]);
  });

  it('reports a missing socat clearly', async () => {
    await expect(VirtualScanner.start({ socatPath: '/nonexistent/socat' })).rejects.toThrow(
      /cannot run socat/,
    );
  });

  it('starts and stops socat (no process left behind)', async () => {
    const scanner = await VirtualScanner.start();
    expect(scanner.readerPath).toMatch(/^\/dev\/pts\/\d+$/);
    expect(scanner.running).toBe(true);
    await scanner.stop();
    expect(scanner.running).toBe(false);
  });
});
