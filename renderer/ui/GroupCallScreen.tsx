import { useSignal } from '@preact/signals';
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DeviceSettingsModel } from '../media/DeviceSettingsModel';
import type { ScreenShareModel } from '../media/ScreenShareModel';
import type { LocalMember } from '../state/localMember/LocalMember';
import { DEFAULT_AREA_ASPECT, stageOf, type StageTile } from '../state/callLayout';
import type { GroupCallActions, GroupCallView } from '../state/groupCallView';
import { peopleCountText, speakerAnnouncement } from '../state/groupCallText';
import type { InviteContact } from '../state/inviteCandidates';
import { CallTile, type TilePlace } from './CallTile';
import { DeviceNotices } from './DeviceNotices';
import { DevicePickers } from './DevicePickers';
import { Icon, type IconName } from './icons';
import { InvitePanel } from './InvitePanel';
import { KnockRequests } from './KnockRequests';
import { IsolatedText } from './IsolatedText';
import { CameraButton, MuteButton, ScreenShareButtons } from './MediaToggles';
import { PresentingNotice } from './PresentingNotice';
import { ReconnectingNotice } from './ReconnectingNotice';
import { ParticipantList } from './ParticipantList';
import { testIds } from './testIds';

type SidePanel = 'none' | 'participants' | 'invite' | 'devices';

/**
 * A call with participants: everyone's tiles in a grid or in the speaker view (a shared screen
 * always large), and the controls: microphone, camera, screen share, layout, participants,
 * invite, devices, leave. It draws the view and calls back; the call itself lives in the RoomClient.
 */
