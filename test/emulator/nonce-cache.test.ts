import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../src/emulator/nonce-cache';

describe('NonceCache', () => {
  it('remembers a nonce per key for at least the window, then forgets it', () => {
    const cache = new NonceCache();
    const window = 15 * 60_000;
    cache.remember('ak', 'n1', 0, window);
    expect(cache.has('ak', 'n1', 1)).toBe(true);
    expect(cache.has('other', 'n1', 1)).toBe(false);
    expect(cache.has('ak', 'n1', window - 1)).toBe(true);
    expect(cache.has('ak', 'n1', window + Math.ceil(window / 16) + 1)).toBe(false);
  });

  it('drops expired buckets as new nonces arrive, also after the window shrinks', () => {
    const cache = new NonceCache();
    for (let i = 0; i < 100; i += 1) cache.remember('ak', `old-${i}`, 0, 60_000);
    for (let i = 0; i < 100; i += 1) cache.remember('ak', `short-${i}`, 70_000 + i * 10, 1_000);
    expect(cache.has('ak', 'old-1', 70_000)).toBe(false);
    cache.remember('ak', 'late', 80_000, 1_000);
    expect(cache.size).toBe(1);
  });
});
