/**
 * Schema migrations, applied in order. The database's `user_version` is the number of
 * migrations applied; a migration is never edited once released: add a new one instead.
 */
export const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    identity_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX devices_by_user ON devices(user_id);
  CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE contacts (
    owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (owner_id, contact_id)
  );
  CREATE INDEX contacts_by_contact ON contacts(contact_id);
  CREATE TABLE call_log (
    call_id TEXT PRIMARY KEY,
    caller_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    caller_device_id TEXT NOT NULL,
    callee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answered_device_id TEXT,
    media TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    outcome TEXT
  );
  CREATE INDEX call_log_by_caller ON call_log(caller_id, started_at);
  CREATE INDEX call_log_by_callee ON call_log(callee_id, started_at);
  `,
  // Identity chains (issue 4): the account's root identity key, and each device's chain of
  // certificates back to it. Devices from before linking existed have only their own key.
  `
  ALTER TABLE users ADD COLUMN identity_key TEXT;
  ALTER TABLE devices ADD COLUMN identity_chain TEXT;
  UPDATE devices SET identity_chain = json_array(json_object('identityKey', identity_key, 'signature', NULL));
  UPDATE users SET identity_key = (
    SELECT d.identity_key FROM devices d WHERE d.user_id = users.id ORDER BY d.created_at, d.rowid LIMIT 1
  );
  CREATE INDEX devices_by_identity_key ON devices(identity_key);
  `,
  // Call-log collapse (issue 9): repeated unanswered calls from one caller show as one entry of
  // the callee's log. Every call keeps its row (call ids stay unique, the caller's log is whole);
  // a row merged into a later one is hidden from the callee, and the later one counts them all.
  `
  ALTER TABLE call_log ADD COLUMN callee_count INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE call_log ADD COLUMN callee_merged_into TEXT;
  CREATE INDEX call_log_shown_to_callee ON call_log(callee_id, started_at)
    WHERE callee_merged_into IS NULL;
  `,
  // Signing out revokes every session of the device, and removing a device deletes them: both
  // look sessions up by device.
  `
  CREATE INDEX sessions_by_device ON sessions(device_id);
  `,
  // Removing call-log entries (issue 12): each party removes the call from their own log only,
  // so the row stays (the other party's entry, the used call id) with a flag per side.
  `
  ALTER TABLE call_log ADD COLUMN caller_removed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE call_log ADD COLUMN callee_removed INTEGER NOT NULL DEFAULT 0;
  `,
  // Blocking (issue 12): a blocked user's calls do not ring and they are not told the blocker's
  // presence. Looked up by (blocker, blocked).
  `
  CREATE TABLE blocks (
    owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_at INTEGER NOT NULL,
    PRIMARY KEY (owner_id, blocked_id)
  );
  `,
  // Group calls (issue 14): a call made with room.create has no callee, so it has a row of its own;
  // every call with more than two people (made as one, or grown from a 1:1 call) lists each
  // member device in its slot, with when it joined and left. Call ids stay unique across both.
  // A call's links are kept (revoked ones too, so they can be told apart from unknown ones).
  `
  CREATE TABLE group_calls (
    call_id TEXT PRIMARY KEY,
    creator_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    media TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE TABLE call_participants (
    call_id TEXT NOT NULL,
    slot INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    left_at INTEGER,
    PRIMARY KEY (call_id, slot)
  );
  CREATE INDEX call_participants_by_user ON call_participants(user_id);
  CREATE TABLE call_links (
    token TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    approval INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX call_links_by_call ON call_links(call_id);
  `,
  // Group calls in the call log (issue 14): every invitation into a call (a group call's, or one
  // that grows a 1:1 call) with who rang whom and how it ended, so that an invited user's log
  // shows the call they missed or declined; and the group-call entries each user removed from
  // their log (a 1:1 call's two parties keep using the flags of call_log).
  `
  CREATE TABLE call_invitations (
    call_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    invited_by INTEGER NOT NULL,
    invited_at INTEGER NOT NULL,
    state TEXT,
    closed_at INTEGER
  );
  CREATE INDEX call_invitations_by_call ON call_invitations(call_id);
  CREATE INDEX call_invitations_by_user ON call_invitations(user_id);
  CREATE TABLE call_log_removed (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    call_id TEXT NOT NULL,
    PRIMARY KEY (user_id, call_id)
  );
  `,
];
