import { useEffect, useRef } from 'preact/hooks';

interface MediaVideoProps {
  stream: MediaStream | null;
  testId: string;
  class: string;
  /** The local preview is muted so we never hear ourselves. */
  muted: boolean;
}

/** A <video> showing a MediaStream; srcObject has no attribute form, so it is set on the element. */
export function MediaVideo(props: MediaVideoProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== props.stream) video.srcObject = props.stream;
  }, [props.stream]);
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
