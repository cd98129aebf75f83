import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { isolateName } from '../../protocol';
import type { TileSource } from '../state/callLayout';
import type { GroupCallActions, ParticipantTile } from '../state/groupCallView';
import { tileStateText } from '../state/groupCallText';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { MediaVideo } from './MediaVideo';
import { Name } from './Name';
import { SafetyNumberChangedText } from './SafetyNumberChangedText';
import { testIds } from './testIds';

/** Where on the stage a tile is drawn. */
export type TilePlace = 'grid' | 'large' | 'strip';

/**
 * One participant's camera or shared screen: the video (or their avatar while there is none),
 * their name, a muted microphone, what keeps the media from playing, and a ring while they are
 * the active speaker. It tells the call how large it is drawn, and null while it is off screen,
 * so the call receives the simulcast layer that fits and pauses what nobody sees.
 */
export function CallTile({
  participant,
  source,
  place,
  activeSpeaker,
  tileResized,
}: {
  participant: ParticipantTile;
  source: TileSource;
  place: TilePlace;
  activeSpeaker: boolean;
  tileResized: GroupCallActions['tileResized'];
}) {
  const element = useRef<HTMLElement>(null);
  useSizeReport(element, participant.slot, source, tileResized);
  const stream =
    source === 'screen' ? participant.screen : participant.cameraOn ? participant.camera : null;
  const status = tileStateText[participant.state];
  const videoClass = [
    'call-tile__video',
    source === 'screen' ? 'call-tile__video--screen' : '',
    // Our own camera is shown mirrored, as every call app shows a self-view.
    participant.self && source === 'camera' ? 'call-tile__video--mirrored' : '',
  ];
  return (
    <article
      ref={element}
      class={`call-tile call-tile--${place}${activeSpeaker ? ' call-tile--speaking' : ''}`}
      data-testid={testIds.callTile}
      data-slot={participant.slot}
      data-source={source}
      data-state={participant.state}
      data-place={place}
      data-active-speaker={activeSpeaker ? 'true' : 'false'}
      data-self={participant.self ? 'true' : 'false'}
    >
      {stream ? (
        // Muted: a participant's sound is played once by the call, not by each of their tiles.
        <MediaVideo
          stream={stream}
          muted
          class={videoClass.filter(Boolean).join(' ')}
          testId={testIds.callTileVideo}
        />
      ) : (
        <div class="call-tile__avatar">
          <Avatar
            username={participant.username}
            displayName={participant.displayName}
            size={place === 'strip' ? 'sm' : 'md'}
          />
        </div>
      )}
      {status && (
        <p
          class={`call-tile__status call-tile__status--${participant.state}`}
          data-testid={testIds.callTileStatus}
          data-state={participant.state}
        >
          {participant.state === 'cant_decrypt' && <Icon name="warning" />}
          <span>{status}</span>
        </p>
      )}
      <p class="call-tile__label">
        {!participant.microphoneOn && (
          <span class="call-tile__muted" data-testid={testIds.callTileMuted} title="Microphone off">
            <Icon name="micOff" />
            <span class="visually-hidden">Microphone off:</span>
          </span>
        )}
        {participant.safetyNumberChanged && (
          <span
            class="call-tile__key-changed"
            data-testid={testIds.callTileKeyChanged}
            title={`${isolateName(participant.displayName)}’s safety number has changed. Compare it with them before you trust this call.`}
          >
            <Icon name="warning" />
            <span class="visually-hidden">
              <SafetyNumberChangedText displayName={participant.displayName} />
            </span>
          </span>
        )}
        <Name text={participant.displayName} testId={testIds.callTileName} />
        {participant.self && <span class="call-tile__suffix">(you)</span>}
        {source === 'screen' && <span class="call-tile__suffix">· screen</span>}
      </p>
    </article>
  );
}

/**
 * Reports the tile's drawn size whenever it changes (ResizeObserver), null while no part of it
 * is on screen (IntersectionObserver: scrolled out of the strip, or out of the window), and null
 * when it goes away.
 */
function useSizeReport(
  element: RefObject<HTMLElement>,
  slot: number,
  source: TileSource,
  tileResized: GroupCallActions['tileResized'],
): void {
  // The callback may be a new function on every render; the observers stay.
  const report = useRef(tileResized);
  report.current = tileResized;
  useEffect(() => {
    const tile = element.current;
    if (!tile) return;
    // Nothing is reported until both observers have spoken, so the first report is the truth.
    let size: { width: number; height: number } | undefined;
    let onScreen: boolean | undefined;
    let reported: string | undefined;
    const send = () => {
      if (size === undefined || onScreen === undefined) return;
      const shown = onScreen && size.width > 0 && size.height > 0 ? size : null;
      const key = shown ? `${shown.width}x${shown.height}` : 'hidden';
      if (key === reported) return;
      reported = key;
      report.current(slot, source, shown);
    };
    const resizes = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      size = { width: Math.round(box.width), height: Math.round(box.height) };
      send();
    });
    const visibility = new IntersectionObserver((entries) => {
      onScreen = entries[entries.length - 1]!.isIntersecting;
      send();
    });
    resizes.observe(tile);
    visibility.observe(tile);
    return () => {
      resizes.disconnect();
      visibility.disconnect();
      if (reported !== undefined && reported !== 'hidden') report.current(slot, source, null);
    };
  }, [element, slot, source]);
}
