import { GroupCallLogStore, type Participant } from '../../../server/db/GroupCallLogStore';
import { openDatabase } from '../../../server/db/openDatabase';

/** The participants of group call `callId` as the server's data folder `dataDir` holds them. */
export function storedParticipants(dataDir: string, callId: string): Participant[] {
  const db = openDatabase(dataDir);
  try {
    return new GroupCallLogStore(db).participants(callId);
  } finally {
    db.close();
  }
}
