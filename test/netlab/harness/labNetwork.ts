import { inNamespace, ip, run } from './commands';
import { LabReaper, newRunPrefix, removeNamespace, removeStaleNamespaces } from './labCleanup';
import { LinkImpairer, type Impairment } from './linkImpairer';
import { RouterFirewall } from './routerFirewall';

/**
 * The lab's network: one namespace per party (peers A and B, coturn, the Parley server) and a
 * router namespace between them. Each party sits on its own /24 behind a veth pair whose ends are
 * created directly inside the namespaces; each reaches the others only through the router (a
 * route for the lab's /16, no default route anywhere) and IPv6 is off, so nothing can leave the
 * machine. The router holds the nftables rules the tests change (`firewall`). A peer named in
 * `impairable` is joined by a LinkImpairer instead of a veth pair, so `impair` can delay and drop
 * what it sends.
 */
export type Peer = 'a' | 'b';
export type Host = Peer | 'turn' | 'server';

/** Every lab address; hosts route it through the router and nothing else. */
const LAB_NET = '10.77.0.0/16';
export const LAB_RANGE = { first: '10.77.0.0', last: '10.77.255.255' };
/** The subnet each host starts on; a peer moved by `moveToNewSubnet` goes to the next free one. */
const FIRST_SUBNET: Record<Host, number> = { a: 1, b: 2, turn: 3, server: 4 };
const MOVED_SUBNETS_FROM = 11;

interface Attachment {
  subnet: number;
  /** The interface inside the host's namespace, and its other end in the router. */
  hostLink: string;
  routerLink: string;
}

export class LabNetwork {
  readonly firewall: RouterFirewall;
  private readonly attachments = new Map<Host, Attachment>();
  private readonly impairers = new Map<Peer, LinkImpairer>();
  /** The subnets a host moved to, in order. */
  private readonly movedSubnets = new Map<Host, number[]>();
  private nextSubnet = MOVED_SUBNETS_FROM;
  readonly reaper: LabReaper;
  private tornDown = false;

  private constructor(readonly prefix: string) {
    this.reaper = LabReaper.start(prefix);
    this.firewall = new RouterFirewall(this.namespace('router'), (host) => this.subnetsOf(host));
  }

  static async create(options: { impairable?: Peer[] } = {}): Promise<LabNetwork> {
    removeStaleNamespaces();
    const lab = new LabNetwork(newRunPrefix());
    try {
      await lab.build(new Set(options.impairable));
    } catch (error) {
      lab.tearDown();
      throw error;
    }
    return lab;
  }

  /** Stops everything in the lab's namespaces and deletes them. Safe to call twice. */
  tearDown(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    for (const impairer of this.impairers.values()) impairer.stop();
    for (const namespace of this.allNamespaces()) removeNamespace(namespace);
    this.reaper.release();
  }

  namespace(role: Host | 'router'): string {
    return `${this.prefix}-${role}`;
  }

  /** The host's current address. */
  address(host: Host): string {
    return `10.77.${this.attachment(host).subnet}.2`;
  }

  private allNamespaces(): string[] {
    return (['router', 'a', 'b', 'turn', 'server'] as const).map((role) => this.namespace(role));
  }

