/** The ports an SFU's transports may take, as `ServerOptions['sfu']` and `SfuLab.start` take them. */
export interface SfuPortRange {
  rtcMinPort: number;
  rtcMaxPort: number;
}

/**
 * Every e2e file that starts an SFU, each given its own range below in this order, so files
 * running side by side never race for a port; a new file adds its name at the end. The server's
 * and the conformance tests keep below 47800.
 */
const FILES_WITH_AN_SFU = [
  'sfuPath',
  'sfuKeys',
  'groupCall',
  'groupCallLinkApproval',
  'groupCallLog',
  'groupInvitations',
  'groupScreenShare',
  'growCall',
  'webGroupInvite',
  'groupCallDevices',
  'groupCallRejoin',
  'groupSignalingLoss',
  'groupCallBack',
  'groupCallShortcuts',
  'groupMemberStall',
  'growCallRejoin',
  'groupCallCamera',
  'growCallCamera',
] as const;

const FIRST_PORT = 47_800;
// A member takes a send and a receive transport, each a UDP and a TCP port: ample for 4 members.
const PORTS_PER_FILE = 50;

/** The SFU port range of one e2e file (named as its file, without `.test.ts`). */
export function sfuPortsOf(file: (typeof FILES_WITH_AN_SFU)[number]): SfuPortRange {
  const rtcMinPort = FIRST_PORT + FILES_WITH_AN_SFU.indexOf(file) * PORTS_PER_FILE;
  return { rtcMinPort, rtcMaxPort: rtcMinPort + PORTS_PER_FILE - 1 };
}
