import { FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE } from '../../protocol';
import { Name } from './Name';

const ISOLATED_RUN = new RegExp(
  `${FIRST_STRONG_ISOLATE}([^${POP_DIRECTIONAL_ISOLATE}]*)${POP_DIRECTIONAL_ISOLATE}`,
  'u',
);

/**
 * A sentence built as a string with its names marked by `isolateName` (FSI ... PDI), shown with
 * each name as a `Name`: isolated, and cut with an ellipsis when too long.
 */
export function IsolatedText({ text }: { text: string }) {
  // split() with one capture group: even indexes are the sentence, odd indexes the names.
  const parts = text.split(ISOLATED_RUN);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? <Name key={index} text={part} inline /> : part,
      )}
    </>
  );
}
