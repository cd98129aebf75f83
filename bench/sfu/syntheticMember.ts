import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A group-call member made of UDP sockets: it sends what a Chromium member sends through the SFU
 * (720p camera in three simulcast layers and Opus audio, as RTP whose payload is the size of an
 * SFrame-encrypted frame behind its clear VP8 prefix) and counts what the SFU forwards to it.
 * The SFU reads nothing past the clear prefix, so random bytes stand in for the ciphertext.
 */

/** The three simulcast layers of a 720p camera, as Chrome sends them (bits per second). */
export const CAMERA_LAYERS = [
  { width: 320, height: 180, bitrate: 150_000 },
  { width: 640, height: 360, bitrate: 500_000 },
  { width: 1280, height: 720, bitrate: 1_500_000 },
] as const;
export const FRAMES_PER_SECOND = 30;
const AUDIO_BYTES = 90;
export const AUDIO_PACKETS_PER_SECOND = 50;
const MAX_PAYLOAD = 1150;
const KEY_FRAME_EVERY_MS = 2000;
const SENDER_REPORT_EVERY_MS = 1000;
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET = 2_208_988_800;
export const VIDEO_PAYLOAD_TYPE = 96;
export const AUDIO_PAYLOAD_TYPE = 100;

interface RtpStream {
  ssrc: number;
  payloadType: number;
  clockRate: number;
  sequence: number;
  timestamp: number;
}

function newStream(ssrc: number, payloadType: number, clockRate: number): RtpStream {
  return { ssrc, payloadType, clockRate, sequence: randomBytes(2).readUInt16BE(), timestamp: 0 };
}

function rtpHeader(stream: RtpStream, marker: boolean): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (marker ? 0x80 : 0) | stream.payloadType;
  header.writeUInt16BE(stream.sequence, 2);
  header.writeUInt32BE(stream.timestamp >>> 0, 4);
  header.writeUInt32BE(stream.ssrc >>> 0, 8);
  stream.sequence = (stream.sequence + 1) & 0xffff;
  return header;
}

/** RFC 7741 payload descriptor as Chrome writes it (extended: 15-bit picture id, TL0PICIDX, TID). */
function vp8Descriptor(first: boolean, pictureId: number): Buffer {
  return Buffer.from([
    0x80 | (first ? 0x10 : 0),
    0x80 | 0x40 | 0x20,
    0x80 | ((pictureId >> 8) & 0x7f),
    pictureId & 0xff,
    pictureId & 0xff,
    0x20,
  ]);
}

/**
 * The payload descriptor, then for the frame's first packet the clear VP8 prefix SFrame leaves:
 * 10 bytes of a key frame (with its start code and size) or 3 of a delta frame.
 */
function vp8Prefix(
  first: boolean,
  key: boolean,
  pictureId: number,
  layer: (typeof CAMERA_LAYERS)[number],
): Buffer {
  const descriptor = vp8Descriptor(first, pictureId);
  if (!first) return descriptor;
  if (!key) return Buffer.concat([descriptor, Buffer.from([0x11, 0x00, 0x00])]);
  const header = Buffer.alloc(10);
  header[0] = 0x10; // key frame (P = 0), shown
  header.writeUIntLE(0, 1, 2);
  header[3] = 0x9d;
  header[4] = 0x01;
  header[5] = 0x2a;
  header.writeUInt16LE(layer.width, 6);
  header.writeUInt16LE(layer.height, 8);
  return Buffer.concat([descriptor, header]);
}

/** What one receiving member counted, per forwarded stream (its SSRC). */
export interface ReceivedStream {
  packets: number;
  /** Video frames completed (packets with the marker bit). */
  frames: number;
  bytes: number;
}

/**
 * An RTCP sender report (RFC 3550 6.4.1): mediasoup switches a consumer between simulcast layers
 * only once each layer's report has tied its RTP clock to wall-clock time.
 */
function senderReport(stream: RtpStream): Buffer {
  const report = Buffer.alloc(28);
  report[0] = 0x80;
  report[1] = 200;
  report.writeUInt16BE(6, 2);
  report.writeUInt32BE(stream.ssrc >>> 0, 4);
  const ntpSeconds = Date.now() / 1000 + NTP_UNIX_OFFSET;
  report.writeUInt32BE(Math.floor(ntpSeconds) >>> 0, 8);
  report.writeUInt32BE(Math.floor((ntpSeconds % 1) * 2 ** 32) >>> 0, 12);
  report.writeUInt32BE(stream.timestamp >>> 0, 16);
  return report;
}

/** True when a compound RTCP packet holds a PLI or FIR (payload-specific feedback, PT 206). */
function asksForKeyFrame(packet: Buffer): boolean {
  for (let offset = 0; offset + 4 <= packet.length; ) {
    if (packet[offset + 1] === 206) return true;
    offset += (packet.readUInt16BE(offset + 2) + 1) * 4;
  }
  return false;
}

/**
 * Real camera frames to send instead of random bytes: for each frame, one encrypted VP8 frame per
 * simulcast layer (clear prefix || SFrame), so that a real receiver can decrypt and decode them.
 */
export interface CameraFrames {
  /** The next frame, or null when none is ready (the member then skips this frame). */
  next(): { key: boolean; layers: Uint8Array[] } | null;
}

