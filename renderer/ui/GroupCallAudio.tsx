import { useEffect, useRef } from 'preact/hooks';
import type { ParticipantTile } from '../state/groupCallView';
import { testIds } from './testIds';

/**
 * The others' microphones in a group call: one hidden <audio> per participant, so each plays
 * exactly once (the tiles' videos carry no sound), on the speaker chosen for calls.
 */
export function GroupCallAudio({
  tiles,
  sinkId,
}: {
  tiles: readonly ParticipantTile[];
  /** The speaker to play through (setSinkId); undefined is the system default. */
  sinkId: string | undefined;
}) {
  return (
    <>
      {tiles.map((tile) =>
        tile.audio ? (
          <ParticipantAudio key={tile.slot} slot={tile.slot} stream={tile.audio} sinkId={sinkId} />
        ) : null,
      )}
    </>
  );
}

function ParticipantAudio(props: {
  slot: number;
  stream: MediaStream;
  sinkId: string | undefined;
}) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (audio && audio.srcObject !== props.stream) audio.srcObject = props.stream;
  }, [props.stream]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio || !('setSinkId' in audio)) return;
    // An output that vanished makes setSinkId reject; the element keeps the default then.
    audio.setSinkId(props.sinkId ?? '').catch((error: unknown) => {
      console.warn('parley: speaker could not be chosen', error);
    });
  }, [props.sinkId]);
  return (
    <audio ref={ref} hidden autoplay data-testid={testIds.groupCallAudio} data-slot={props.slot} />
  );
}
