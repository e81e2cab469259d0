/**
 * Whether the decoder's scan fast path pays, measured on the traffic: kept apart from matching because it is a
 * policy with its own state and tuning (window, retry), while matching only reports outcomes to it.
 */

/** Scanned messages per measurement of whether scanning pays, and full decodes before it is tried again. */
const SCAN_WINDOW = 4096;
const SCAN_RETRY = 200_000;

/**
 * Scanning does not pay while most scanned messages end up fully decoded anyway (many wide filters). Measured
 * per window of scanned messages; after a while without scanning it is tried again, since filters and traffic
 * change. (A path filter needing every AS path is the coordinator's concern, not measured here.)
 */
export class ScanPolicy {
  pays = true;
  private windowScanned = 0;
  private windowFull = 0;
  private fullSinceScanOff = 0;

  /** Bookkeeping per scanned message: whether it had to be decoded in full. */
  scanOutcome(full: boolean): void {
    this.windowScanned++;
    if (full) this.windowFull++;
    if (this.windowScanned < SCAN_WINDOW) return;
    this.pays = this.windowFull * 2 < this.windowScanned;
    this.windowScanned = 0;
    this.windowFull = 0;
    this.fullSinceScanOff = 0;
  }

  /** Bookkeeping per fully decoded message: after enough of them without scanning, scanning is tried again. */
  fullDecode(): void {
    if (!this.pays && ++this.fullSinceScanOff >= SCAN_RETRY) this.pays = true;
  }
}
