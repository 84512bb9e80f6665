// Which window goes on which physical screen, and how big. Pure: it takes the machine's roles,
// the screens Electron reports and the installer's choices, and returns one plan per window.
//
// Lobby rules: each screen role gets a whole screen in kiosk mode. The installer's choice wins
// when that screen is still plugged in; otherwise the kiosk (touch) takes the primary screen and
// the waiting-room display the first other one. Two roles never share a screen in the lobby (the
// second would hide behind the first): the one left without a screen is reported, not opened.
// In demo mode (a developer's laptop) windows are ordinary windows tiled on the primary screen.
import type { MachineRole, ScreenRole } from '../../preload/api';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The fields of Electron's `Display` we use. */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
  rotation: number;
  internal: boolean;
}

export interface WindowPlan {
  role: ScreenRole;
  displayId: number;
  bounds: Rect;
  kiosk: boolean;
  fullscreen: boolean;
  orientation: 'landscape' | 'portrait';
}

export interface PlacementResult {
  windows: WindowPlan[];
  /** Roles that got no screen, with the reason, for the log and the setup page. */
  unplaced: { role: ScreenRole; reason: string }[];
}

export interface PlacementInput {
  roles: readonly MachineRole[];
  displays: readonly DisplayInfo[];
  primaryDisplayId: number;
  assignments: Partial<Record<ScreenRole, number>>;
  mode: 'lobby' | 'demo';
}

/** The screens this machine shows, most important first: the kiosk is how visitors get in. */
export function screenRolesOf(roles: readonly MachineRole[]): ScreenRole[] {
  const order: ScreenRole[] = ['kiosk', 'counter', 'display'];
  const wanted = order.filter((role) => (roles as readonly string[]).includes(role));
  // A hub alone still needs a screen for its administrator.
  if (wanted.length === 0 && roles.includes('hub')) return ['admin'];
  return wanted;
}

export function orientationOf(display: DisplayInfo): 'landscape' | 'portrait' {
  return display.bounds.height > display.bounds.width ? 'portrait' : 'landscape';
}

export function planWindows(input: PlacementInput): PlacementResult {
  const roles = screenRolesOf(input.roles);
  if (input.displays.length === 0)
    return {
      windows: [],
      unplaced: roles.map((role) => ({ role, reason: 'no screen connected' })),
    };
  const primary =
    input.displays.find((d) => d.id === input.primaryDisplayId) ??
    (input.displays[0] as DisplayInfo);
  if (input.mode === 'demo') return { windows: tile(roles, primary), unplaced: [] };

  const taken = new Set<number>();
  const chosen = new Map<ScreenRole, DisplayInfo>();
  // First the installer's explicit choices, in priority order.
  for (const role of roles) {
    const id = input.assignments[role];
    const display = input.displays.find((d) => d.id === id);
    if (display && !taken.has(display.id)) {
      chosen.set(role, display);
      taken.add(display.id);
    }
  }
  // Then defaults for the rest: the display prefers a screen other than the primary one.
  for (const role of roles) {
    if (chosen.has(role)) continue;
    const free = input.displays.filter((d) => !taken.has(d.id));
    const pick =
      role === 'display'
        ? (free.find((d) => d.id !== primary.id && !d.internal) ??
          free.find((d) => d.id !== primary.id) ??
          free[0])
        : (free.find((d) => d.id === primary.id) ?? free[0]);
    if (pick) {
      chosen.set(role, pick);
      taken.add(pick.id);
    }
  }

  const windows: WindowPlan[] = [];
  const unplaced: PlacementResult['unplaced'] = [];
  for (const role of roles) {
    const display = chosen.get(role);
    if (!display) {
      unplaced.push({ role, reason: 'every screen is already used by a more important window' });
      continue;
    }
    windows.push({
      role,
      displayId: display.id,
      bounds: { ...display.bounds },
      kiosk: role !== 'admin',
      fullscreen: role !== 'admin',
      orientation: orientationOf(display),
    });
  }
  return { windows, unplaced };
}

function tile(roles: readonly ScreenRole[], display: DisplayInfo): WindowPlan[] {
  const area = display.workArea;
  const width = Math.floor(area.width / Math.max(roles.length, 1));
  return roles.map((role, index) => ({
    role,
    displayId: display.id,
    bounds: { x: area.x + index * width, y: area.y, width, height: area.height },
    kiosk: false,
    fullscreen: false,
    orientation: orientationOf(display),
  }));
}
