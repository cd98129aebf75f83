import { SignalingError } from '../signaling/RequestTracker';
import { requestFailureText } from '../state/requestFailureText';

/** Why listing or removing this account's devices failed, in words. */
export function deviceErrorText(error: unknown): string {
  if (error instanceof SignalingError) {
    switch (error.code) {
      case 'unknown_device':
        return 'No such device on this account.';
      case 'device_is_current':
        return 'To remove this device, sign out instead.';
      case 'last_device':
        return "This is your account's only device, so it can't be removed.";
    }
  }
  return requestFailureText(error);
}

/** Why approving or declining a new device's link code failed, in words. */
export function linkApprovalErrorText(error: unknown): string {
  if (error instanceof SignalingError) {
    switch (error.code) {
      case 'link_code_invalid':
        return 'That link code is wrong or has expired.';
      case 'bad_certificate':
        return "The new device couldn't be approved. Start linking again on the new device.";
    }
  }
  return requestFailureText(error);
}
