/**
 * The small port the SignalingClient uses instead of WebSocket directly, so tests can drive it
 * with a fake socket and the browser adapter stays a few lines.
 */
export interface SignalingSocket {
  send(text: string): void;
  close(): void;
}

export interface SocketEvents {
  onOpen(): void;
  onMessage(text: string): void;
  /** The WebSocket close code (1006 when the connection failed or dropped without one). */
  onClose(code: number): void;
}

export type SocketOpener = (url: string, events: SocketEvents) => SignalingSocket;

export const openBrowserSocket: SocketOpener = (url, events) => {
  const ws = new WebSocket(url);
  ws.onopen = () => events.onOpen();
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') events.onMessage(event.data);
  };
  // A failed connection fires error then close; close alone is the one signal we act on.
  ws.onclose = (event) => events.onClose(event.code);
  return {
    send: (text) => ws.send(text),
    close: () => {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close();
    },
  };
};
