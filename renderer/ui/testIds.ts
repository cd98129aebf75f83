/**
 * Stable `data-testid` values: the contract between the UI and the end-to-end tests. A screen's
 * root element carries its SCREEN id; elements that state something carry the data attributes
 * named beside them.
 */
export const testIds = {
  // first run
  screenFirstRun: 'screen-first-run',
  usernameInput: 'username-input',
  displayNameInput: 'display-name-input',
  registerButton: 'register-button',
  firstRunError: 'first-run-error',

  // contacts (home)
  screenContacts: 'screen-contacts',
  selfUsername: 'self-username',
  connectionBanner: 'connection-banner', // data-state="connecting|online|offline"
  addContactInput: 'add-contact-input',
  addContactButton: 'add-contact-button',
  addContactError: 'add-contact-error', // why the last add failed (unknown user, bad name)
  contactRow: (username: string) => `contact-${username}`, // data-presence="online|offline|in_call"
  contactCallVideo: (username: string) => `contact-call-video-${username}`,
  contactCallAudio: (username: string) => `contact-call-audio-${username}`,
  callUsernameInput: 'call-username-input',
  callVideoButton: 'call-video-button',
  callAudioButton: 'call-audio-button',
  // the last call's end, shown on the home screen: data-reason, text for the user
  callNotice: 'call-notice', // data-reason="declined|busy|cancelled|missed|no_answer|hangup|remote_hangup|connection_lost|callee_offline|unknown_user|permission_denied|no_device|connection_failed|answered_elsewhere|glare|error"
  navContacts: 'nav-contacts',
  navCallLog: 'nav-call-log',

  // outgoing call
  screenOutgoing: 'screen-outgoing',
  outgoingPeer: 'outgoing-peer',
  outgoingStatus: 'outgoing-status', // data-state="calling|ringing"
  cancelButton: 'cancel-button',

  // incoming call
  screenIncoming: 'screen-incoming',
  incomingCaller: 'incoming-caller',
  acceptVideoButton: 'accept-video-button',
  acceptAudioButton: 'accept-audio-button',
  declineButton: 'decline-button',

  // in call
  screenInCall: 'screen-in-call',
  inCallPeer: 'in-call-peer',
  remoteVideo: 'remote-video',
  localVideo: 'local-video',
  muteButton: 'mute-button', // aria-pressed="true" when muted
  cameraButton: 'camera-button', // aria-pressed="true" when the camera is off
  hangupButton: 'hangup-button',
  callTimer: 'call-timer',
  connectionState: 'connection-state', // data-state = RTCPeerConnection.connectionState
  remoteMuted: 'remote-muted', // present while the peer's microphone is muted
  remoteCameraOff: 'remote-camera-off', // present while the peer's camera is off

  // call log
  screenCallLog: 'screen-call-log',
  callLogEntry: 'call-log-entry', // data-outcome, data-direction, data-peer
} as const;
