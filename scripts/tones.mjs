// Writes the app's sounds to assets/, deterministically (running it again gives the same bytes):
// - ringtone.wav: a soft two-note chime (E5 then C5, twice) with a pause, for an incoming call;
// - ringback.wav: what the caller hears while the call rings (440 + 480 Hz, 2 s on, 4 s off);
// - call-waiting.wav: two short quiet beeps, then silence, for a call that comes in during a call.
// Each ends in silence so that it loops seamlessly.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sampleRate = 22_050;

/** A bell-like note: fundamental plus two soft overtones, quick attack, exponential decay. */
function addNote(samples, frequency, start, length = 0.8) {
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

/** A steady tone of one or more frequencies, with 10 ms ramps so that it does not click. */
function addTone(samples, frequencies, start, length) {
  const first = Math.round(start * sampleRate);
  const count = Math.round(length * sampleRate);
  for (let i = 0; i < count && first + i < samples.length; i++) {
    const t = i / sampleRate;
    const envelope = Math.min(1, t / 0.01, (length - t) / 0.01);
    for (const frequency of frequencies) {
      samples[first + i] += envelope * Math.sin(2 * Math.PI * frequency * t);
    }
  }
}

/** 16-bit mono PCM WAV, normalised to `level` of full scale. */
function wav(samples, level) {
  const peak = samples.reduce((max, s) => Math.max(max, Math.abs(s)), 0);
  const pcm = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => pcm.writeInt16LE(Math.round((s / peak) * level * 32767), i * 2));
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
  return Buffer.concat([header, pcm]);
}

function write(name, seconds, level, compose) {
  const samples = new Float64Array(Math.round(sampleRate * seconds));
  compose(samples);
  const out = join(root, 'assets', name);
  writeFileSync(out, wav(samples, level));
  console.log(`wrote ${out} (${seconds} s, ${sampleRate} Hz)`);
}

write('ringtone.wav', 2.4, 0.6, (samples) => {
  for (const offset of [0, 0.9]) {
    addNote(samples, 659.26, offset);
    addNote(samples, 523.25, offset + 0.18);
  }
});
write('ringback.wav', 6, 0.25, (samples) => addTone(samples, [440, 480], 0, 2));
write('call-waiting.wav', 4, 0.2, (samples) => {
  addTone(samples, [440], 0, 0.2);
  addTone(samples, [440], 0.4, 0.2);
});
