package dev.millrace.connect.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyTemplateTest {
    private static final String VALUE =
            "{\"messageID\":\"0b7c6f1e\",\"n\":42,\"flag\":true,\"empty\":\"\",\"obj\":{},"
                    + "\"messageMetaData\":{\"dateTime\":\"2026-03-15T10:41:07.512+01:00\"},"
                    + "\"late\":\"2026-12-31T23:30:00-02:00\",\"lower\":\"2026-03-15t09:41:07z\","
                    + "\"noZone\":\"2026-03-15T09:41:07\"}";

    private static RecordView view(String key, Object value, long offset, Long timestamp) {
        return new RecordView(
                new SinkRecord(
                        "audit.messages",
                        7,
                        Schema.OPTIONAL_BYTES_SCHEMA,
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                        Schema.OPTIONAL_BYTES_SCHEMA,
                        value,
                        offset,
                        timestamp,
                        TimestampType.CREATE_TIME));
    }

    private static RecordView audit() {
        return view("tx-1", VALUE.getBytes(StandardCharsets.UTF_8), 42, 1_763_900_000_123L);
    }

    private static String render(String template, RecordView record) throws Exception {
        return KeyTemplate.parse(template).render(record);
    }

    @Test
    void rendersThePositionWithOffsetsPaddedTo20Digits() throws Exception {
        assertThat(render("${topic}/${partition}/${offset}", audit()))
                .isEqualTo("audit.messages/7/00000000000000000042");
        assertThat(render("${start-offset}", view("k", "v", Long.MAX_VALUE, 1L)))
                .isEqualTo("09223372036854775807");
        assertThat(KeyTemplate.padded(0)).isEqualTo("00000000000000000000");
    }

    @Test
    void rendersTheKeyAsUtf8() throws Exception {
        assertThat(render("k=${key}", view("clé", "v", 1, 1L))).isEqualTo("k=clé");
    }

    @ParameterizedTest
    @CsvSource({
        "${json:/messageID}, 0b7c6f1e",
        "${json:/n}, 42",
        "${json:/flag}, true",
        "a/${json:/messageID}/b, a/0b7c6f1e/b"
    })
    void rendersTextAtAPointer(String template, String expected) throws Exception {
        assertThat(render(template, audit())).isEqualTo(expected);
    }

    @Test
    void convertsDateTimesToUtcBeforeFormatting() throws Exception {
        assertThat(
                        render(
                                "${json-time:/messageMetaData/dateTime:yyyy/MM/dd/HH/mm/ss}/${json:/messageID}",
                                audit()))
                .isEqualTo("2026/03/15/09/41/07/0b7c6f1e");
        // Crosses into the next year in UTC.
        assertThat(render("${json-time:/late:yyyy-MM-dd HH:mm}", audit()))
                .isEqualTo("2027-01-01 01:30");
        assertThat(render("${json-time:/lower:HH.mm.ss}", audit())).isEqualTo("09.41.07");
    }

    @Test
    void readsTheAwsSamplesDateTimesAsUtc() throws Exception {
        RecordView record =
                view(
                        "k",
                        "{\"messageMetaData\": {\"dateTime\": \"2021-07-03 16:21:12.357246\"}}"
                                .getBytes(StandardCharsets.UTF_8),
                        0,
                        0L);

        assertThat(render("${json-time:/messageMetaData/dateTime:yyyy/MM/dd/HH/mm/ss}", record))
                .isEqualTo("2021/07/03/16/21/12");
    }

    @Test
    void rendersTheRecordTimestampInUtc() throws Exception {
        long timestamp = Instant.parse("2026-03-15T23:59:59.999Z").toEpochMilli();

        assertThat(render("${timestamp:yyyy/MM/dd/HH}", view("k", "v", 1, timestamp)))
                .isEqualTo("2026/03/15/23");
    }

    @Test
    void keepsADollarNotOpeningAToken() throws Exception {
        assertThat(render("$a/${partition}$", audit())).isEqualTo("$a/7$");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "${json:/missing}|value has nothing at /missing",
                "${json:/obj}|value at /obj is object, not text",
                "${json:/empty}|text at /empty is empty",
                "${json-time:/messageID:yyyy}|text at /messageID is not an RFC 3339 date-time"
                        + " (nor yyyy-MM-dd HH:mm:ss.ffffff in UTC): 0b7c6f1e",
                "${json-time:/noZone:yyyy}|text at /noZone is not an RFC 3339 date-time"
            })
    void aTokenThatCannotRenderMakesTheRecordUnwritable(String template, String reason) {
        assertThatThrownBy(() -> render(template, audit()))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageStartingWith(reason);
    }

    @Test
    void explainsRecordsThatLackWhatTheTemplateNeeds() {
        assertThatThrownBy(() -> render("${json:/a}", view("k", "not json", 1, 1L)))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageStartingWith("value is not JSON");
        assertThatThrownBy(() -> render("${json:/a}", view("k", null, 1, 1L)))
                .hasMessage("value is null");
        assertThatThrownBy(() -> render("${key}", view(null, "v", 1, 1L)))
                .hasMessage("record has no key for ${key}");
        assertThatThrownBy(() -> render("${timestamp:yyyy}", view("k", "v", 1, null)))
                .hasMessage("record has no timestamp for ${timestamp}");
        assertThatThrownBy(() -> render("${key}", view("x".repeat(1025), "v", 1, 1L)))
                .hasMessage("rendered key is 1025 bytes, longer than S3's 1024");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|is empty",
                "fixed/key|has no token",
                "${topic|has an unclosed ${ at position 0",
                "${nope}|has an unknown token ${nope}",
                "${offset:5}|token ${offset} takes no argument",
                "${json}|token ${json} needs a JSON pointer",
                "${json:messageID}|token ${json:messageID} needs a JSON pointer",
                "${json-time:/a}|token ${json-time:/a} needs a pointer and a pattern",
                "${json-time:/a:}|token ${json-time:/a:} has an empty pattern",
                "${timestamp}|token ${timestamp} needs a pattern",
                "${timestamp:yyyy-bb}|token ${timestamp:yyyy-bb} has an invalid date-time pattern"
            })
    void refusesMalformedTemplates(String template, String reason) {
        assertThatThrownBy(() -> KeyTemplate.parse(template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(reason);
    }

    @Test
    void knowsWhetherTheKeyNamesTheOffset() {
        assertThat(KeyTemplate.parse("${topic}/${start-offset}").namesTheOffset()).isTrue();
        assertThat(KeyTemplate.parse("${topic}/${offset}").namesTheOffset()).isTrue();
        assertThat(KeyTemplate.parse("${topic}/${timestamp:yyyy}").namesTheOffset()).isFalse();
    }
}
