/** The notifier port: one alert digest per audit run. Outbox files locally, SNS on AWS. */
export interface Digest {
  /**
   * Names the digest: a resend of a digest whose delivery was not confirmed carries the same id
   * (as the `digest_id` attribute, and as the deduplication id on a FIFO topic).
   */
  readonly id?: string;
  /** At most 100 characters, no CR/LF (SNS e-mail subject limit). */
  readonly subject: string;
  readonly body: string;
  /** Filterable attributes, e.g. highest severity and counts. */
  readonly attributes: Readonly<Record<string, string | number>>;
}

export interface Notifier {
  publish(digest: Digest): Promise<{ messageId: string }>;
}
