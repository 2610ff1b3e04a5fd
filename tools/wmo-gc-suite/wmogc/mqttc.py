"""Small paho-mqtt 2.x helpers shared by the emulator's components."""
import logging
import ssl
import threading
import uuid

import paho.mqtt.client as mqtt

from .config import parse_mqtt_url

LOG = logging.getLogger('mqtt')


class Client:
    """A connected, auto-reconnecting MQTT client with subscriptions renewed on reconnect."""

    def __init__(self, url: str, name: str, subscriptions=(), on_message=None, protocol=mqtt.MQTTv5):
        self.url = url
        self.name = name
        self.subscriptions = list(subscriptions)
        self.connected = threading.Event()
        host, port, user, password, tls = parse_mqtt_url(url)
        self.c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                             client_id=f'{name}-{uuid.uuid4().hex[:8]}', protocol=protocol)
        # unbounded client queues: the performance test publishes thousands of QoS 1 messages
        self.c.max_queued_messages_set(0)
        self.c.max_inflight_messages_set(100)
        if user is not None:
            self.c.username_pw_set(user, password)
        if tls:
            self.c.tls_set(cert_reqs=ssl.CERT_NONE)
            self.c.tls_insecure_set(True)
        self.c.on_connect = self._on_connect
        self.c.on_disconnect = self._on_disconnect
        if on_message:
            self.c.on_message = on_message
        self.c.reconnect_delay_set(1, 5)
        self.host, self.port = host, port
        self.c.connect_async(host, port, keepalive=30)
        self.c.loop_start()

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            LOG.warning('%s: connect to %s refused: %s', self.name, self.host_port, reason_code)
            return
        for topic, qos in self.subscriptions:
            client.subscribe(topic, qos=qos)
        LOG.info('%s: connected to %s, subscribed %s', self.name, self.host_port,
                 [t for t, _ in self.subscriptions])
        self.connected.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.connected.clear()
        LOG.info('%s: disconnected from %s (%s)', self.name, self.host_port, reason_code)

    @property
    def host_port(self):
        return f'{self.host}:{self.port}'

    def publish(self, topic, payload, qos=1):
        return self.c.publish(topic, payload, qos=qos)

    def wait(self, timeout=10):
        return self.connected.wait(timeout)

    def close(self):
        try:
            self.c.disconnect()
        finally:
            self.c.loop_stop()
