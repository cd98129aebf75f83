/** An RTP packet as a tap on the SFU receives it (RFC 3550), with its payload. */
export interface RtpPacket {
  kind: 'audio' | 'video';
  ssrc: number;
  sequence: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

export function parseRtp(packet: Buffer, kind: 'audio' | 'video'): RtpPacket {
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (packet[0]! & 0x10) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  const padding = packet[0]! & 0x20 ? packet[packet.length - 1]! : 0;
  return {
    kind,
    ssrc: packet.readUInt32BE(8),
    sequence: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    marker: (packet[1]! & 0x80) !== 0,
    payload: packet.subarray(offset, packet.length - padding),
  };
}

/** The VP8 payload descriptor (RFC 7741 4.2): its length, and whether it starts a frame. */
function vp8Descriptor(payload: Buffer): { length: number; startOfFrame: boolean } {
  const first = payload[0]!;
  let length = 1;
  if (first & 0x80) {
    const extension = payload[1]!;
    length += 1;
    if (extension & 0x80) length += payload[length]! & 0x80 ? 2 : 1;
    if (extension & 0x40) length += 1;
    if (extension & 0x30) length += 1;
  }
  return { length, startOfFrame: (first & 0x10) !== 0 && (first & 0x07) === 0 };
}

/**
 * The whole encoded frames among the video packets: those whose packets all arrived, from the
 * one that starts the frame to the one with the marker bit, with the descriptors taken off.
 */
export function vp8FramesOf(packets: RtpPacket[]): Buffer[] {
  const byFrame = new Map<string, RtpPacket[]>();
  for (const packet of packets) {
    if (packet.kind !== 'video') continue;
    const key = `${packet.ssrc}/${packet.timestamp}`;
    byFrame.set(key, [...(byFrame.get(key) ?? []), packet]);
  }
  const frames: Buffer[] = [];
  for (const framePackets of byFrame.values()) {
    framePackets.sort((a, b) => ((a.sequence - b.sequence + 0x8000) & 0xffff) - 0x8000);
    const first = framePackets[0]!;
    const last = framePackets[framePackets.length - 1]!;
    const contiguous = framePackets.every(
      (packet, i) => i === 0 || packet.sequence === ((framePackets[i - 1]!.sequence + 1) & 0xffff),
    );
    if (!contiguous || !last.marker || !vp8Descriptor(first.payload).startOfFrame) continue;
    frames.push(
      Buffer.concat(
        framePackets.map((packet) => packet.payload.subarray(vp8Descriptor(packet.payload).length)),
      ),
    );
  }
  return frames;
}
