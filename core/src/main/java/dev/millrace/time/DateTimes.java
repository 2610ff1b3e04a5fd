package dev.millrace.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Date-times as senders write them: RFC 3339 ({@code 2021-07-03T16:21:12.357246Z}, any offset, a
 * space for the {@code T} allowed), or the form Python's {@code str(datetime)} writes and the AWS
 * large-audit-record sample's Lambdas read, {@code 2021-07-03 16:21:12.357246}: no offset, taken as
 * UTC, one to nine fraction digits.
 */
public final class DateTimes {
    private static final DateTimeFormatter RFC_3339 =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .appendPattern("[ ]['T']")
                    .append(DateTimeFormatter.ISO_LOCAL_TIME)
                    .appendOffsetId()
                    .toFormatter();

    private static final DateTimeFormatter WITHOUT_OFFSET =
            new DateTimeFormatterBuilder()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .appendLiteral(' ')
                    .appendPattern("HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private DateTimes() {}

    /** The instant the text names, or empty when it is neither form. */
    public static Optional<OffsetDateTime> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, RFC_3339));
        } catch (DateTimeParseException e) {
            // not RFC 3339: try the sample's form
        }
        try {
            return Optional.of(LocalDateTime.parse(text, WITHOUT_OFFSET).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #parse}, as an instant. */
    public static Optional<Instant> instant(String text) {
        return parse(text).map(OffsetDateTime::toInstant);
    }
}
