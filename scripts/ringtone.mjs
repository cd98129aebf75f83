// Writes assets/ringtone.wav: a soft two-note chime (E5 then C5, twice) with a pause, made to
// loop seamlessly (it ends in silence). Deterministic: running it again gives the same bytes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sampleRate = 22_050;
const seconds = 2.4;
const samples = new Float64Array(Math.round(sampleRate * seconds));

/** A bell-like note: fundamental plus two soft overtones, quick attack, exponential decay. */
function addNote(frequency, start, length = 0.8) {
  const first = Math.round(start * sampleRate);
  const count = Math.round(length * sampleRate);
  for (let i = 0; i < count && first + i < samples.length; i++) {
    const t = i / sampleRate;
    const envelope = Math.min(1, t / 0.008) * Math.exp(-t / 0.3) * Math.min(1, (length - t) / 0.05);
    const tone =
      Math.sin(2 * Math.PI * frequency * t) +
      0.3 * Math.sin(2 * Math.PI * 2 * frequency * t) +
      0.08 * Math.sin(2 * Math.PI * 3 * frequency * t);
    samples[first + i] += envelope * tone;
  }
}

for (const offset of [0, 0.9]) {
  addNote(659.26, offset);
  addNote(523.25, offset + 0.18);
}

const peak = samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0);
const pcm = Buffer.alloc(samples.length * 2);
samples.forEach((s, i) => pcm.writeInt16LE(Math.round((s / peak) * 0.6 * 32767), i * 2));

const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + pcm.length, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16); // fmt chunk size
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(sampleRate, 24);
header.writeUInt32LE(sampleRate * 2, 28); // byte rate
header.writeUInt16LE(2, 32); // block align
header.writeUInt16LE(16, 34); // bits per sample
header.write('data', 36);
header.writeUInt32LE(pcm.length, 40);

const out = join(root, 'assets', 'ringtone.wav');
writeFileSync(out, Buffer.concat([header, pcm]));
console.log(`wrote ${out} (${seconds} s, ${sampleRate} Hz)`);
