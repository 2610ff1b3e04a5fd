package dev.millrace.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where an audit record's payload is archived: {@code YYYY/MM/DD/HH/MM/SS/<messageID>}, UTC. */
public final class ArchiveKeys {
    private static final DateTimeFormatter PREFIX =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/mm/ss");

    private ArchiveKeys() {}

    public static String key(OffsetDateTime dateTime, String messageId) {
        return PREFIX.format(dateTime.withOffsetSameInstant(ZoneOffset.UTC)) + "/" + messageId;
    }
}
