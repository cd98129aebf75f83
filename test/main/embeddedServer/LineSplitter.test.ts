import { LineSplitter } from '../../../main/embeddedServer/LineSplitter';

function split(chunks: string[], maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLineLength);
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  return lines;
}

describe('LineSplitter', () => {
  it('joins lines split across chunks and holds back an unfinished line', () => {
    expect(split(['{"msg":"li', 'stening"}\nsecond\r\nthi', 'rd'])).toEqual([
      '{"msg":"listening"}',
      'second',
    ]);
  });

  it('drops an overlong line without buffering it, then carries on', () => {
    const lines = split(['x'.repeat(50), 'y'.repeat(50), 'z\nnext\n'], 64);
    expect(lines).toEqual(['next']);
  });
});
