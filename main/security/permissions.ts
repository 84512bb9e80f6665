// Permission requests from pages (camera, microphone, notifications, geolocation, HID, serial,
// clipboard, fullscreen, …). A lobby screen needs none of them: the hardware is driven by the hub
// and the windows are already full screen. So the answer is always no, and it is logged so an
// installer who wonders why a feature is silent can see it.

export interface PermissionDecision {
  granted: false;
  logLine: string;
}

export function decidePermission(permission: string, requestingUrl: string): PermissionDecision {
  return {
    granted: false,
    logLine: `permission "${permission}" refused for ${requestingUrl || '(unknown page)'}`,
  };
}
