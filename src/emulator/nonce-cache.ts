/**
 * Remembers signature nonces per access key for the replay window, so a replayed request is refused. Nonces are
 * grouped in buckets by expiry time (about 1/16 of the window each): expiring means dropping whole buckets, and no
 * single structure grows large enough for a rehash or a sweep to pause the server noticeably. A nonce may be
 * remembered up to one bucket longer than the window, never shorter.
 */
export class NonceCache {
  private readonly buckets = new Map<number, Set<string>>();
  private nextSweep = 0;

  has(accessKeyId: string, nonce: string, now: number): boolean {
    const key = `${accessKeyId}\n${nonce}`;
    for (const [end, nonces] of this.buckets) if (end > now && nonces.has(key)) return true;
    return false;
  }

  remember(accessKeyId: string, nonce: string, now: number, windowMs: number): void {
    const bucketMs = Math.max(1_000, Math.ceil(windowMs / 16));
    const end = Math.ceil((now + windowMs) / bucketMs) * bucketMs;
    let nonces = this.buckets.get(end);
    if (!nonces) {
      nonces = new Set();
      this.buckets.set(end, nonces);
    }
    nonces.add(`${accessKeyId}\n${nonce}`);
    if (now >= this.nextSweep) {
      for (const bucketEnd of this.buckets.keys()) if (bucketEnd <= now) this.buckets.delete(bucketEnd);
      this.nextSweep = now + 250;
    }
  }

  clear(): void {
    this.buckets.clear();
  }

  get size(): number {
    let total = 0;
    for (const nonces of this.buckets.values()) total += nonces.size;
    return total;
  }
}
