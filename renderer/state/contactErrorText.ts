import { SignalingError } from '../signaling/RequestTracker';
import { requestFailureText } from './requestFailureText';

/** Why adding `username` as a contact (contacts.add) failed, in words. */
export function addContactErrorText(error: unknown, username: string): string {
  if (error instanceof SignalingError) {
    switch (error.code) {
      case 'unknown_user':
        return `There is no user called “${username}”`;
      case 'contacts_full':
        return 'Your contact list is full: this server allows no more contacts.';
      case 'bad_message':
        return "You can't add yourself as a contact.";
    }
  }
  return requestFailureText(error);
}

/** Why removing, blocking or unblocking someone failed, in words; `action` says which. */
export function contactActionErrorText(
  error: unknown,
  action: 'remove' | 'block' | 'unblock',
): string {
  if (error instanceof SignalingError) {
    switch (error.code) {
      case 'blocks_full':
        return 'You have blocked as many people as this server allows. Unblock someone first.';
      case 'unknown_user':
        return 'That user is no longer on Parley.';
      case 'bad_message':
        return action === 'block' ? "You can't block yourself." : requestFailureText(error);
    }
  }
  const failed = {
    remove: "Couldn't remove the contact.",
    block: "Couldn't block them.",
    unblock: "Couldn't unblock them.",
  }[action];
  return `${failed} ${requestFailureText(error)}`;
}
