/**
 * What the call's audio sender carries: a shared screen with audio goes out mixed with the
 * microphone on the one audio sender (no renegotiation); otherwise the plain microphone. Mute is
 * not part of the choice: it disables the microphone track, which silences it in the mix too, so
 * a muted user still shares the screen's sound.
 */
export function audioSenderSource(state: {
  sharingScreen: boolean;
  displayAudio: boolean;
}): 'microphone' | 'mix' {
  return state.sharingScreen && state.displayAudio ? 'mix' : 'microphone';
}

/**
 * Mixes the microphone with a shared screen's audio into one track through Web Audio. Mute keeps
 * working on the microphone track itself: a disabled track feeds silence into the mix.
 */
export class AudioMixer {
  private readonly context = new AudioContext();
  private readonly destination = this.context.createMediaStreamDestination();
  private readonly displaySource: MediaStreamAudioSourceNode;
  private microphoneSource: MediaStreamAudioSourceNode | null = null;

  constructor(
    microphone: MediaStreamTrack | null,
    private readonly displayAudio: MediaStreamTrack,
  ) {
    this.displaySource = this.sourceFor(displayAudio);
    this.useMicrophone(microphone);
    // Started outside a user gesture the context may begin suspended and would send silence.
    void this.context.resume();
  }

  /** The mixed track to send. */
  get track(): MediaStreamTrack {
    const track = this.destination.stream.getAudioTracks()[0];
    if (!track) throw new Error('the audio mix has no track');
    return track;
  }

  /** Mixes another microphone (a device switch during the share) in place of the current one. */
  useMicrophone(microphone: MediaStreamTrack | null): void {
    this.microphoneSource?.disconnect();
    this.microphoneSource = microphone ? this.sourceFor(microphone) : null;
  }

  /** Stops the screen's audio and the mix; the microphone track is left to its owner. */
  close(): void {
    this.microphoneSource?.disconnect();
    this.displaySource.disconnect();
    this.displayAudio.stop();
    for (const track of this.destination.stream.getTracks()) track.stop();
    void this.context.close();
  }

  private sourceFor(track: MediaStreamTrack): MediaStreamAudioSourceNode {
    const source = this.context.createMediaStreamSource(new MediaStream([track]));
    source.connect(this.destination);
    return source;
  }
}
