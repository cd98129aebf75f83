import type { CallMedia, ServerMessageOf } from '../../../protocol';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { createKeyShare } from '../../../renderer/keys/callKeyShare';
import { TestDevice, chainOf, randomFingerprint, sdpWithFingerprint } from '../keys/testIdentity';

/** An SDP named by its first line, with the DTLS fingerprint a key share must sign. */
export const sdp = (name: string, fingerprint: string) =>
  `${name}\r\n${sdpWithFingerprint(fingerprint)}`;

/** Bob's device, on the other end: it signs his invites and accepts like a real client. */
export class Bob {
  private constructor(readonly device: TestDevice) {}
  static async create() {
    return new Bob(await TestDevice.create('bob', 'device_b001'));
  }
  async invite(callId: string): Promise<ServerMessageOf<'call.invite'>> {
    const fingerprint = randomFingerprint();
    return {
      v: 1,
      type: 'call.invite',
      callId,
      from: {
        username: 'bob',
        displayName: 'Bob',
        deviceId: 'device_b001',
        identity: await chainOf([this.device]),
      },
      media: 'video',
      sdp: sdp('v=0 bob offer', fingerprint),
      keyShare: await this.share('caller', callId, fingerprint),
    };
  }
  /** Bob's side of a rejoin: his new offer (he reloaded) or his answer (Alice did). */
  async rejoinMessage<T extends 'call.rejoin' | 'call.rejoined'>(
    type: T,
    callId: string,
    role: 'caller' | 'callee',
    fingerprint = randomFingerprint(),
  ): Promise<ServerMessageOf<T>> {
    return {
      v: 1,
      type,
      callId,
      sdp: sdp(`v=0 bob ${type}`, fingerprint),
      deviceId: 'device_b001',
      identity: await chainOf([this.device]),
      keyShare: await this.share(role, callId, fingerprint),
    } as ServerMessageOf<T>;
  }
  accept(callId: string): Promise<ServerMessageOf<'call.accept'>> {
    return this.acceptSignedBy(callId, 'v=0 answer', this.device);
  }
  /** Bob's ringing device answers early (call.preconnect); `signer` signs it (Bob's by default). */
  async preconnect(
    callId: string,
    name = 'v=0 early answer',
    signer: TestDevice = this.device,
  ): Promise<ServerMessageOf<'call.preconnect'>> {
    const accept = await this.acceptSignedBy(callId, name, signer);
    const { media: _media, ...early } = accept;
    return { ...early, type: 'call.preconnect' };
  }
  /** The accept that repeats an early answer, byte for byte. */
  acceptRepeating(
    early: ServerMessageOf<'call.preconnect'>,
    media: CallMedia = 'video',
  ): ServerMessageOf<'call.accept'> {
    return { ...early, type: 'call.accept', media };
  }
  private async acceptSignedBy(
    callId: string,
    name: string,
    signer: TestDevice,
  ): Promise<ServerMessageOf<'call.accept'>> {
    const fingerprint = randomFingerprint();
    return {
      v: 1,
      type: 'call.accept',
      callId,
      media: 'video',
      sdp: sdp(name, fingerprint),
      deviceId: 'device_b001',
      identity: await chainOf([this.device]),
      keyShare: await this.share('callee', callId, fingerprint, signer),
    };
  }
  /** Bob's key share for `callId` in `role`, over the SDP's `fingerprint`; `signer` signs it. */
  private async share(
    role: 'caller' | 'callee',
    callId: string,
    fingerprint: string,
    signer: TestDevice = this.device,
  ) {
    const context = { role, callId, username: 'bob', deviceId: 'device_b001' };
    const ephemeral = (await CallKeyAgreement.create()).publicKey;
    return createKeyShare(signer, context, ephemeral, fingerprint);
  }
}
