// Checks a printer URL as the hub will (docs/api.md: tcp://host:port, serial:/dev/…?baud=…,
// file:/dev/…), so the admin sees a precise message before saving. The hub still decides.

export type PrinterUrlProblem = 'empty' | 'scheme' | 'tcp' | 'port' | 'serial' | 'baud' | 'file';

export function printerUrlProblem(raw: string): PrinterUrlProblem | null {
  const url = raw.trim();
  if (!url) return 'empty';
  if (url.startsWith('tcp://')) {
    const match = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(url);
    if (!match) return 'tcp';
    const port = Number(match[2]);
    return port >= 1 && port <= 65535 ? null : 'port';
  }
  if (url.startsWith('serial:')) {
    const match = /^serial:(\/dev\/[A-Za-z0-9._/-]+)(?:\?(.*))?$/.exec(url);
    if (!match) return 'serial';
    const baud = new URLSearchParams(match[2] ?? '').get('baud');
    if (baud !== null && !/^\d{3,7}$/.test(baud)) return 'baud';
    return null;
  }
  if (url.startsWith('file:')) {
    return /^file:\/dev\/[A-Za-z0-9._/-]+$/.test(url) ? null : 'file';
  }
  return 'scheme';
}
