import { describe, expect, it } from 'vitest';
import { InvalidPrinterUrlError } from './errors.js';
import { formatPrinterTarget, parsePrinterUrl, printerUrlSchema } from './url.js';

describe('printer URLs', () => {
  it.each([
    ['tcp://10.0.0.5', { kind: 'tcp', host: '10.0.0.5', port: 9100 }],
    ['tcp://printer.lobby.local:9101', { kind: 'tcp', host: 'printer.lobby.local', port: 9101 }],
    ['TCP://[::1]:9100/', { kind: 'tcp', host: '::1', port: 9100 }],
    ['serial:/dev/ttyUSB0', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 }],
    ['serial:/dev/ttyUSB0?baud=19200', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200 }],
    ['file:/dev/usb/lp0', { kind: 'file', path: '/dev/usb/lp0' }],
    ['file:///dev/usb/lp0', { kind: 'file', path: '/dev/usb/lp0' }],
    ['mock:kiosk-1', { kind: 'mock', name: 'kiosk-1' }],
  ])('parses %s', (url, expected) => {
    expect(parsePrinterUrl(url)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['10.0.0.5:9100', /missing scheme/],
    ['http://printer', /unsupported scheme "http:"/],
    ['tcp://printer:0', /port/],
    ['tcp://printer:70000', /port/],
    ['tcp://printer:91a', /port/],
    ['tcp://printer:9100/path', /nothing after the port/],
    ['tcp://bad_host!:9100', /host/],
    ['serial:/dev/ttyUSB0?baud=12345', /baud must be one of/],
    ['serial:/dev/ttyUSB0?speed=9600', /unknown option "speed"/],
    ['serial:/dev/ttyUSB0?baud=9600&baud=19200', /given twice/],
    ['serial:ttyUSB0', /absolute device path/],
    ['file:/dev/../etc/passwd', /".."/],
    ['file:/dev/usb/lp0 ; rm -rf /', /spaces/],
    ['tcp://a\u0000b', /control/],
    [`tcp://${'a'.repeat(600)}`, /longer than 512/],
  ])('refuses %j with a clear reason', (url, reason) => {
    expect(() => parsePrinterUrl(url)).toThrow(InvalidPrinterUrlError);
    expect(() => parsePrinterUrl(url)).toThrow(reason);
  });

  it('refuses non-strings and works as a zod schema', () => {
    expect(() => parsePrinterUrl(42)).toThrow(/not a string/);
    expect(printerUrlSchema.safeParse('tcp://x:9100').success).toBe(true);
    const bad = printerUrlSchema.safeParse('nope');
    expect(bad.success).toBe(false);
  });

  it('formats targets back to normalised URLs', () => {
    expect(formatPrinterTarget(parsePrinterUrl('tcp://p'))).toBe('tcp://p:9100');
    expect(formatPrinterTarget(parsePrinterUrl('tcp://[::1]'))).toBe('tcp://[::1]:9100');
    expect(formatPrinterTarget(parsePrinterUrl('serial:/dev/ttyS0'))).toBe(
      'serial:/dev/ttyS0?baud=9600',
    );
  });
});
