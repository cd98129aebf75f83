import { MAX_NAME_LENGTH } from '../../protocol';
import { LinkRejectedError } from '../signaling/linkFlow';
import { SignalingError } from '../signaling/RequestTracker';
import { requestFailureText } from './requestFailureText';

/** Why creating an account failed (auth.register), in words. */
export function registerErrorText(error: unknown): string {
  if (error instanceof SignalingError) {
    switch (error.code) {
      case 'username_taken':
        return 'That username is taken. Choose another one.';
      case 'bad_message':
        return `That username or name can't be used. Usernames have 3-32 characters (a-z, 0-9, _ . -); names up to ${MAX_NAME_LENGTH} characters.`;
    }
  }
  return requestFailureText(error);
}

/** Why signing in (or taking the account back from another tab) failed for good, in words. */
export function signInErrorText(error: unknown): string {
  if (error instanceof SignalingError) {
    switch (error.code) {
      case 'challenge_expired':
      case 'no_challenge':
        return 'Signing in took too long. Restart Parley to try again.';
      case 'unsupported_version':
        return 'This version of Parley is too old for the server. Update Parley and try again.';
    }
  }
  return requestFailureText(error);
}

/** Why changing your display name (profile.update) failed, in words. */
export function renameErrorText(error: unknown): string {
  if (error instanceof SignalingError && error.code === 'bad_message') {
    return `That name can't be used. Names have 1-${MAX_NAME_LENGTH} characters and no control characters.`;
  }
  return requestFailureText(error);
}

/** Why linking this new device to an account failed, in words. */
export function newDeviceLinkErrorText(error: unknown): string {
  if (error instanceof LinkRejectedError) return error.message;
  if (error instanceof SignalingError && error.code === 'link_code_invalid') {
    return 'The link code expired. Start again to get a new one.';
  }
  return requestFailureText(error);
}
