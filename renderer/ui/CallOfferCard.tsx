import type { Signal } from '@preact/signals';
import type { CallMedia } from '../../protocol';
import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import { Icon } from './icons';
import { testIds } from './testIds';

/** A call a deep link asked for: it starts only when the user clicks. */
export function CallOfferCard({
  offer,
  guard,
}: {
  offer: Signal<string | null>;
  guard: CallIdentityGuard;
}) {
  const username = offer.value;
  if (!username) return null;
  const call = (media: CallMedia) => {
    offer.value = null;
    void guard.call(username, media);
  };
  return (
    <div class="card call-offer" data-testid={testIds.callOffer} data-username={username}>
      <p>
        Call <strong>{username}</strong>?
      </p>
      <button
        class="button button--primary"
        data-testid={testIds.callOfferVideo}
        onClick={() => call('video')}
      >
        <Icon name="video" /> Video call
      </button>
      <button class="button" data-testid={testIds.callOfferAudio} onClick={() => call('audio')}>
        <Icon name="phone" /> Voice call
      </button>
      <button
        class="button"
        data-testid={testIds.callOfferDismiss}
        onClick={() => (offer.value = null)}
      >
        Not now
      </button>
    </div>
  );
}
