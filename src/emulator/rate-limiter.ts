import type { RateLimitConfig } from './types';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets per account and action: `capacity` requests per `windowMs`, refilled continuously. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one token; false when the bucket is empty (the call is throttled). */
  take(key: string, limit: RateLimitConfig, now: number): boolean {
    const refillPerMs = limit.capacity / limit.windowMs;
    const bucket = this.buckets.get(key) ?? { tokens: limit.capacity, updatedAt: now };
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + Math.max(0, now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear(): void {
    this.buckets.clear();
  }
}
