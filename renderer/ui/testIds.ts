/**
 * Stable `data-testid` values: the contract between the UI and the end-to-end tests. A screen's
 * root element carries its SCREEN id; elements that state something carry the data attributes
 * named beside them. Every name a user chose is a `bdi.name` element (renderer/ui/Name.tsx).
 */
export const testIds = {
  // first run
  screenFirstRun: 'screen-first-run',
  usernameInput: 'username-input',
  displayNameInput: 'display-name-input',
  registerButton: 'register-button',
  firstRunError: 'first-run-error',

  // web client: another tab of the browser uses the account
  screenOtherTab: 'screen-other-tab',
  useHereButton: 'use-here-button', // moves the account's connection to this tab
  otherTabCallEnded: 'other-tab-call-ended', // the call this tab was in ended when the other took over

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
  callNotice: 'call-notice', // data-reason="identity_failed|peer_microphone_denied|peer_microphone_unavailable|peer_camera_denied|peer_camera_unavailable|peer_identity_failed|declined|busy|cancelled|missed|no_answer|hangup|remote_hangup|connection_lost|callee_offline|unknown_user|permission_denied|no_device|connection_failed|answered_elsewhere|glare|too_many_calls|error"
  // the web client's offer to show calls as system notifications (until answered or put off)
  notificationOffer: 'notification-offer',
  notificationOfferAccept: 'notification-offer-accept',
  notificationOfferDismiss: 'notification-offer-dismiss',
  groupCallEndNotice: 'group-call-end-notice', // data-reason="ended|removed|connection_lost|sfu_refused"
  callNoticeCallBack: 'call-notice-call-back', // in the call notice, when calling back makes sense
  navContacts: 'nav-contacts',
  navCallLog: 'nav-call-log',
  newCallButton: 'new-call-button', // narrow window only: opens the new-call pane over the list
  paneBackButton: 'pane-back-button', // narrow window only: closes the pane open over the list
  missedCallsBadge: 'missed-calls-badge', // on the Calls tab: missed calls not yet seen in the log

  // outgoing call
  screenOutgoing: 'screen-outgoing',
  outgoingPeer: 'outgoing-peer',
  outgoingStatus: 'outgoing-status', // data-state="calling|ringing"
  cancelButton: 'cancel-button',

  // incoming call
  screenIncoming: 'screen-incoming',
  ringtone: 'ringtone', // the web client's <audio>, playing while a call rings
  soundBlocked: 'sound-blocked', // shown while the browser refuses to play the ringtone
  enableSoundButton: 'enable-sound-button',
  incomingCaller: 'incoming-caller',
  acceptVideoButton: 'accept-video-button',
  acceptAudioButton: 'accept-audio-button',
  declineButton: 'decline-button',

  // in call
  screenInCall: 'screen-in-call',
  inCallPeer: 'in-call-peer',
  callPath: 'call-path', // "Direct (UDP)" / "Relayed (TLS)"; data-route, data-transport
  remoteVideo: 'remote-video',
  localVideo: 'local-video',
  localAvatar: 'local-avatar', // our preview while our camera is off
  pictureInPictureButton: 'picture-in-picture-button',
  fullScreenButton: 'full-screen-button',
  muteButton: 'mute-button', // aria-pressed="true" when muted
  cameraButton: 'camera-button', // aria-pressed="true" when the camera is off; data-camera-failure="camera_denied|camera_unavailable" when it could not be opened
  hangupButton: 'hangup-button',
  callControlBar: 'call-control-bar', // the in-call buttons' bar, which the self-preview must not cover
  callTimer: 'call-timer',
  connectionState: 'connection-state', // data-state = RTCPeerConnection.connectionState
  remoteMuted: 'remote-muted', // present while the peer's microphone is muted
  remoteCameraOff: 'remote-camera-off', // present while the peer's camera is off
  qualityIndicator: 'quality-indicator', // present only while the call is poor; data-blame="self|peer|unknown", text names whose connection
  signalingReconnecting: 'signaling-reconnecting', // present while the signaling connection is down
  mediaReconnecting: 'media-reconnecting', // present while the call's media path is recovering

  // camera or microphone refused or missing: which, and how to fix it (Settings, failed calls)
  mediaRemedy: 'media-remedy', // data-input="camera|microphone", data-problem="denied|missing"
  mediaRemedyTryAgain: 'media-remedy-try-again',

  // call log
  screenCallLog: 'screen-call-log',
  callLogEntry: 'call-log-entry', // data-outcome, data-direction, data-peer, data-duration-ms, data-count
  callLogCallBack: 'call-log-call-back', // in each entry: calls the peer (or the group's people) again, same media
  callLogRemove: 'call-log-remove', // in each entry: removes it from this account's log
  callLogDay: 'call-log-day', // one day's entries; data-heading="Today|Yesterday|<weekday>|<date>"
  callLogClear: 'call-log-clear', // clears the whole log, after a confirmation
  callLogError: 'call-log-error', // why a removal or clear did not go through

  // end-to-end encryption and identity
  // In call; data-state (whole call), data-audio-state and data-video-state (per incoming
  // track kind): "negotiating|encrypted|decrypt_failed".
  e2eeStatus: 'e2ee-status',
  safetyNumber: 'safety-number', // 60 digits in 12 groups of 5; in call and on the contact page
  safetyNumberInstruction: 'safety-number-instruction', // contact page: "Compare these numbers with the ones on <name>’s screen…"
  openContact: (username: string) => `open-contact-${username}`, // opens the contact page
  screenContact: 'screen-contact',
  verifyContactButton: 'verify-contact-button', // toggles verified; aria-pressed="true" when verified
  contactVerified: 'contact-verified', // present when the contact is marked verified
  blockContactButton: 'block-contact-button', // contact page: Block, or Unblock (aria-pressed="true") once blocked
  contactBlocked: 'contact-blocked', // contact page: present while the contact is blocked
  removeContactButton: 'remove-contact-button', // contact page: removes the contact, once confirmed
  contactActionError: 'contact-action-error', // contact page: why the last remove/block/unblock failed
  identityChangedWarning: 'identity-changed-warning', // shown before calling a contact whose key changed
  identityContinueButton: 'identity-continue-button',
  identityCancelButton: 'identity-cancel-button',

  // linked devices
  linkExistingButton: 'link-existing-button', // first run: link this device to an existing account
  linkDeviceNameInput: 'link-device-name-input',
  linkStartButton: 'link-start-button',
  screenLink: 'screen-link', // the new device waits here, showing its code
  linkCode: 'link-code', // the code as text
  linkQr: 'link-qr', // the code as a QR image
  navDevices: 'nav-devices',
  screenDevices: 'screen-devices',
  deviceRow: 'device-row', // data-device-id, data-current="true|false", data-online="true|false"
  removeDeviceButton: (deviceId: string) => `remove-device-${deviceId}`,
  linkCodeInput: 'link-code-input', // on an existing device: the code shown by the new one
  linkLookupButton: 'link-lookup-button',
  linkPendingDevice: 'link-pending-device', // the new device's name, waiting for approval
  linkApproveButton: 'link-approve-button',
  linkRejectButton: 'link-reject-button',
  linkError: 'link-error',

  // settings and devices
  navSettings: 'nav-settings',
  screenSettings: 'screen-settings',
  micSelect: 'mic-select', // <select>; value = deviceId, '' for the system default
  cameraSelect: 'camera-select',
  speakerSelect: 'speaker-select', // absent where HTMLMediaElement.setSinkId is missing
  micLevel: 'mic-level', // data-level="0-100"
  cameraPreview: 'camera-preview',
  deviceNotice: 'device-notice', // data-kind="added|fallback", data-role="microphone|camera|speaker"
  deviceNoticeUse: 'device-notice-use', // on an "added" notice: switch to the new device
  deviceNoticeDismiss: 'device-notice-dismiss',
  shortcutInput: (action: string) => `shortcut-input-${action}`, // desktop only
  shortcutStatus: (action: string) => `shortcut-status-${action}`, // data-registered="true|false"
  closeToTrayToggle: 'close-to-tray-toggle', // desktop only; aria-checked
  doNotDisturbToggle: 'do-not-disturb-toggle', // desktop only; aria-checked
  signOutButton: 'sign-out-button', // linked devices: sign out of this device, once confirmed
  signOutError: 'sign-out-error',
  displayNameEditInput: 'display-name-edit-input', // settings: your display name
  displayNameSaveButton: 'display-name-save-button',
  displayNameEditError: 'display-name-edit-error', // settings: why the name was refused
  displayNameSaved: 'display-name-saved', // settings: shown once the new name is saved
  alwaysRelayToggle: 'always-relay-toggle', // "Protect my IP address in calls"; aria-checked
  callOffer: 'call-offer', // a call offered by a deep link; data-username, waits for a click
  callOfferVideo: 'call-offer-video',
  callOfferAudio: 'call-offer-audio',
  callOfferDismiss: 'call-offer-dismiss',
  inCallDevicesButton: 'in-call-devices-button', // opens the device pickers during a call
  screenShareButton: 'screen-share-button', // starts sharing, or switches source while sharing
  stopShareButton: 'stop-share-button', // present while sharing
  callWaitingBanner: 'call-waiting-banner', // a call that comes in during a call
  callWaitingDecline: 'call-waiting-decline',
  callWaitingEndAndAccept: 'call-waiting-end-and-accept',
  callWaitingTone: 'call-waiting-tone',
  ringbackTone: 'ringback-tone', // the caller hears it while the call rings
  presentingBanner: 'presenting-banner', // while our screen is shared
  presentingStopButton: 'presenting-stop-button', // its labelled "Stop sharing"
  screenShareError: 'screen-share-error',
  // group call (renderer/ui/GroupCallScreen.tsx): microphone, camera and screen share keep the
  // in-call ids above (muteButton, cameraButton, screenShareButton, stopShareButton, presentingBanner)
  screenGroupCall: 'screen-group-call', // data-layout="grid|speaker" (the choice), data-stage="grid|focus" (what shows)
  callStage: 'call-stage', // in the grid: data-columns, data-rows
  callTile: 'call-tile', // data-slot, data-source="camera|screen", data-state="connecting|live|cant_decrypt|reconnecting", data-place="grid|large|strip", data-active-speaker="true|false", data-self="true|false"
  callTileVideo: 'call-tile-video', // the tile's <video>, present while it has a picture
  callTileName: 'call-tile-name',
  callTileMuted: 'call-tile-muted', // present while the participant's microphone is off
  callTileStatus: 'call-tile-status', // "Connecting…", "Can't decrypt", "Reconnecting…"; data-state
  callTileKeyChanged: 'call-tile-key-changed', // warning: the member's safety number changed
  activeSpeakerAnnouncement: 'active-speaker-announcement', // aria-live="polite": "<name> is speaking"
  layoutButton: 'layout-button', // switches grid <-> speaker view; aria-pressed="true" in speaker view
  participantsButton: 'participants-button', // opens the participant list; aria-expanded
  inviteButton: 'invite-button', // opens the invite panel; aria-expanded
  leaveCallButton: 'leave-call-button',
  participantList: 'participant-list',
  participantRow: 'participant-row', // data-slot, data-state, data-self
  participantKeyChanged: 'participant-key-changed', // "<name>'s safety number has changed…" in the row
  participantSafetyNumberButton: 'participant-safety-number-button', // in each other participant's row; aria-expanded
  invitePanel: 'invite-panel',
  addPeopleButton: 'add-people-button', // in a 1:1 call: opens the add-people panel; aria-expanded
  addPeoplePanel: 'add-people-panel',
  addPeopleSendButton: 'add-people-send-button', // rings who was picked: the call grows
  addPeopleError: 'add-people-error', // why adding was refused, in words
  groupRejoinFailed: 'group-rejoin-failed', // on a 1:1 call's screen: its group side could not be rejoined after a reload
  inviteContact: (username: string) => `invite-contact-${username}`, // a checkbox per contact who can be invited
  inviteSendButton: 'invite-send-button',
  inviteLimit: 'invite-limit', // why no more people can be picked (the call is full, or this many places left)
  invitationRow: 'invitation-row', // data-username, data-state="ringing|joined|declined|busy|timeout|cancelled"
  callLink: 'call-link', // the call's link (https) while one exists
  createCallLinkButton: 'create-call-link-button',
  callLinkApprovalToggle: 'call-link-approval-toggle', // before the link is made: whoever opens it knocks first
  knockRow: 'knock-row', // a person knocking through the link, shown to the creator; data-username
  knockAdmitButton: 'knock-admit-button', // in a knock row
  knockRefuseButton: 'knock-refuse-button', // in a knock row
  revokeCallLinkButton: 'revoke-call-link-button',
  groupCallAudio: 'group-call-audio', // a hidden <audio> per other participant; data-slot
  // starting a group call from the home screen (renderer/ui/GroupCallPanel.tsx)
  groupCallPanel: 'group-call-panel',
  groupCallContact: (username: string) => `group-call-contact-${username}`, // a checkbox per contact
  groupCallAudioButton: 'group-call-audio-button',
  groupCallVideoButton: 'group-call-video-button',
  groupCallError: 'group-call-error', // why the last group-call action failed (e.g. a revoked link)
  callLinkWaiting: 'call-link-waiting', // we knocked through a link: waiting for its creator's yes
  callLinkStopWaitingButton: 'call-link-stop-waiting-button', // in callLinkWaiting
  // a group call ringing here (renderer/ui/GroupInviteScreen.tsx)
  screenGroupInvite: 'screen-group-invite',
  groupInviteFrom: 'group-invite-from', // who invites
  groupInviteMember: 'group-invite-member', // one per person in the call now; data-username
  groupJoinButton: 'group-join-button',
  groupDeclineButton: 'group-decline-button',
  // a call link opened here (renderer/ui/CallLinkPreviewScreen.tsx)
  screenCallLinkPreview: 'screen-call-link-preview',
  callLinkCreator: 'call-link-creator', // who made the call
  callLinkMembers: 'call-link-members', // how many are in; data-count
  callLinkJoinButton: 'call-link-join-button',
  callLinkCancelButton: 'call-link-cancel-button',
} as const;
