package dev.millrace.streams.internal;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record that does not deserialize goes to the dead-letter topic; processing continues. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log =
            LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception error) {
        return Response.resume(
                DeadLetters.deadLetter(log, dlqTopic, context, error, "does not deserialize"));
    }
}
