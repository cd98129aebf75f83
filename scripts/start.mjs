// `npm start` after the build: opens the desktop app when an Electron binary is installed, and
// otherwise says so in one line and serves the web client from the local server instead.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import electronBinaryModule from './electronBinary.cjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { electronBinary } = electronBinaryModule;

// Where Electron's app.getPath('userData') points for productName "Parley".
function userDataDir() {
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Parley');
  if (process.platform === 'win32') {
    return join(process.env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'Parley');
  }
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Parley');
}

let stopRequested = false;

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopRequested = true;
      child.kill(signal);
    });
  }
}

// A child ended by the Ctrl+C / SIGTERM we passed on stopped as asked: that is success.
function exitLike(code, signal) {
  process.exit(code ?? (signal && stopRequested ? 0 : 1));
}

function launchElectron(binary) {
  const child = spawn(binary, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('error', (error) => {
    console.error(`Parley: could not launch Electron at ${binary}: ${error.message}`);
    process.exit(1);
  });
  forwardSignals(child);
  child.on('exit', exitLike);
}

// The server logs JSON lines; the one with msg "listening" carries the URL it actually bound.
function listeningUrl(line) {
  try {
    const record = JSON.parse(line);
    if (record?.msg === 'listening' && typeof record.url === 'string')
      return new URL(record.url).href;
  } catch {
    // not a JSON log line
  }
  return null;
}

function runWebServer() {
  const serverMain = join(root, 'dist', 'server', 'main.js');
  if (!existsSync(serverMain)) {
    console.error('Parley: dist/server/main.js is missing; run `npm run build` first.');
    process.exit(1);
  }
  const port = process.env.PARLEY_PORT || '8080';
  const data = join(userDataDir(), 'server');
  // Group calls on: their media through mediasoup workers on loopback, started on the first one.
  const args = [
    serverMain,
    '--port',
    port,
    '--host',
    '127.0.0.1',
    '--data',
    data,
    '--sfu-listen-ip',
    '127.0.0.1',
  ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  forwardSignals(child);

  // The server's log stays quiet unless it fails; then its last lines explain why.
  const tail = [];
  let pending = '';
  let announced = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const url = announced ? null : listeningUrl(line);
      if (url) {
        announced = true;
        console.log(
          `Parley: no Electron binary is installed on this machine, so the desktop window cannot open; open the web client at ${url} in a browser (Ctrl+C stops the server).`,
        );
      } else {
        tail.push(line);
        if (tail.length > 20) tail.shift();
      }
    }
  });
  child.on('exit', (code, signal) => {
    // Whatever ended it (a crash, the OOM killer, a kill from another terminal), unless it was
    // the stop we passed on and it stopped cleanly.
    if (!stopRequested || code) {
      const how = signal ? `was killed by ${signal}` : `stopped with code ${code}`;
      const why = tail.length > 0 ? `; its last log lines:\n${tail.join('\n')}` : '.';
      console.error(`Parley: the server ${how}${why}`);
    }
    exitLike(code, signal);
  });
}

// Local mode needs no TURN: calls between devices that reach each other connect directly.
if (!process.env.PARLEY_TURN_URLS) {
  console.log(
    'Parley: local mode, no TURN server: calls connect directly (docs/deploy.md adds coturn for calls across networks).',
  );
}

const binary = electronBinary(root);
if (binary) launchElectron(binary);
else runWebServer();
