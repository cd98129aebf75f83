import type { Scheduler } from '../calls/timePorts';

/** A connection pings every this often; one that has not answered the previous ping is dropped. */
export const HEARTBEAT_MS = 30_000;
/**
 * The interval is cut into this many slots, each with its share of the connections, and one
 * slot is visited per tick: with 20,000 connections a tick pings about 67 of them, instead of
 * one loop pinging them all and stalling the event loop for a second.
 */
export const HEARTBEAT_SLOTS = 300;

/** What the heartbeat needs of a socket (a `ws` WebSocket has both). */
export interface HeartbeatSocket {
  ping(): void;
  terminate(): void;
}

interface Beat {
  slot: Set<HeartbeatSocket>;
  /** Answered (or new) since its last ping. */
  alive: boolean;
}

/**
 * Pings each connection once per interval, spread evenly over it (a timing wheel), and drops a
 * connection that has not answered its previous ping by the time the next one is due.
 */
export class Heartbeat {
  private readonly slots: Set<HeartbeatSocket>[];
  private readonly beats = new Map<HeartbeatSocket, Beat>();
  private cursor = 0;
  /** Where the next connection goes: round robin keeps the slots even whenever they join. */
  private nextSlot = 0;
  private cancelTick: () => void;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly intervalMs = HEARTBEAT_MS,
    slotCount = HEARTBEAT_SLOTS,
  ) {
    this.slots = Array.from({ length: slotCount }, () => new Set<HeartbeatSocket>());
    this.cancelTick = this.scheduleTick();
  }

  /** A new connection: first pinged when its slot comes round, within one interval. */
  add(socket: HeartbeatSocket): void {
    const slot = this.slots[this.nextSlot]!;
    this.nextSlot = (this.nextSlot + 1) % this.slots.length;
    slot.add(socket);
    this.beats.set(socket, { slot, alive: true });
  }

  /** The socket answered a ping (a pong). */
  answered(socket: HeartbeatSocket): void {
    const beat = this.beats.get(socket);
    if (beat) beat.alive = true;
  }

  /** The connection closed: it is pinged no more. */
  remove(socket: HeartbeatSocket): void {
    const beat = this.beats.get(socket);
    if (!beat) return;
    beat.slot.delete(socket);
    this.beats.delete(socket);
  }

  stop(): void {
    this.cancelTick();
  }

  private scheduleTick(): () => void {
    return this.scheduler.schedule(this.intervalMs / this.slots.length, () => {
      this.visit(this.slots[this.cursor]!);
      this.cursor = (this.cursor + 1) % this.slots.length;
      this.cancelTick = this.scheduleTick();
    });
  }

  private visit(slot: Set<HeartbeatSocket>): void {
    // Deleting the element being visited is safe while iterating a Set.
    for (const socket of slot) {
      const beat = this.beats.get(socket)!;
      if (!beat.alive) {
        this.remove(socket);
        socket.terminate();
        continue;
      }
      beat.alive = false;
      socket.ping();
    }
  }
}
