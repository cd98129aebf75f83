import { safetyNumberGroups } from '../identity/safetyNumber';
import { testIds } from './testIds';

/** 60 digits as 12 groups of 5 (four per line), or a placeholder while they are computed. */
export function SafetyNumberView({
  digits,
  compact,
}: {
  digits: string | null;
  compact?: boolean;
}) {
  const className = compact ? 'safety-number safety-number--compact' : 'safety-number';
  if (!digits) return <p class={`${className} muted`}>Computing the safety number…</p>;
  const groups = safetyNumberGroups(digits);
  return (
    <p class={className} data-testid={testIds.safetyNumber} aria-label="Safety number">
      {groups.map((group, i) => (
        <span key={i} class="safety-number__group">
          {group}
          {i < groups.length - 1 ? ' ' : ''}
        </span>
      ))}
    </p>
  );
}
