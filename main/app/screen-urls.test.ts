import { describe, expect, it } from 'vitest';
import { screenUrl } from './screen-urls';

describe('screen URLs', () => {
  it('points each screen at its page on the hub', () => {
    expect(screenUrl('http://192.168.1.10:4280', 'kiosk', null)).toBe(
      'http://192.168.1.10:4280/kiosk',
    );
    expect(screenUrl('http://hub:4280', 'counter', 'counter 2')).toBe(
      'http://hub:4280/counter?counter=counter+2',
    );
    expect(screenUrl('http://hub:4280', 'display', 'c1')).toBe('http://hub:4280/display');
  });
});
