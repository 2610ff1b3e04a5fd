package dev.millrace.streams.internal;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output that cannot be serialized, or is too large for the broker, sends its source record to
 * the dead-letter topic. A retriable send failure is retried; any other fails the thread, so that
 * the uncaught-exception policy replaces it and the transaction is redone: nothing is dropped.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception error) {
        if (error instanceof RecordTooLargeException) {
            return deadLetter(context, record.topic(), error);
        }
        return error instanceof RetriableException ? Response.retry() : Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception error,
            SerializationExceptionOrigin origin) {
        return deadLetter(context, record.topic(), error);
    }

    private Response deadLetter(ErrorHandlerContext context, String outputTopic, Exception error) {
        return Response.resume(
                DeadLetters.deadLetter(
                        log, dlqTopic, context, error, "its output to " + outputTopic + " failed"));
    }
}
