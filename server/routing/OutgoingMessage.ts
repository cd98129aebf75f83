import type { ServerMessage } from '../../protocol';

/**
 * A server message serialised at most once, however many devices it goes to. A notice's `seq`
 * differs per device: it is spliced onto the serialised body, giving exactly the text
 * `JSON.stringify({ ...message, seq })` would (`seq` is then the last field).
 */
export class OutgoingMessage {
  private json: string | undefined;

  constructor(readonly message: ServerMessage) {}

  /** The message as JSON text. */
  get text(): string {
    this.json ??= JSON.stringify(this.message);
    return this.json;
  }

  /** The message numbered `seq` in a device's notice stream, as JSON text. */
  numbered(seq: number): string {
    // A relayed client notice carries the sender's own `seq` in place: replaced where it stands.
    if ('seq' in this.message) return JSON.stringify({ ...this.message, seq });
    return `${this.text.slice(0, -1)},"seq":${seq}}`;
  }
}
