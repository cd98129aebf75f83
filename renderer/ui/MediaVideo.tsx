import { useEffect, useRef } from 'preact/hooks';

interface MediaVideoProps {
  stream: MediaStream | null;
  testId: string;
  class: string;
  /** The local preview is muted so we never hear ourselves. */
  muted: boolean;
  /** The speaker to play through (setSinkId); undefined is the system default. */
  sinkId?: string | undefined;
}

/** A <video> showing a MediaStream; srcObject has no attribute form, so it is set on the element. */
export function MediaVideo(props: MediaVideoProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== props.stream) video.srcObject = props.stream;
  }, [props.stream]);
  useEffect(() => {
    const video = ref.current;
    if (!video || props.muted || !('setSinkId' in video)) return;
    // An output that vanished makes setSinkId reject; the element keeps the default then.
    video.setSinkId(props.sinkId ?? '').catch((error: unknown) => {
      console.warn('parley: speaker could not be chosen', error);
    });
  }, [props.sinkId, props.muted]);
  return (
    <video
      ref={ref}
      class={props.class}
      data-testid={props.testId}
      autoplay
      playsInline
      muted={props.muted}
    />
  );
}
