import { signal } from '@preact/signals';
import {
  ClientMessage,
  roomClientMessages,
  roomServerMessages,
  type ClientMessageOf,
} from '../../protocol';
import { RoomClient } from '../../renderer/state/RoomClient';
import { RoomRequests } from '../../renderer/state/RoomRequests';
import { roomHandlers } from '../../server/handlers/roomHandlers';
import { roomClientSamples } from './roomSamples';

type Schema = { shape: { type: { value: string } } & Record<string, unknown> };
const typeOf = (schema: Schema) => schema.shape.type.value;
const sorted = (types: Iterable<string>) => [...types].sort();

/** The group-call messages the server sends that answer no request: the client's notices. */
const notices = (roomServerMessages as unknown as readonly Schema[]).filter(
  (s) => !('re' in s.shape),
);
const clientTypes = (roomClientMessages as unknown as readonly Schema[]).map(typeOf);

/**
 * The server's Room and the renderer's RoomClient mirror each other message for message
 * (docs/protocol.md "Group calls"): each side has exactly one handler per group-call message the
 * other side sends, and the client can send every group-call message the server handles.
 */
describe('the group-call mirror', () => {
  test("the server's room handlers are exactly the group-call messages a client sends", () => {
    expect(sorted(Object.keys(roomHandlers))).toEqual(sorted(clientTypes));
  });

  test("the client's room handlers are exactly the group-call notices the server sends", () => {
    const client = new RoomClient({
      signaling: {
        request: () => Promise.reject(new Error('unused')),
        notify: () => true,
      } as never,
      rooms: signal(false),
      keysHost: {} as never,
      openPath: () => {
        throw new Error('unused');
      },
      localTracks: () => Promise.reject(new Error('unused')),
      openCamera: () => Promise.reject(new Error('unused')),
      linkUrls: () => ({ url: '', deepLink: '' }),
      oneToOneCall: () => null,
      self: () => null,
      inputEnded: () => {},
      streamOf: () => ({}) as unknown as MediaStream,
      selfView: () => ({}) as unknown as MediaStream,
      now: () => 0,
    });
    expect(sorted(Object.keys(client.handlers))).toEqual(sorted(notices.map(typeOf)));
    expect(notices.length).toBeGreaterThan(0);
  });

  test('the client sends every group-call message, each valid by its schema', async () => {
    const sent: string[] = [];
    const record = (type: string, body: Record<string, unknown>, id?: string) => {
      const message = ClientMessage.parse({ v: 1, type, ...(id ? { id } : {}), ...body });
      sent.push(message.type);
    };
    const requests = new RoomRequests({
      request: ((type: string, body: Record<string, unknown>) => {
        record(type, body, 'r1');
        return Promise.resolve({
          rtpCapabilities: {},
          send: {},
          recv: {},
          producerId: 'p',
          iceParameters: {},
        });
      }) as never,
      notify: ((type: string, body: Record<string, unknown>) => {
        record(type, body);
        return true;
      }) as never,
    });
    const create = roomClientSamples['room.create'] as ClientMessageOf<'room.create'>;
    const { callId, share } = create;
    const sfuId = (roomClientSamples['room.pause'] as ClientMessageOf<'room.pause'>).consumerId;
    const { token } = roomClientSamples['room.link_open'] as ClientMessageOf<'room.link_open'>;
    const rtp = (roomClientSamples['room.produce'] as ClientMessageOf<'room.produce'>)
      .rtpParameters;
    const { keys } = roomClientSamples['room.keys'] as ClientMessageOf<'room.keys'>;
    const sfu = requests.sfuSignaling(callId);
    await requests.create(callId, 'video', share);
    await requests.invite(callId, 'carol');
    await requests.join(callId, share);
    await requests.rejoin(callId);
    requests.decline(callId);
    requests.leave(callId);
    requests.media(callId, { audio: true, video: true, screen: false });
    requests.carried(callId);
    requests.share(callId, share);
    requests.keys(callId, keys);
    requests.keyAck(callId, 0, 1, 3);
    await sfu.router();
    await sfu.transports(rtp);
    await sfu.connect(sfuId, rtp);
    await sfu.produce('video', 'camera', rtp);
    await sfu.closeProducer(sfuId);
    await sfu.pause(sfuId);
    await sfu.resume(sfuId);
    await sfu.layers(sfuId, 2, 1);
    await sfu.keyFrame(sfuId);
    await requests.restartIce(callId, sfuId);
    await requests.linkCreate(callId, true);
    await requests.linkRevoke(callId);
    await requests.linkOpen(token);
    await requests.linkJoin(token);
    await requests.admit(callId, 'dave', true);
    // `features` is the signaling client's: it asks on every connection (SignalingClient).
    expect(sorted(new Set([...sent, 'features']))).toEqual(sorted(clientTypes));
  });
});
