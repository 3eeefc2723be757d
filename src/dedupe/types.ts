export interface DedupeOptions {
  /** Only articles published within this many ms of each other can be copies of one story. @default 7 days */
  windowMs?: number
  /** Similarity (0–1) above which two articles are the same story. Default chosen from the labelled set. */
  threshold?: number
  /** Containment (0–1) above which an excerpt or trimmed copy joins its original. */
  containmentThreshold?: number
}
