import { describe, expect, it } from 'vitest';
import { controlCharacterProblem } from '../../../server/domain/text.ts';

describe('control characters in text', () => {
  it('refuses every C0 control, DEL and C1 control in a single-line field, tab and line breaks included', () => {
    for (const c of ['\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009f']) {
      expect(controlCharacterProblem('name', `关上${c}社区`), JSON.stringify(c)).toMatch(/^name contains the control character U\+00[0-9A-F]{2} at position 3; it is a single-line field$/);
    }
  });

  it('lets a multi-line field hold tab and line breaks, nothing else', () => {
    expect(controlCharacterProblem('description', '第一行\r\n第二行\t完')).toBeNull();
    expect(controlCharacterProblem('note', '已派遣\n已处置')).toBeNull();
    expect(controlCharacterProblem('description', '垃圾\u0000')).toBe('description contains the control character U+0000 at position 3; only tab and line breaks are allowed');
    expect(controlCharacterProblem('note', '\u001b[31m')).toMatch(/U\+001B at position 1/);
  });

  it('decides by the last name of a nested field', () => {
    expect(controlCharacterProblem('events.0.note', 'a\nb')).toBeNull();
    expect(controlCharacterProblem('note.name', 'a\nb')).toMatch(/^note\.name contains/);
  });

  it('accepts ordinary text, Chinese and emoji included', () => {
    expect(controlCharacterProblem('address', '官渡区关上街道 双桥村 8 号 🚧')).toBeNull();
    expect(controlCharacterProblem('name', '')).toBeNull();
  });
});
