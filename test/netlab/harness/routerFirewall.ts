import { inNamespace } from './commands';
import type { Host } from './labNetwork';
import { TURN_PORT } from './labTurn';

/**
 * The router's nftables rules: one forward chain the tests switch blocks on and off in at run
 * time. Rules name subnets (every subnet a host has had), so they still hold after a peer moves.
 */
export type Block =
  /** Nothing passes between the two peers: relay or nothing, for any stack. */
  | 'peers-all'
  /** No UDP between the peers (Chromium then has no direct path: it offers only active TCP). */
  | 'peers-udp'
  /** No UDP to or from coturn: TURN has to go over TCP or TLS. */
  | 'turn-udp'
  /** No plain TCP to coturn's TURN port: with 'turn-udp', only TURN over TLS is left. */
  | 'turn-tcp'
  /** Nothing to or from the Parley server: the WebSocket is cut without either end noticing. */
  | 'server-all';

const TABLE = 'parley_lab';

export class RouterFirewall {
  private readonly blocks = new Set<Block>();

  constructor(
    private readonly namespace: string,
    private readonly subnetsOf: (host: Host) => string[],
  ) {}

  install(): void {
    this.apply();
  }

  block(block: Block): void {
    this.blocks.add(block);
    this.apply();
  }

  unblock(block: Block): void {
    this.blocks.delete(block);
    this.apply();
  }

  /** Lifts every block. */
  restore(): void {
    this.blocks.clear();
    this.apply();
  }

  /** Re-renders the rules after a host's subnets changed. */
  refresh(): void {
    this.apply();
  }

  private apply(): void {
    const set = (host: Host) => `{ ${this.subnetsOf(host).join(', ')} }`;
    const between = (x: Host, y: Host, match: string) => [
      `ip saddr ${set(x)} ip daddr ${set(y)} ${match} drop`,
      `ip saddr ${set(y)} ip daddr ${set(x)} ${match} drop`,
    ];
    const rules = [...this.blocks].flatMap((block) => {
      switch (block) {
        case 'peers-all':
          return between('a', 'b', '');
        case 'peers-udp':
          return between('a', 'b', 'meta l4proto udp');
        case 'turn-udp':
          return [
            `ip daddr ${set('turn')} meta l4proto udp drop`,
            `ip saddr ${set('turn')} meta l4proto udp drop`,
          ];
        case 'turn-tcp':
          return [`ip daddr ${set('turn')} tcp dport ${TURN_PORT} drop`];
        case 'server-all':
          return [`ip daddr ${set('server')} drop`, `ip saddr ${set('server')} drop`];
      }
    });
    // One transaction: the table is replaced whole, so no packet sees half a rule set.
    const script = [
      `table ip ${TABLE}`,
      `delete table ip ${TABLE}`,
      `table ip ${TABLE} {`,
      '  chain forward {',
      '    type filter hook forward priority 0; policy accept;',
      ...rules.map((rule) => `    ${rule}`),
      '  }',
      '}',
    ].join('\n');
    inNamespace(this.namespace, 'nft', ['-f', '-'], script);
  }
}
