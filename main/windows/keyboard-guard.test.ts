import { describe, expect, it } from 'vitest';
import { classifyKey, type KeyInput } from './keyboard-guard';

const press = (key: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  type: 'keyDown',
  key,
  control: false,
  meta: false,
  alt: false,
  shift: false,
  ...mods,
});

describe('keyboard guard', () => {
  it.each([
    ['F5', press('F5')],
    ['Ctrl+R', press('r', { control: true })],
    ['Ctrl+Shift+R', press('R', { control: true, shift: true })],
    ['Cmd+Q', press('q', { meta: true })],
    ['Ctrl+W', press('w', { control: true })],
    ['Ctrl+Shift+I (devtools)', press('I', { control: true, shift: true })],
    ['F12 (devtools)', press('F12')],
    ['F11 (leave full screen)', press('F11')],
    ['Alt+F4', press('F4', { alt: true })],
    ['Alt+Left (back)', press('ArrowLeft', { alt: true })],
    ['Ctrl+P (print)', press('p', { control: true })],
    ['Ctrl++ (zoom)', press('+', { control: true })],
    ['Ctrl+- (zoom)', press('-', { control: true })],
    ['Alt alone (menu bar)', press('Alt', { alt: true })],
  ])('blocks %s', (_name, input) => {
    expect(classifyKey(input)).toBe('block');
  });

  it.each([
    ['a letter', press('a')],
    ['a digit', press('7')],
    ['Enter', press('Enter')],
    ['Shift+A', press('A', { shift: true })],
    ['Backspace', press('Backspace')],
    ['a key release', { ...press('F5'), type: 'keyUp' }],
  ])('allows %s', (_name, input) => {
    expect(classifyKey(input)).toBe('allow');
  });

  it('opens the staff prompt on Ctrl+Alt+Shift+G, whatever the keyboard layout reports', () => {
    expect(classifyKey(press('G', { control: true, alt: true, shift: true }))).toBe('staff-prompt');
    expect(classifyKey(press('Ĝ', { code: 'KeyG', control: true, alt: true, shift: true }))).toBe(
      'staff-prompt',
    );
    expect(classifyKey(press('g', { control: true, shift: true }))).toBe('block');
  });
});
