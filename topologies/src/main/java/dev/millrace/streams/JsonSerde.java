package dev.millrace.streams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.millrace.json.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * UTF-8 JSON for one record type, through the shared {@link Json} mapper. A value that does not
 * parse raises {@link SerializationException}, which the runner's deserialization handler sends to
 * the dead-letter topic with its reason.
 */
public final class JsonSerde<T> implements Serde<T> {
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    private JsonSerde(Class<T> type) {
        ObjectMapper mapper = Json.mapper();
        ObjectWriter writer = mapper.writerFor(type);
        ObjectReader reader = mapper.readerFor(type);
        this.serializer =
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    try {
                        return writer.writeValueAsBytes(value);
                    } catch (IOException e) {
                        throw new SerializationException(
                                "cannot write "
                                        + type.getSimpleName()
                                        + " as JSON: "
                                        + e.getMessage(),
                                e);
                    }
                };
        this.deserializer =
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return reader.readValue(bytes);
                    } catch (IOException e) {
                        throw new SerializationException(
                                "not a valid " + type.getSimpleName() + " JSON value: " + reason(e),
                                e);
                    }
                };
    }

    private static String reason(IOException e) {
        return e instanceof JsonProcessingException json
                ? json.getOriginalMessage()
                : e.getMessage();
    }

    public static <T> JsonSerde<T> of(Class<T> type) {
        return new JsonSerde<>(type);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
