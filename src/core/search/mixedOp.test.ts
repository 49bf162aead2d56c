import { beforeAll, describe, expect, it } from 'vitest';
import { Params } from '../nn/params';
import { useWasm } from '../nn/testBackend';
import { createMixedOp } from './mixedOp';

beforeAll(useWasm);

describe('createMixedOp settings', () => {
  it('refuses a channel count that k does not divide, naming the edge', () => {
    expect(() => createMixedOp(new Params(1), 'cell0/edge3', 8, 3, 1)).toThrow(
      'cell0/edge3: channels 8 not divisible by k = 3',
    );
    expect(() => createMixedOp(new Params(1), 'e', 8, 4, 2)).not.toThrow();
  });
});
