// Synthesises chime.wav, the display's attention sound: a soft two-note "ding-dong" (E5 then C5)
// with a few bell-like partials and exponential decay. Generated here so no third-party audio
// (and no licence question) ships with Guichet. Run: node resources/sounds/make-chime.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const rate = 22050;
const seconds = 1.6;
const samples = Math.floor(rate * seconds);
const notes = [
  { freq: 659.25, start: 0, decay: 2.6 },
  { freq: 523.25, start: 0.45, decay: 2.2 },
];
// Bell partials: relative frequency and loudness.
const partials = [
  [1, 1],
  [2, 0.35],
  [3, 0.12],
  [4.2, 0.05],
];

const pcm = new Float64Array(samples);
for (const note of notes) {
  const first = Math.floor(note.start * rate);
  for (let i = first; i < samples; i++) {
    const t = (i - first) / rate;
    const attack = Math.min(1, t / 0.008); // no click at the onset
    const envelope = attack * Math.exp(-note.decay * t);
    let v = 0;
    for (const [mult, gain] of partials) v += gain * Math.sin(2 * Math.PI * note.freq * mult * t);
    pcm[i] += 0.38 * envelope * v;
  }
}
// Fade the tail out so the file ends in silence.
const fade = Math.floor(0.15 * rate);
for (let i = 0; i < fade; i++) pcm[samples - 1 - i] *= i / fade;

const data = Buffer.alloc(samples * 2);
for (let i = 0; i < samples; i++) {
  const clamped = Math.max(-1, Math.min(1, pcm[i]));
  data.writeInt16LE(Math.round(clamped * 32767), i * 2);
}
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + data.length, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16); // PCM chunk size
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(rate, 24);
header.writeUInt32LE(rate * 2, 28); // byte rate
header.writeUInt16LE(2, 32); // block align
header.writeUInt16LE(16, 34); // bits per sample
header.write('data', 36);
header.writeUInt32LE(data.length, 40);

writeFileSync(join(import.meta.dirname, 'chime.wav'), Buffer.concat([header, data]));
