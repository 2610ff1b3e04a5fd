package dev.millrace.connect.s3.internal;

/**
 * When a batch object is complete. Every limit is a property of the records, never of the wall
 * clock, so replaying a partition from a batch's start offset rebuilds the same batches.
 *
 * @param maxSpanMs 0 for no limit on the records' time span
 */
public record BatchLimits(int maxRecords, long maxBytes, long maxSpanMs) {}
