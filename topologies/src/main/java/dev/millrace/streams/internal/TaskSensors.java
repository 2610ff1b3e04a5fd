package dev.millrace.streams.internal;

import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/** The counters a processor keeps of what it drops or sends aside, per task. */
public final class TaskSensors {
    private TaskSensors() {}

    /**
     * A rate-and-total sensor of the processor's task, reported as {@code <operation>-total} and
     * {@code <operation>-rate}; remove it when the processor closes.
     */
    public static Sensor rateTotal(ProcessorContext<?, ?> context, String scope, String operation) {
        return context.metrics()
                .addRateTotalSensor(
                        scope, context.taskId().toString(), operation, Sensor.RecordingLevel.INFO);
    }
}