export function GroupCallScreen({
  view,
  actions,
  media,
  share,
  devices,
  contacts,
}: {
  view: GroupCallView;
  actions: GroupCallActions;
  media: LocalMember;
  share: ScreenShareModel;
  /** The microphone, camera and speaker the call uses, changed from the call screen. */
  devices: DeviceSettingsModel;
  /** Who may be invited (the contact list, without blocked people). */
  contacts: readonly InviteContact[];
}) {
  const panel = useSignal<SidePanel>('none');
  const stageElement = useRef<HTMLElement>(null);
  const areaAspect = useAspect(stageElement);
  const stage = stageOf({ ...view, areaAspect });
  const sharing = media.sharingScreen.value;
  const screenShown = view.screenShareSlot !== null && stage.kind === 'focus';
  const tile = (item: StageTile, place: TilePlace) => (
    <CallTile
      key={`${item.participant.slot}:${item.source}`}
      participant={item.participant}
      source={item.source}
      place={place}
      activeSpeaker={item.source === 'camera' && item.participant.slot === view.activeSpeakerSlot}
      tileResized={actions.tileResized}
    />
  );
  const togglePanel = (which: SidePanel) => {
    panel.value = panel.value === which ? 'none' : which;
  };
  return (
    <main
      class="call-screen group-call"
      data-testid={testIds.screenGroupCall}
      data-layout={view.layout}
      data-stage={stage.kind}
    >
      <header class="group-call__topbar">
        <h1>{peopleCountText(view.tiles)}</h1>
        <p
          class="visually-hidden"
          aria-live="polite"
          data-testid={testIds.activeSpeakerAnnouncement}
        >
          <IsolatedText text={speakerAnnouncement(view)} />
        </p>
      </header>
      <div class="group-call__body">
        <section
          ref={stageElement}
          class={`call-stage call-stage--${stage.kind}`}
          data-testid={testIds.callStage}
          aria-label="Participants' videos"
          {...(stage.kind === 'grid'
            ? { 'data-columns': stage.shape.columns, 'data-rows': stage.shape.rows }
            : {})}
        >
          {stage.kind === 'grid' ? (
            <div
              class="call-grid"
              // Set through the CSSOM (not a style attribute), which the page's CSP allows.
              style={{ '--columns': stage.shape.columns, '--rows': stage.shape.rows }}
            >
              {stage.tiles.map((item) => tile(item, 'grid'))}
            </div>
          ) : (
            <>
              <div class="call-stage__large">{tile(stage.large, 'large')}</div>
              {stage.strip.length > 0 && (
                <div class="call-strip">{stage.strip.map((item) => tile(item, 'strip'))}</div>
              )}
            </>
          )}
        </section>
        {panel.value === 'participants' && (
          <aside class="group-call__panel">
            <ParticipantList tiles={view.tiles} activeSpeakerSlot={view.activeSpeakerSlot} />
          </aside>
        )}
        {panel.value === 'invite' && (
          <aside class="group-call__panel">
            <InvitePanel view={view} contacts={contacts} actions={actions} />
          </aside>
        )}
        {panel.value === 'devices' && (
          <aside class="group-call__panel card">
            <DevicePickers devices={devices} />
          </aside>
        )}
      </div>
      <div class="call-side group-call__notices">
        {view.reconnecting && (
          <ReconnectingNotice
            testId={
              view.reconnecting === 'signaling'
                ? testIds.signalingReconnecting
                : testIds.mediaReconnecting
            }
          />
        )}
        <KnockRequests knocks={view.knocks} admit={actions.admit} />
        <DeviceNotices devices={devices} />
        {sharing && <PresentingNotice share={share} />}
        {share.error.value && (
          <div class="call-notice call-notice--alert" data-testid={testIds.screenShareError}>
            {share.error.value}
          </div>
        )}
      </div>
      <div class="call-controls call-controls--bar" data-testid={testIds.callControlBar}>
        <MuteButton media={media} />
        <CameraButton media={media} />
        <ScreenShareButtons media={media} share={share} />
        <button
          class={view.layout === 'speaker' ? 'round-button round-button--toggled' : 'round-button'}
          data-testid={testIds.layoutButton}
          aria-pressed={view.layout === 'speaker' ? 'true' : 'false'}
          aria-label="Speaker view"
          title={
            screenShown
              ? 'A shared screen is shown large in either view'
              : view.layout === 'speaker'
                ? 'Show everyone the same size'
                : 'Show the speaker large'
          }
          onClick={() => actions.setLayout(view.layout === 'speaker' ? 'grid' : 'speaker')}
        >
          <Icon name={view.layout === 'speaker' ? 'speakerView' : 'gridView'} />
        </button>
        <PanelButton
          open={panel.value === 'participants'}
          testId={testIds.participantsButton}
          label={`Participants: ${peopleCountText(view.tiles)}`}
          title="Participants"
          icon="people"
          toggle={() => togglePanel('participants')}
        />
        <PanelButton
          open={panel.value === 'invite'}
          testId={testIds.inviteButton}
          label="Invite people"
          title="Invite people"
          icon="personAdd"
          toggle={() => togglePanel('invite')}
        />
        <PanelButton
          open={panel.value === 'devices'}
          testId={testIds.inCallDevicesButton}
          label="Camera, microphone and speaker"
          title="Microphone, camera and speaker"
          icon="settings"
          toggle={() => togglePanel('devices')}
        />
        <button
          class="round-button round-button--danger"
          data-testid={testIds.leaveCallButton}
          aria-label="Leave the call"
          title="Leave"
          onClick={() => actions.leave()}
        >
          <Icon name="hangup" />
        </button>
      </div>
    </main>
  );
}

/** A control-bar button that opens and closes one side panel. */
function PanelButton(props: {
  open: boolean;
  testId: string;
  label: string;
  title: string;
  icon: IconName;
  toggle: () => void;
}) {
  return (
    <button
      class={props.open ? 'round-button round-button--toggled' : 'round-button'}
      data-testid={props.testId}
      aria-expanded={props.open ? 'true' : 'false'}
      aria-label={props.label}
      title={props.title}
      onClick={props.toggle}
    >
      <Icon name={props.icon} />
    </button>
  );
}

/** The element's width / height, followed as the window changes; 16:9 until first measured. */
function useAspect(element: RefObject<HTMLElement>): number {
  const [aspect, setAspect] = useState(DEFAULT_AREA_ASPECT);
  useEffect(() => {
    const stage = element.current;
    if (!stage) return;
    const observer = new ResizeObserver((entries) => {
      const { width, height } = entries[entries.length - 1]!.contentRect;
      // Rounded, so sub-pixel jitter does not redraw the stage.
      if (width > 0 && height > 0) setAspect(Math.round((width / height) * 100) / 100);
    });
    observer.observe(stage);
    return () => observer.disconnect();
  }, [element]);
  return aspect;
}
