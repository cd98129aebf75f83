import { withoutBidiControls } from '../../protocol';

const PALETTE_SIZE = 8;

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [name.trim()];
  return letters
    .map((word) => (word ? [...word][0] : ''))
    .join('')
    .toUpperCase();
}

/** A stable colour per username, so the same person always looks the same. */
function paletteIndex(username: string): number {
  let hash = 0;
  for (const char of username) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % PALETTE_SIZE;
}

export function Avatar(props: {
  username: string;
  displayName: string;
  size?: 'sm' | 'md' | 'xl';
}) {
  const size = props.size ?? 'md';
  return (
    <div
      class={`avatar avatar--${size} avatar--c${paletteIndex(props.username)}`}
      aria-hidden="true"
    >
      {initials(withoutBidiControls(props.displayName)) || '?'}
    </div>
  );
}
