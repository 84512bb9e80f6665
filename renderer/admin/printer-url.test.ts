import { describe, expect, it } from 'vitest';
import { printerUrlProblem } from './printer-url';

describe('printer URL check', () => {
  it('accepts the three documented forms', () => {
    for (const ok of [
      'tcp://192.168.1.50:9100',
      'tcp://printer.local:9100',
      'serial:/dev/ttyUSB0?baud=19200',
      'serial:/dev/ttyACM0',
      'file:/dev/usb/lp0',
    ]) {
      expect(printerUrlProblem(ok), ok).toBeNull();
    }
  });

  it('says precisely what is wrong', () => {
    expect(printerUrlProblem('')).toBe('empty');
    expect(printerUrlProblem('http://x:9100')).toBe('scheme');
    expect(printerUrlProblem('tcp://192.168.1.50')).toBe('tcp');
    expect(printerUrlProblem('tcp://host:99999')).toBe('port');
    expect(printerUrlProblem('tcp://host:0')).toBe('port');
    expect(printerUrlProblem('serial:COM3')).toBe('serial');
    expect(printerUrlProblem('serial:/dev/ttyUSB0?baud=fast')).toBe('baud');
    expect(printerUrlProblem('file:/tmp/x y')).toBe('file');
  });
});
