package dev.millrace.connect.s3.internal;

import java.time.Clock;

/** What both archive modes write with: the store, its writer threads, salvage and completions. */
public record ArchiveParts(
        ObjectStore store,
        Writers writers,
        Salvage salvage,
        Completions completions,
        Clock clock) {}