export class SyntheticMember {
  readonly videoStreams: RtpStream[];
  private nextSenderReportAt = 0;
  readonly audioStream: RtpStream;
  /** What arrived from the SFU, by SSRC. */
  readonly received = new Map<number, ReceivedStream>();
  private sender: Socket | null = null;
  private receiver: Socket | null = null;
  private target: { ip: string; port: number } | null = null;
  private pictureId = 0;
  private nextKeyFrameAt = 0;
  private keyFrameAsked = false;

  constructor(
    index: number,
    private readonly camera: CameraFrames | null = null,
  ) {
    const base = 0x10000 * (index + 1);
    this.videoStreams = CAMERA_LAYERS.map((_, i) =>
      newStream(base + i, VIDEO_PAYLOAD_TYPE, 90_000),
    );
    this.audioStream = newStream(base + 100, AUDIO_PAYLOAD_TYPE, 48_000);
  }

  /** Binds the receiving socket; its port is where the SFU's plain transport sends. */
  async listen(): Promise<number> {
    const receiver = createSocket('udp4');
    receiver.on('message', (packet) => this.count(packet));
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    // Room for bursts while this process is busy sending (the kernel caps it at net.core.rmem_max).
    receiver.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    this.receiver = receiver;
    return (receiver.address() as AddressInfo).port;
  }

  /** Starts sending to the SFU's producing plain transport (comedia: it learns our address). */
  async sendTo(ip: string, port: number): Promise<void> {
    const sender = createSocket('udp4');
    // RTCP from the SFU on this socket: a PLI or FIR means a consumer needs a key frame.
    sender.on('message', (packet) => {
      if (asksForKeyFrame(packet)) this.keyFrameAsked = true;
    });
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
    this.sender = sender;
    this.target = { ip, port };
  }

  /**
   * One video frame on every layer (called FRAMES_PER_SECOND times a second); false when the
   * camera had none ready and nothing was sent.
   */
  sendVideoFrame(now: number): boolean {
    if (this.camera) return this.sendCameraFrame(now, this.camera);
    const key = this.keyFrameAsked || now >= this.nextKeyFrameAt;
    if (key) {
      this.keyFrameAsked = false;
      this.nextKeyFrameAt = now + KEY_FRAME_EVERY_MS;
    }
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    if (now >= this.nextSenderReportAt) {
      this.nextSenderReportAt = now + SENDER_REPORT_EVERY_MS;
      for (const stream of this.videoStreams) this.send(senderReport(stream));
    }
    CAMERA_LAYERS.forEach((layer, i) => {
      const stream = this.videoStreams[i]!;
      stream.timestamp += 90_000 / FRAMES_PER_SECOND;
      // A key frame is about five times a delta frame's size.
      const average = layer.bitrate / 8 / FRAMES_PER_SECOND;
      let remaining = Math.round(key ? average * 5 : average * 0.9);
      for (let first = true; remaining > 0; first = false) {
        const size = Math.min(remaining, MAX_PAYLOAD);
        remaining -= size;
        const prefix = vp8Prefix(first, key, this.pictureId, layer);
        this.send(Buffer.concat([rtpHeader(stream, remaining === 0), prefix, randomBytes(size)]));
      }
    });
    return true;
  }

  /**
   * The next real frame on every layer. Its key frames come where the recording has them (every
   * 2 s): an SFU's request for one waits for the next, as frames already encrypted cannot change.
   */
  private sendCameraFrame(now: number, camera: CameraFrames): boolean {
    const frame = camera.next();
    if (!frame) return false;
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    if (now >= this.nextSenderReportAt) {
      this.nextSenderReportAt = now + SENDER_REPORT_EVERY_MS;
      for (const stream of this.videoStreams) this.send(senderReport(stream));
    }
    frame.layers.forEach((bytes, i) => {
      const stream = this.videoStreams[i]!;
      stream.timestamp += 90_000 / FRAMES_PER_SECOND;
      for (let offset = 0; offset < bytes.length; offset += MAX_PAYLOAD) {
        const end = Math.min(offset + MAX_PAYLOAD, bytes.length);
        const descriptor = vp8Descriptor(offset === 0, this.pictureId);
        const header = rtpHeader(stream, end === bytes.length);
        this.send(Buffer.concat([header, descriptor, bytes.subarray(offset, end)]));
      }
    });
    return true;
  }

  /** One 20 ms Opus packet (called AUDIO_PACKETS_PER_SECOND times a second). */
  sendAudioPacket(): void {
    this.audioStream.timestamp += 48_000 / AUDIO_PACKETS_PER_SECOND;
    this.send(Buffer.concat([rtpHeader(this.audioStream, false), randomBytes(AUDIO_BYTES)]));
  }

  resetCounts(): void {
    this.received.clear();
  }

  close(): void {
    this.sender?.close();
    this.receiver?.close();
  }

  private send(packet: Buffer): void {
    if (this.sender && this.target) this.sender.send(packet, this.target.port, this.target.ip);
  }

  private count(packet: Buffer): void {
    // RTP only: RTCP shares the port (rtcp-mux) and has its second byte in 192-223 (RFC 5761).
    if (packet.length < 12 || (packet[1]! >= 192 && packet[1]! <= 223)) return;
    const ssrc = packet.readUInt32BE(8);
    let stream = this.received.get(ssrc);
    if (!stream) {
      stream = { packets: 0, frames: 0, bytes: 0 };
      this.received.set(ssrc, stream);
    }
    stream.packets++;
    stream.bytes += packet.length;
    if (packet[1]! & 0x80) stream.frames++;
  }
}
