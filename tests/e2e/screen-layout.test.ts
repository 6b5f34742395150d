/** The big screen on 16:9 walls (1920×1080 and 3840×2160); see screen-suite.ts for the checks. */
import { describe } from 'vitest';
import { describeScreenAt } from './screen-suite';

describe('command-center screen, 16:9', () => {
  describeScreenAt([[1920, 1080], [3840, 2160]]);
});
