import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../e2e/harness/rendererBuild';

export interface Impairment {
  lossPercent: number;
  delayMs: number;
}

/**
 * netem's delay and loss on what one peer sends, for kernels without sch_netem (this machine's
 * has none): the peer's link is a pair of TUN devices joined by linkImpairer.py, which delays and
 * drops packets by the impairment set here. The program exits when its stdin closes, so it dies
 * with the test process.
 */
export class LinkImpairer {
  private constructor(private readonly child: ChildProcess) {}

  static async start(
    peer: { namespace: string; device: string },
    router: { namespace: string; device: string },
  ): Promise<LinkImpairer> {
    // Real-time priority: a link is not slowed by its hosts' CPU. At normal priority, on a loaded
    // machine (load ~20 on 2 cores), this process forwarded late and made a link that was cleared
    // look slow and lossy still (ICE round trips of 0.4-1 s seen from both ends).
    const child = spawn(
      'chrt',
      [
        '--fifo',
        '10',
        'python3',
        join(REPO_ROOT, 'test', 'netlab', 'harness', 'linkImpairer.py'),
        `/run/netns/${peer.namespace}`,
        peer.device,
        `/run/netns/${router.namespace}`,
        router.device,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('ready')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`linkImpairer.py exited (${code}): ${output}`)),
      );
    });
    return new LinkImpairer(child);
  }

  set({ lossPercent, delayMs }: Impairment): void {
    this.child.stdin!.write(`${delayMs} ${lossPercent}\n`);
  }

  clear(): void {
    this.set({ lossPercent: 0, delayMs: 0 });
  }

  stop(): void {
    this.child.stdin!.end();
  }
}