  private async build(impairable: Set<Host>): Promise<void> {
    for (const namespace of this.allNamespaces()) {
      run('ip', ['netns', 'add', namespace]);
      inNamespace(namespace, 'sysctl', [
        '-q',
        '-w',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ]);
      ip(['link', 'set', 'lo', 'up'], namespace);
    }
    inNamespace(this.namespace('router'), 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
    this.firewall.install();
    for (const host of ['a', 'b', 'turn', 'server'] as const) {
      if (impairable.has(host)) await this.attachThroughImpairer(host as Peer);
      else this.attach(host, FIRST_SUBNET[host], 'eth0');
    }
  }

  /** A veth pair from the router to the host, its subnet's .1 on the router and .2 on the host. */
  private attach(host: Host, subnet: number, hostLink: string): void {
    const routerLink = `r-${host}-${subnet}`;
    ip([
      'link',
      'add',
      routerLink,
      'netns',
      this.namespace('router'),
      'type',
      'veth',
      'peer',
      'name',
      hostLink,
      'netns',
      this.namespace(host),
    ]);
    this.configure(host, subnet, hostLink, routerLink);
  }

  /** Two TUN devices joined by a LinkImpairer, on the host's first subnet. */
  private async attachThroughImpairer(peer: Peer): Promise<void> {
    const subnet = FIRST_SUBNET[peer];
    const hostLink = 'eth0';
    const routerLink = `r-${peer}-${subnet}`;
    ip(['tuntap', 'add', 'dev', hostLink, 'mode', 'tun'], this.namespace(peer));
    ip(['tuntap', 'add', 'dev', routerLink, 'mode', 'tun'], this.namespace('router'));
    const impairer = await LinkImpairer.start(
      { namespace: this.namespace(peer), device: hostLink },
      { namespace: this.namespace('router'), device: routerLink },
    );
    this.impairers.set(peer, impairer);
    this.configure(peer, subnet, hostLink, routerLink);
  }

  private configure(host: Host, subnet: number, hostLink: string, routerLink: string): void {
    const router = this.namespace('router');
    const namespace = this.namespace(host);
    ip(['addr', 'add', `10.77.${subnet}.1/24`, 'dev', routerLink], router);
    ip(['link', 'set', routerLink, 'up'], router);
    ip(['addr', 'add', `10.77.${subnet}.2/24`, 'dev', hostLink], namespace);
    ip(['link', 'set', hostLink, 'up'], namespace);
    ip(['route', 'add', LAB_NET, 'via', `10.77.${subnet}.1`], namespace);
    this.attachments.set(host, { subnet, hostLink, routerLink });
  }

  private attachment(host: Host): Attachment {
    const attachment = this.attachments.get(host);
    if (!attachment) throw new Error(`${host} is not attached`);
    return attachment;
  }

  /** Every subnet the host has had, so that rules about it still hold after it moves. */
  private subnetsOf(host: Host): string[] {
    return [FIRST_SUBNET[host], ...(this.movedSubnets.get(host) ?? [])].map(
      (subnet) => `10.77.${subnet}.0/24`,
    );
  }

  /**
   * A network change: the peer leaves its link and comes up on a new one, with a new address on
   * another subnet (like moving from Wi-Fi to cable). Returns the new address.
   */
  moveToNewSubnet(peer: Peer): string {
    const old = this.attachment(peer);
    const subnet = this.nextSubnet++;
    this.movedSubnets.set(peer, [...(this.movedSubnets.get(peer) ?? []), subnet]);
    ip(['link', 'del', old.hostLink], this.namespace(peer));
    this.attach(peer, subnet, `eth${subnet}`);
    this.firewall.refresh();
    return this.address(peer);
  }

  /** The host's uplink is gone for this long (its router end down), then back as it was. */
  async dropLinkFor(host: Host, ms: number): Promise<void> {
    this.setLinkUp(host, false);
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      this.setLinkUp(host, true);
    }
  }

  /** Takes the router's end of the host's link down (the host's uplink is gone) or up again. */
  setLinkUp(host: Host, up: boolean): void {
    ip(
      ['link', 'set', this.attachment(host).routerLink, up ? 'up' : 'down'],
      this.namespace('router'),
    );
  }

  /** Delay and loss on what the peer sends (the peer must have been made `impairable`). */
  impair(peer: Peer, impairment: Impairment): void {
    this.impairer(peer).set(impairment);
  }

  clearImpairment(peer: Peer): void {
    this.impairer(peer).clear();
  }

  private impairer(peer: Peer): LinkImpairer {
    const impairer = this.impairers.get(peer);
    if (!impairer) throw new Error(`peer ${peer} was not created impairable`);
    return impairer;
  }
}
