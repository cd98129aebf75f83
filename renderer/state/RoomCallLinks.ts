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
  /** We knocked through a link that needs approval: whose yes we wait for. */
  readonly waitingFor = signal<UserSummary | null>(null);
  /**
   * The call we asked to join through a link: its invite is joined without ringing. Only its
   * own: an invite to any other call rings, even while we still wait for a yes that never came.
   */
  private joining: string | null = null;
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
    const preview = this.preview.value;
    this.closePreview();
    if (!token || !preview) return;
    if (preview.approval) this.waitingFor.value = preview.creator;
    this.joining = preview.callId;
    try {
      await this.deps.requests.linkJoin(token);
      this.deps.outcome(null);
    } catch (error) {
      this.stopWaiting();
      this.deps.outcome(error);
    }
  }

  /** The preview's Cancel: nothing is joined. */
  closePreview(): void {
    this.preview.value = null;
    this.previewed = null;
  }

  /** An invite to `callId` came: true when it answers our link join, so it is joined at once. */
  takeInvite(callId: string): boolean {
    if (this.joining !== callId) return false;
    this.stopWaiting();
    return true;
  }

  /** The creator of `callId` said no (room.knock_refused): true when it is the call we asked for. */
  refused(callId: string): boolean {
    if (this.joining !== callId) return false;
    this.stopWaiting();
    return true;
  }

  /**
   * We give up waiting for a yes (a call that ended, or whose creator left, leaves a knock
   * unanswered, and the server does not say so): a later invite to that call rings like any other.
   */
  stopWaiting(): void {
    this.joining = null;
    this.waitingFor.value = null;
  }

  /** Makes the call's link; with `approval`, whoever opens it knocks and waits for `admit`. */
  async create(approval: boolean): Promise<void> {
    const room = this.deps.room();
    if (!room) return;
    if (!canCreateLink(room)) {
      this.deps.outcome(new UserFacingError(ONLY_THE_CREATOR));
      return;
    }
    try {
      const link = await this.deps.requests.linkCreate(room.callId, approval);
      room.linkToken = link.token;
      room.linkApproval = link.approval;
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
      room.linkApproval = false;
      // The server turned away whoever knocked through it: nobody is left to answer.
      room.knocks = [];
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
