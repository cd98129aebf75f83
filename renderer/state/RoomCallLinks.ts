import { signal } from '@preact/signals';
import type { ServerMessageOf } from '../../protocol';
import { canCreateLink, type RoomCallState, type UserSummary } from './roomCallState';
import { UserFacingError } from './UserFacingError';
import type { RoomRequests } from './RoomRequests';

export interface RoomCallLinksDeps {
  requests: RoomRequests;
  /** The call we are in, if any. */
  room(): RoomCallState | null;
  changed(): void;
  /** A request failed (its error, for the user) or worked (null). */
  outcome(error: unknown): void;
}

const ONLY_THE_CREATOR = 'Only the person who started this call can make or revoke its link.';

/**
 * Call links (docs/protocol.md "Call links"): the creator makes, revokes and answers knocks; anyone
 * signed in opens a link and joins through it. A link carries no key: a joiner gets keys from the
 * members only, as any joiner does.
 */
export class RoomCallLinks {
  /** What a link leads to, once opened. */
  readonly preview = signal<ServerMessageOf<'room.preview'> | null>(null);
  /** We asked to join through a link: the invite that follows is joined without ringing. */
  private joining = false;
  /** The token of the link `preview` shows. */
  private previewed: string | null = null;

  constructor(private readonly deps: RoomCallLinksDeps) {}

  async open(token: string): Promise<void> {
    try {
      this.preview.value = await this.deps.requests.linkOpen(token);
      this.previewed = token;
      this.deps.outcome(null);
    } catch (error) {
      this.closePreview();
      this.deps.outcome(error);
    }
  }

  /** Joins through the link the preview shows (its Join button); the preview closes. */
  async joinPreviewed(): Promise<void> {
    const token = this.previewed;
    this.closePreview();
    if (token) await this.join(token);
  }

  /** The preview's Cancel: nothing is joined. */
  closePreview(): void {
    this.preview.value = null;
    this.previewed = null;
  }

  async join(token: string): Promise<void> {
    this.joining = true;
    try {
      await this.deps.requests.linkJoin(token);
      this.deps.outcome(null);
    } catch (error) {
      this.joining = false;
      this.deps.outcome(error);
    }
  }

  /** An invite came: true when it answers our link join, so it is joined at once. */
  takeInvite(): boolean {
    const ours = this.joining;
    this.joining = false;
    return ours;
  }

  /** The creator said no (room.knock_refused). */
  refused(): void {
    this.joining = false;
  }

  async create(): Promise<void> {
    const room = this.deps.room();
    if (!room) return;
    if (!canCreateLink(room)) {
      this.deps.outcome(new UserFacingError(ONLY_THE_CREATOR));
      return;
    }
    try {
      const link = await this.deps.requests.linkCreate(room.callId, false);
      room.linkToken = link.token;
      this.deps.changed();
    } catch (error) {
      this.deps.outcome(error);
    }
  }

  async revoke(): Promise<void> {
    const room = this.deps.room();
    if (!room?.linkToken) return;
    if (!canCreateLink(room)) {
      this.deps.outcome(new UserFacingError(ONLY_THE_CREATOR));
      return;
    }
    try {
      await this.deps.requests.linkRevoke(room.callId);
      room.linkToken = null;
      this.deps.changed();
    } catch (error) {
      this.deps.outcome(error);
    }
  }

  /** Someone knocks through our call's link (room.knock). */
  knock(room: RoomCallState, user: UserSummary): void {
    if (!room.knocks.some((k) => k.username === user.username)) room.knocks.push(user);
  }

  /** The creator lets a knocking person in, or not. */
  async admit(username: string, admit: boolean): Promise<void> {
    const room = this.deps.room();
    if (!room) return;
    room.knocks = room.knocks.filter((k) => k.username !== username);
    this.deps.changed();
    try {
      await this.deps.requests.admit(room.callId, username, admit);
    } catch (error) {
      this.deps.outcome(error);
    }
  }
}
