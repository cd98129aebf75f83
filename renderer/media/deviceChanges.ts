/**
 * What to do when the set of media devices changes (hot-plug) or a device in use stops: pure
 * decisions, so the rules are tested without a browser. A vanished device in use falls back to
 * the system default with a notice; a newly plugged input is offered, never switched to silently.
 */
export type DeviceRole = 'microphone' | 'camera' | 'speaker';

export interface MediaDevice {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
}

export interface DeviceNotice {
  kind: 'added' | 'fallback';
  role: DeviceRole;
  /** The new device (added); the vanished one (fallback). */
  deviceId: string;
  text: string;
}

/** The device of each role in use now; undefined means the system default. */
export type DevicesInUse = Partial<Record<DeviceRole, string>>;

export interface DeviceChangeDecision {
  /** Roles whose device vanished: switch them to the default. */
  fallBack: DeviceRole[];
  notices: DeviceNotice[];
}

export const roleKinds: Record<DeviceRole, MediaDeviceKind> = {
  microphone: 'audioinput',
  camera: 'videoinput',
  speaker: 'audiooutput',
};

const roleNames: Record<DeviceRole, string> = {
  microphone: 'microphone',
  camera: 'camera',
  speaker: 'speaker',
};

/** Chromium's aliases for "whatever the system uses": not devices a user plugs in. */
const aliasIds = new Set(['default', 'communications', '']);

export function decideDeviceChange(
  before: readonly MediaDevice[],
  after: readonly MediaDevice[],
  inUse: DevicesInUse,
): DeviceChangeDecision {
  const decision: DeviceChangeDecision = { fallBack: [], notices: [] };
  const present = (list: readonly MediaDevice[], role: DeviceRole, id: string) =>
    list.some((device) => device.kind === roleKinds[role] && device.deviceId === id);
  for (const role of Object.keys(roleKinds) as DeviceRole[]) {
    const used = inUse[role];
    if (used && !aliasIds.has(used) && present(before, role, used) && !present(after, role, used)) {
      decision.fallBack.push(role);
      decision.notices.push(fallbackNotice(role, used));
    }
    const added = after.find(
      (device) =>
        device.kind === roleKinds[role] &&
        !aliasIds.has(device.deviceId) &&
        !present(before, role, device.deviceId),
    );
    if (added && role !== 'speaker') {
      decision.notices.push({
        kind: 'added',
        role,
        deviceId: added.deviceId,
        text: `New ${roleNames[role]}: ${added.label || 'unnamed device'} — use it?`,
      });
    }
  }
  return decision;
}

/** The notice for a device in use that disconnected (or whose track ended by itself). */
export function fallbackNotice(role: DeviceRole, deviceId: string): DeviceNotice {
  const name = roleNames[role];
  return {
    kind: 'fallback',
    role,
    deviceId,
    text: `Your ${name} was disconnected; using the default ${name}`,
  };
}
