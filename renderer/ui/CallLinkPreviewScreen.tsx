import type { ServerMessageOf } from '../../protocol';
import { Avatar } from './Avatar';
import { CallControl } from './CallControl';
import { Name } from './Name';
import { testIds } from './testIds';

/** A call link opened here: whose call it is and how many are in, Join or Cancel. */
export function CallLinkPreviewScreen(props: {
  preview: ServerMessageOf<'room.preview'>;
  join(): void;
  cancel(): void;
}) {
  const { preview } = props;
  const kind = preview.media === 'video' ? 'video' : 'voice';
  return (
    <main class="call-screen" data-testid={testIds.screenCallLinkPreview}>
      <div class="call-screen__center">
        <Avatar
          username={preview.creator.username}
          displayName={preview.creator.displayName}
          size="xl"
        />
        <h1 data-testid={testIds.callLinkCreator}>
          <Name text={preview.creator.displayName} />
        </h1>
        <p class="call-screen__status">
          Group {kind} call ·{' '}
          <span data-testid={testIds.callLinkMembers} data-count={preview.members}>
            {preview.members === 1 ? 'one person in it' : `${preview.members} people in it`}
          </span>
        </p>
        {preview.approval && (
          <p class="muted">The person who made the call lets you in when you join.</p>
        )}
      </div>
      <div class="call-controls call-controls--incoming">
        <CallControl
          tone="accept"
          icon={preview.media === 'video' ? 'video' : 'phone'}
          label="Join the call"
          caption="Join"
          testId={testIds.callLinkJoinButton}
          onClick={() => props.join()}
        />
        <CallControl
          tone="danger"
          icon="close"
          label="Cancel"
          caption="Cancel"
          testId={testIds.callLinkCancelButton}
          onClick={() => props.cancel()}
        />
      </div>
    </main>
  );
}
