package dev.millrace.deadletter;

import java.util.Map;

/**
 * Where a dead letter came from and why, read from its headers: those a topology or a Flink job
 * writes ({@link DeadLetterHeaders}, Kafka Streams' names), those Kafka Connect writes for a sink
 * connector's errant record ({@code __connect.errors.*}), or the MQTT source's reason for a message
 * it could not map ({@link #MQTT_ERROR}; such a letter has no source topic).
 *
 * @param sourcePartition -1 when the headers do not say
 * @param sourceOffset -1 when the headers do not say
 */
public record DeadLetter(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String exception,
        String reason) {
    /** The MQTT source connector's header with the reason a message went to the dead letters. */
    public static final String MQTT_ERROR = "mqtt.error";

    private static final String STREAMS_PREFIX = "__streams.errors.";
    private static final String CONNECT_PREFIX = "__connect.errors.";
    private static final String CONNECT_TOPIC = CONNECT_PREFIX + "topic";
    private static final String CONNECT_PARTITION = CONNECT_PREFIX + "partition";
    private static final String CONNECT_OFFSET = CONNECT_PREFIX + "offset";
    private static final String CONNECT_EXCEPTION = CONNECT_PREFIX + "exception.class.name";
    private static final String CONNECT_MESSAGE = CONNECT_PREFIX + "exception.message";

    /** The dead letter that {@code headers} (name to UTF-8 text) describe. */
    public static DeadLetter from(Map<String, String> headers) {
        if (headers.containsKey(MQTT_ERROR)) {
            return new DeadLetter("", -1, -1, "", headers.get(MQTT_ERROR));
        }
        boolean connect = !headers.containsKey(DeadLetterHeaders.TOPIC);
        return new DeadLetter(
                headers.getOrDefault(connect ? CONNECT_TOPIC : DeadLetterHeaders.TOPIC, ""),
                (int)
                        number(
                                headers.get(
                                        connect ? CONNECT_PARTITION : DeadLetterHeaders.PARTITION)),
                number(headers.get(connect ? CONNECT_OFFSET : DeadLetterHeaders.OFFSET)),
                headers.getOrDefault(connect ? CONNECT_EXCEPTION : DeadLetterHeaders.EXCEPTION, ""),
                headers.getOrDefault(
                        connect ? CONNECT_MESSAGE : DeadLetterHeaders.MESSAGE,
                        "(no reason given)"));
    }

    /**
     * Whether a header was added by dead-lettering (and is dropped when the record goes back to its
     * source topic).
     */
    public static boolean isDeadLetterHeader(String name) {
        return name.startsWith(STREAMS_PREFIX)
                || name.startsWith(CONNECT_PREFIX)
                || name.equals(MQTT_ERROR);
    }

    /** Whether the headers say which topic the record came from. */
    public boolean hasSource() {
        return !sourceTopic.isEmpty();
    }

    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
