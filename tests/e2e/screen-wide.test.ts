/** The big screen on wide walls (5760×2160 is 8:3, 7680×2160 is 32:9); see screen-suite.ts for the checks. */
import { describe } from 'vitest';
import { describeScreenAt } from './screen-suite';

describe('command-center screen, wide walls', () => {
  describeScreenAt([[5760, 2160], [7680, 2160]]);
});
