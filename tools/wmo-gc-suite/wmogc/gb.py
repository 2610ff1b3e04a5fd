"""The fake dev Global Broker's two jobs besides being a broker:

* GcRelay: subscribe to the GC's broker on cache/a/wis2/# and republish every message on the GB
  unchanged (same topic, same payload bytes, so same id), after the checks the real GB makes:
  topic hierarchy, WNM schema, and anti-loop (an id already relayed is dropped).
* Recorder: log every origin/cache message seen on the GB (for latency and observation).
"""
import json
import logging
import threading
import time
from pathlib import Path

from .mqttc import Client

LOG = logging.getLogger('gb')


def load_validator():
    from jsonschema.validators import Draft202012Validator
    candidates = [Path.home() / '.pywis-pubsub/wis2-notification-message/wis2-notification-message-bundled.json',
                  Path(__file__).resolve().parent.parent / 'src/wis2-notification-message/schemas/wis2-notification-message-bundled.json']
    for p in candidates:
        if p.exists():
            return Draft202012Validator(json.loads(p.read_text()))
    LOG.warning('no WNM schema found; the GB relay will not validate')
    return None


def summary(msg: dict) -> dict:
    props = msg.get('properties') or {}
    return {
        'id': msg.get('id'),
        'data_id': props.get('data_id'),
        'pubtime': props.get('pubtime'),
        'cache': props.get('cache'),
        'global-cache': props.get('global-cache'),
        'content': bool(props.get('content')),
        'links': [(l.get('rel'), l.get('href'), l.get('length')) for l in msg.get('links') or [] if isinstance(l, dict)],
    }


class JsonlLog:
    def __init__(self, path: Path):
        self.f = open(path, 'a', buffering=1)
        self.lock = threading.Lock()

    def write(self, rec: dict):
        with self.lock:
            self.f.write(json.dumps(rec, default=str) + '\n')


class GcRelay:
    def __init__(self, cfg, traffic: JsonlLog):
        self.cfg = cfg
        self.traffic = traffic
        self.validator = load_validator() if cfg.gb_validate != 'off' else None
        self.seen = {}  # id -> time relayed (anti-loop)
        self.lock = threading.Lock()
        self.relayed = self.dropped = 0

    def start(self):
        self.gb = Client(self.cfg.gb_url, 'fake-gb-relay-pub')
        self.gc = Client(self.cfg.gc_broker, 'fake-gb-relay-sub', subscriptions=[('cache/a/wis2/#', 1)],
                         on_message=self.on_message)
        LOG.info('GB relay: %s cache/a/wis2/# -> GB 127.0.0.1:%s (checks: %s)',
                 self.cfg.gc_broker.split('@')[-1], self.cfg.gb_port, self.cfg.gb_validate)

    def check(self, topic, payload):
        """-> reason to drop, or None"""
        levels = topic.split('/')
        if len(levels) < 6 or levels[:3] != ['cache', 'a', 'wis2'] or levels[4] not in ('data', 'metadata'):
            return f'topic not in the WIS2 topic hierarchy: {topic}'
        try:
            msg = json.loads(payload)
        except ValueError as e:
            return f'not JSON: {e}'
        if not isinstance(msg, dict):
            return 'not a JSON object'
        if self.validator is not None:
            errors = [f'{e.json_path}: {e.message}' for e in self.validator.iter_errors(msg)]
            if errors:
                return 'WNM schema: ' + '; '.join(errors[:5])
        mid = msg.get('id')
        now = time.time()
        with self.lock:
            if mid in self.seen and now - self.seen[mid] < 24 * 3600:
                return f'anti-loop: id {mid} already relayed'
            self.seen[mid] = now
        return None

    def on_message(self, client, userdata, m):
        reason = self.check(m.topic, m.payload) if self.cfg.gb_validate != 'off' else None
        rec = {'t': time.time(), 'event': 'gc->gb', 'topic': m.topic}
        try:
            rec.update(summary(json.loads(m.payload)))
        except Exception:
            pass
        if reason and self.cfg.gb_validate == 'drop':
            self.dropped += 1
            rec['dropped'] = reason
            LOG.warning('GB relay DROPPED a GC message (%s): %s', reason, m.payload[:300])
            self.traffic.write(rec)
            return
        if reason:
            rec['warning'] = reason
            LOG.warning('GB relay: GC message fails a GB check (%s), relayed anyway', reason)
        self.gb.publish(m.topic, m.payload, qos=1)  # payload bytes unchanged
        self.relayed += 1
        self.traffic.write(rec)

    def stop(self):
        for c in (getattr(self, 'gc', None), getattr(self, 'gb', None)):
            if c:
                c.close()


class Recorder:
    """Everything on the GB's origin/ and cache/ trees, as the suite's subscriber sees it."""

    def __init__(self, cfg, traffic: JsonlLog):
        self.cfg, self.traffic = cfg, traffic

    def start(self):
        self.c = Client(self.cfg.gb_url, 'fake-gb-recorder',
                        subscriptions=[('origin/a/wis2/#', 1), ('cache/a/wis2/#', 1)],
                        on_message=self.on_message)

    def on_message(self, client, userdata, m):
        rec = {'t': time.time(), 'event': 'gb', 'topic': m.topic}
        try:
            rec.update(summary(json.loads(m.payload)))
        except Exception as e:
            rec['unparsable'] = str(e)
        self.traffic.write(rec)

    def stop(self):
        self.c.close()
