import { describe, expect, it } from 'vitest';
import {
  planWindows,
  screenRolesOf,
  type DisplayInfo,
  type PlacementInput,
} from '../../main/windows/window-placement';

const laptop: DisplayInfo = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 32, width: 1920, height: 1048 },
  rotation: 0,
  internal: true,
};
const hdmiTv: DisplayInfo = {
  id: 2,
  bounds: { x: 1920, y: 0, width: 3840, height: 2160 },
  workArea: { x: 1920, y: 0, width: 3840, height: 2160 },
  rotation: 0,
  internal: false,
};
// A TV hung on its side: Electron reports rotated bounds (taller than wide) and rotation 90.
const portraitTv: DisplayInfo = {
  id: 3,
  bounds: { x: -1080, y: 0, width: 1080, height: 1920 },
  workArea: { x: -1080, y: 0, width: 1080, height: 1920 },
  rotation: 90,
  internal: false,
};

const input = (over: Partial<PlacementInput>): PlacementInput => ({
  roles: ['kiosk'],
  displays: [laptop],
  primaryDisplayId: 1,
  assignments: {},
  mode: 'lobby',
  ...over,
});

describe('window placement', () => {
  it('puts a lone kiosk full screen, in kiosk mode, on the only screen', () => {
    const { windows, unplaced } = planWindows(input({}));
    expect(unplaced).toEqual([]);
    expect(windows).toEqual([
      {
        role: 'kiosk',
        displayId: 1,
        bounds: laptop.bounds,
        kiosk: true,
        fullscreen: true,
        orientation: 'landscape',
      },
    ]);
  });

  it('with two screens, keeps the kiosk on the primary and sends the display to the TV', () => {
    const { windows } = planWindows(
      input({ roles: ['kiosk', 'display'], displays: [laptop, hdmiTv] }),
    );
    expect(windows.map((w) => [w.role, w.displayId, w.bounds.x])).toEqual([
      ['kiosk', 1, 0],
      ['display', 2, 1920],
    ]);
  });

  it('finds the TV for the display even when the TV is listed first', () => {
    const { windows } = planWindows(
      input({ roles: ['display', 'kiosk'], displays: [hdmiTv, laptop] }),
    );
    expect(Object.fromEntries(windows.map((w) => [w.role, w.displayId]))).toEqual({
      kiosk: 1,
      display: 2,
    });
  });

  it("follows the installer's choice, even swapping the defaults", () => {
    const { windows } = planWindows(
      input({
        roles: ['kiosk', 'display'],
        displays: [laptop, hdmiTv],
        assignments: { kiosk: 2, display: 1 },
      }),
    );
    expect(Object.fromEntries(windows.map((w) => [w.role, w.displayId]))).toEqual({
      kiosk: 2,
      display: 1,
    });
  });

  it('falls back to defaults when the chosen screen was unplugged', () => {
    const { windows } = planWindows(input({ roles: ['display'], assignments: { display: 2 } }));
    expect(windows).toHaveLength(1);
    expect(windows[0]?.displayId).toBe(1);
  });

  it('reports, rather than hides, the display when kiosk and display share one screen', () => {
    const { windows, unplaced } = planWindows(input({ roles: ['kiosk', 'display'] }));
    expect(windows.map((w) => w.role)).toEqual(['kiosk']);
    expect(unplaced).toEqual([
      { role: 'display', reason: expect.stringContaining('already used') },
    ]);
  });

  it('gives a portrait TV its rotated bounds and says it is portrait', () => {
    const { windows } = planWindows(
      input({ roles: ['kiosk', 'display'], displays: [laptop, portraitTv] }),
    );
    const display = windows.find((w) => w.role === 'display');
    expect(display).toMatchObject({
      displayId: 3,
      orientation: 'portrait',
      bounds: portraitTv.bounds,
    });
  });

  it('tiles ordinary windows on the primary screen in demo mode', () => {
    const { windows } = planWindows(
      input({ roles: ['kiosk', 'display'], displays: [laptop, hdmiTv], mode: 'demo' }),
    );
    expect(windows.map((w) => [w.role, w.kiosk, w.bounds])).toEqual([
      ['kiosk', false, { x: 0, y: 32, width: 960, height: 1048 }],
      ['display', false, { x: 960, y: 32, width: 960, height: 1048 }],
    ]);
  });

  it('gives a hub-only machine one ordinary admin window', () => {
    expect(screenRolesOf(['hub'])).toEqual(['admin']);
    const { windows } = planWindows(input({ roles: ['hub'] }));
    expect(windows).toMatchObject([{ role: 'admin', kiosk: false, fullscreen: false }]);
  });

  it('a hub that is also a kiosk shows only the kiosk', () => {
    expect(screenRolesOf(['hub', 'kiosk'])).toEqual(['kiosk']);
  });

  it('opens nothing, and says why, when no screen is connected', () => {
    expect(planWindows(input({ displays: [] }))).toEqual({
      windows: [],
      unplaced: [{ role: 'kiosk', reason: 'no screen connected' }],
    });
  });
});
