/**
 * Limits CloudFlow enforces, each one named value with the page that documents it, so a refusal can name the limit
 * and where it comes from. The interpreter refuses what the cloud refuses, with these numbers.
 */
export interface DocumentedLimit {
  readonly value: number;
  readonly what: string;
  readonly page: string;
}

export const CLOUDFLOW_LIMITS = {
  // "Maximum events per execution: 5,000 (adjustable by ticket). Total events recorded during a single execution."
  historyEvents: { value: 5000, what: 'history events per execution', page: 'https://help.aliyun.com/en/document_detail/122093.html' },
} as const;
