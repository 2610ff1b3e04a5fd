package dev.millrace.connect.mqtt.internal;

import dev.millrace.connect.mqtt.MqttBroker;

/**
 * A message as the source received it, not yet acknowledged to the broker.
 *
 * @param acknowledgement sends the MQTT acknowledgement; run it only once Kafka has the record
 */
public record MqttDelivery(
        MqttBroker broker,
        String topic,
        byte[] payload,
        int qos,
        long receivedMs,
        Runnable acknowledgement) {}
