import { useSignal } from '@preact/signals';
import { isolateName } from '../../protocol';
import { orderedTiles } from '../state/callLayout';
import type { ParticipantTile } from '../state/groupCallView';
import { participantStateText, peopleCountText } from '../state/groupCallText';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { Name } from './Name';
import { SafetyNumberChangedText } from './SafetyNumberChangedText';
import { SafetyNumberView } from './SafetyNumberView';
import { testIds } from './testIds';

/**
 * Everyone in the call with their state, and each other participant's safety number behind a
 * button: with the SFU in the middle, comparing it is how a person on screen is known to be who
 * their name says (a member the server slipped in would show up here too).
 */
export function ParticipantList({
  tiles,
  activeSpeakerSlot,
}: {
  tiles: readonly ParticipantTile[];
  activeSpeakerSlot: number | null;
}) {
  return (
    <section class="group-panel" data-testid={testIds.participantList} aria-label="Participants">
      <h2>{peopleCountText(tiles)}</h2>
      <ul class="list participant-list">
        {orderedTiles(tiles).map((tile) => (
          <ParticipantRow key={tile.slot} tile={tile} speaking={tile.slot === activeSpeakerSlot} />
        ))}
      </ul>
    </section>
  );
}

function ParticipantRow({ tile, speaking }: { tile: ParticipantTile; speaking: boolean }) {
  const showSafetyNumber = useSignal(false);
  const open = showSafetyNumber.value;
  return (
    <li
      class="participant-row"
      data-testid={testIds.participantRow}
      data-slot={tile.slot}
      data-state={tile.state}
      data-self={tile.self ? 'true' : 'false'}
    >
      <div class="participant-row__main">
        <Avatar username={tile.username} displayName={tile.displayName} size="sm" />
        <div class="list__main">
          <strong class="name-row">
            <Name text={tile.displayName} />
            {tile.self && <small class="name-row__suffix">(you)</small>}
          </strong>
          <span class="muted">
            {speaking ? 'Speaking' : participantStateText[tile.state]}
            {!tile.microphoneOn && ' · microphone off'}
            {!tile.cameraOn && ' · camera off'}
          </span>
        </div>
        {!tile.microphoneOn && <Icon name="micOff" class="participant-row__icon" />}
        {!tile.self && (
          <button
            class={open ? 'button button--plain button--toggled' : 'button button--plain'}
            data-testid={testIds.participantSafetyNumberButton}
            aria-expanded={open ? 'true' : 'false'}
            aria-label={`Safety number with ${isolateName(tile.displayName)}`}
            title="Compare this number with the one on their screen"
            onClick={() => (showSafetyNumber.value = !open)}
          >
            <Icon name="verified" />
          </button>
        )}
      </div>
      {tile.safetyNumberChanged && (
        <p
          class="call-screen__warning participant-row__warning"
          role="alert"
          data-testid={testIds.participantKeyChanged}
        >
          <Icon name="warning" />
          <SafetyNumberChangedText displayName={tile.displayName} />
        </p>
      )}
      {open && (
        <div class="participant-row__safety">
          <SafetyNumberView digits={tile.safetyNumber} compact />
        </div>
      )}
    </li>
  );
}
