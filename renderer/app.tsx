// First: zod must be told before any schema is built (see the module).
import './zodWithoutEval';
import { render } from 'preact';
import type { ParleyBridge } from '../protocol';
import { DesktopHost } from './host/DesktopHost';
import type { Host } from './host/Host';
import { WebHost } from './host/WebHost';
import { AppModel } from './state/AppModel';
import { startFailureText } from './state/startFailureText';
import { App } from './ui/App';
import { StatusScreen } from './ui/StatusScreen';

declare global {
  interface Window {
    /** Present only in the desktop app, exposed by the preload. */
    parley?: ParleyBridge;
  }
}

async function createHost(): Promise<Host> {
  return window.parley ? DesktopHost.create(window.parley) : WebHost.create();
}

async function main(root: HTMLElement): Promise<void> {
  try {
    const host = await createHost();
    const app = new AppModel(host, await host.serverUrl());
    render(<App app={app} />, root);
    await app.start();
  } catch (error) {
    console.error('parley: start-up failed', error);
    const detail = startFailureText(error, window.parley ? 'desktop' : 'web');
    render(<StatusScreen title="Parley could not start" detail={detail} />, root);
  }
}

const root = document.getElementById('app');
if (root) void main(root);
