package dev.millrace.connect.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import dev.millrace.connect.s3.internal.ContentSource.Encoding;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentSourceTest {
    private static final JsonPointer INLINE = JsonPointer.compile("/payload/inline");

    private static RecordView view(Object value) {
        return new RecordView(
                new SinkRecord("t", 0, null, null, Schema.OPTIONAL_BYTES_SCHEMA, value, 0));
    }

    private static RecordView json(String payload) {
        return view(
                ("{\"payload\":{\"inline\":" + payload + "}}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void takesTheValueBytesAsTheyAre() throws Exception {
        byte[] bytes = {0, (byte) 0xff, 10, 13};

        assertThat(ContentSource.value().extract(view(bytes))).isEqualTo(bytes);
        assertThat(ContentSource.value().extract(view("héllo")))
                .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesValuesThatAreNotBytesOrText() {
        assertThatThrownBy(() -> ContentSource.value().extract(view(null)))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessage("value is null");
        assertThatThrownBy(() -> ContentSource.value().extract(view(42)))
                .hasMessage("value is Integer, not bytes or a string");
    }

    @Test
    void decodesBase64AtThePointer() throws Exception {
        byte[] payload = new byte[300];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        String encoded = Base64.getEncoder().encodeToString(payload);
        String wrapped = Base64.getMimeEncoder().encodeToString(payload).replace("\r\n", "\\r\\n");

        ContentSource source = ContentSource.pointer(INLINE, Encoding.BASE64);

        assertThat(source.extract(json("\"" + encoded + "\""))).isEqualTo(payload);
        assertThat(source.extract(json("\"" + wrapped + "\""))).isEqualTo(payload);
    }

    @Test
    void takesTextAsUtf8AndNodesAsJson() throws Exception {
        assertThat(ContentSource.pointer(INLINE, Encoding.TEXT).extract(json("\"grüß\"")))
                .isEqualTo("grüß".getBytes(StandardCharsets.UTF_8));
        assertThat(
                        new String(
                                ContentSource.pointer(INLINE, Encoding.JSON)
                                        .extract(json("{ \"a\" : [1, \"x\"] }")),
                                StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":[1,\"x\"]}");
        assertThat(ContentSource.pointer(INLINE, Encoding.JSON).extract(json("\"s\"")))
                .isEqualTo("\"s\"".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "BASE64|\"not*base64\"|content at /payload/inline is not base64",
                "BASE64|\"a\"|content at /payload/inline is not base64",
                "BASE64|12|content at /payload/inline is number, not a string",
                "TEXT|{}|content at /payload/inline is object, not a string",
                "TEXT|null|value has no content at /payload/inline",
                "JSON|null|value has no content at /payload/inline"
            })
    void explainsContentItCannotUse(String encoding, String node, String reason) {
        ContentSource source = ContentSource.pointer(INLINE, Encoding.valueOf(encoding));

        assertThatThrownBy(() -> source.extract(json(node)))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessage(reason);
    }

    @Test
    void needsAJsonValueForAPointer() {
        ContentSource source = ContentSource.pointer(INLINE, Encoding.TEXT);

        assertThatThrownBy(() -> source.extract(view("{\"payload\": 1} trailing")))
                .hasMessageStartingWith("value is not JSON");
        assertThatThrownBy(() -> source.extract(view("{}")))
                .hasMessage("value has no content at /payload/inline");
        assertThatThrownBy(() -> source.extract(view(""))).hasMessage("value is empty, not JSON");
    }

    @Test
    void findsClaimChecks() throws Exception {
        ClaimCheck claimCheck = new ClaimCheck(JsonPointer.compile("/payload/s3"));

        assertThat(
                        claimCheck.find(
                                view("{\"payload\":{\"s3\":{\"bucket\":\"b\",\"key\":\"k/1\"}}}")))
                .contains(new S3Location("b", "k/1"));
        assertThat(claimCheck.find(view("{\"payload\":{\"inline\":\"AA==\"}}"))).isEmpty();
        assertThatThrownBy(() -> claimCheck.find(view("{\"payload\":{\"s3\":{\"bucket\":\"b\"}}}")))
                .hasMessage("claim check at /payload/s3 has no string \"key\"");
        assertThatThrownBy(() -> claimCheck.find(view("{\"payload\":{\"s3\":\"b/k\"}}")))
                .hasMessage("claim check at /payload/s3 is string, not an object");
    }
}
