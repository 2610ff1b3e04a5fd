"""Fake WIS2 nodes io-wis2dev-N-test (datatest, wnmtest) and ab bench nodes, driven by triggers.

Behaviour follows the fake-node manual ("Activating the tests on the fake WIS2 Nodes") and the
deployed configuration.yml of wis2-global-services-testing; the node's own source is not public,
so details it leaves open are chosen here and listed in README.md.
"""
import base64
import hashlib
import http.server
import json
import logging
import math
import os
import random
import shlex
import signal
import ssl
import subprocess
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from .gb import JsonlLog
from .mqttc import Client

LOG = logging.getLogger('nodes')

# deployed fake-node configuration.yml defaults
NODE_DEFAULTS = {
    'delay': 1000, 'size_min': 512, 'size_max': 5_000_000, 'skew': 10,
    'cache_large_files': False, 'cache_size_max': 1_000_000, 'store_duration': 3600,
    'embed_data': True, 'embed_size_max': 4096,
}
TOPIC = 'origin/a/wis2/{centre}/data/core/weather/surface-based-observations/synop'
EXTERNAL_HREF = 'https://www.example.org/random'


def now_rfc3339():
    return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'


def b64sha512(data: bytes) -> str:
    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def skewed_size(lo: int, hi: int, skew: float) -> int:
    """The fake node's size generator is not public. This is the widely copied "randn_bm(min, max,
    skew)" (Box-Muller normal around 0.5, sd 0.1, resampled into [0, 1], raised to the power
    `skew`): skew 1 is a bell curve mid-range, larger values crowd sizes towards the minimum
    (default skew 10 over 512 B..5 MB gives a few kB, rarely above 100 kB); 0 is taken as 1 and a
    negative skew mirrors it towards the maximum."""
    if hi <= lo:
        return int(lo)
    while True:
        u, v = 1.0 - random.random(), random.random()
        num = math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v) / 10.0 + 0.5
        if 0.0 <= num <= 1.0:
            break
    if skew > 0:
        x = num ** skew
    elif skew < 0:
        x = 1.0 - (1.0 - num) ** (-skew)
    else:
        x = num
    return int(round(lo + x * (hi - lo)))


def random_geometry():
    kind = random.choice(['null', 'Point', 'Polygon'])
    if kind == 'null':
        return None
    lon, lat = round(random.uniform(-170, 170), 4), round(random.uniform(-80, 80), 4)
    if kind == 'Point':
        return {'type': 'Point', 'coordinates': [lon, lat]}
    return {'type': 'Polygon', 'coordinates': [[[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]]}


def as_int(v, default):
    if v is None:
        return default
    return int(float(v))


class DataServer:
    """A node's HTTP(S) server: GET /storage/files/<name> (the real node's traefik strips /storage
    and caddy serves /srv/files)."""

    def __init__(self, cfg, n: int, files: Path, reqlog: JsonlLog):
        self.cfg, self.n, self.files, self.reqlog = cfg, n, files, reqlog
        files.mkdir(parents=True, exist_ok=True)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            server_version = f'fake-wis2-node/{n}'

            def log_message(self, *a):
                pass

            def _serve(self, body: bool):
                path = self.path.split('?', 1)[0]
                status, data = 404, b'not found\n'
                if path.startswith('/storage/files/') and '/' not in path[len('/storage/files/'):]:
                    f = outer.files / path[len('/storage/files/'):]
                    if f.is_file():
                        status, data = 200, f.read_bytes()
                self.send_response(status)
                self.send_header('Content-Type', 'application/octet-stream' if status == 200 else 'text/plain')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                if body:
                    self.wfile.write(data)
                outer.reqlog.write({'t': time.time(), 'node': n, 'method': self.command, 'path': path,
                                    'status': status, 'bytes': len(data), 'client': self.client_address[0],
                                    'ua': self.headers.get('User-Agent')})

            def do_GET(self):
                self._serve(True)

            def do_HEAD(self):
                self._serve(False)

        host = cfg.node_host(n)
        for attempt in range(30):  # a previous emulator may still be letting go of the port
            try:
                self.httpd = http.server.ThreadingHTTPServer((host, cfg.node_port), Handler)
                break
            except OSError as e:
                if attempt == 29:
                    raise SystemExit(f'cannot serve {host}:{cfg.node_port} for node {n}: {e}')
                time.sleep(0.5)
        self.httpd.daemon_threads = True
        if cfg.node_scheme == 'https':
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            pki = Path(__file__).resolve().parent.parent / 'pki'
            ctx.load_cert_chain(pki / 'node.crt', pki / 'node.key')
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        threading.Thread(target=self.httpd.serve_forever, name=f'http-{n}', daemon=True).start()
        LOG.info('node %s data server %s/storage/files/ -> %s', n, cfg.node_base_url(n), files)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeNode:
    def __init__(self, cfg, n: int, files: Path, publog: JsonlLog, reqlog: JsonlLog):
        self.cfg, self.n, self.files, self.publog = cfg, n, files, publog
        self.centre = f'io-wis2dev-{n}-test'
        self.server = DataServer(cfg, n, files, reqlog)
        # the node publishes on "its own broker"; here straight onto the fake GB
        self.mqtt = Client(cfg.gb_url, self.centre)

    # --- message construction ------------------------------------------------------------------
    def build(self, scenario: str, setup: dict, wnm: dict, seq: int):
        conf = dict(NODE_DEFAULTS)
        for k in ('size_min', 'size_max', 'skew', 'embed_data', 'cache_large_files', 'cache_size_max'):
            if k in setup:
                conf[k] = setup[k]
        now = now_rfc3339()
        wprops = dict(wnm.get('properties') or {})
        link_override = wnm.get('links') if wnm.get('links') is not None else wprops.get('links')
        data = None
        if scenario == 'datatest':
            size = skewed_size(as_int(conf['size_min'], 512), as_int(conf['size_max'], 5_000_000), float(conf['skew']))
            data = os.urandom(size)
            name = f'{self.centre}_{datetime.now(timezone.utc):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:12]}.bin'
            href = f'{self.cfg.node_base_url(self.n)}/storage/files/{name}'
            link = {'href': href, 'rel': 'canonical', 'type': 'application/octet-stream', 'length': size}
            integrity = {'method': 'sha512', 'value': b64sha512(data)}
        else:  # wnmtest: a notification only, no data file
            size, name = None, None
            link = {'href': EXTERNAL_HREF, 'rel': 'canonical'}
            integrity = {'method': 'sha512', 'value': b64sha512(os.urandom(64))}

        msg = {
            'id': str(uuid.uuid4()),
            'conformsTo': ['http://wis.wmo.int/spec/wnm/1/conf/core'],
            'type': 'Feature',
            'geometry': random_geometry(),
            'properties': {
                'data_id': f'{self.centre}/data/core/weather/surface-based-observations/synop/{uuid.uuid4().hex}',
                'metadata_id': f'urn:wmo:md:{self.centre}:surface-based-observations.synop',
                'pubtime': now,
                'datetime': now,
                'integrity': integrity,
            },
            'links': [link],
        }
        props = msg['properties']
        if data is not None and conf['embed_data'] and conf['embed_data'] != 'false':
            enc = base64.b64encode(data).decode()
            if len(enc) <= int(conf['embed_size_max']):
                props['content'] = {'encoding': 'base64', 'value': enc, 'size': size}
        if data is not None and 'cache' not in wprops and size > int(conf['cache_size_max']) \
                and not conf['cache_large_files']:
            props['cache'] = False

        # configuration.wnm overrides: false = leave the key out (or make it wrong), a value = use it
        for key in ('id', 'conformsTo', 'type', 'geometry'):
            if key in wnm:
                if wnm[key] is False:
                    msg.pop(key, None)
                else:
                    msg[key] = wnm[key]
        for key, val in wprops.items():
            if key == 'links':
                continue
            if key == 'cache':            # a boolean copied as is (cache: false is a directive)
                props['cache'] = val
            elif key == 'integrity':
                if val is False:
                    props.pop('integrity', None)
                elif isinstance(val, dict):
                    for ik, iv in val.items():
                        if iv is False:
                            props['integrity'].pop(ik, None)
                        else:
                            props['integrity'][ik] = iv
            elif key == 'size':           # size: false -> embedded content.size inconsistent
                if val is False and 'content' in props:
                    props['content']['size'] = props['content']['size'] + 1
            elif val is False:
                props.pop(key, None)
            else:
                props[key] = val
        if link_override:
            lo = link_override[0] if isinstance(link_override, list) else link_override
            for lk, lv in (lo or {}).items():
                if lv is False:
                    if lk == 'length' and size is not None:
                        link['length'] = size + 1   # wrong length
                    else:
                        link.pop(lk, None)
                else:
                    link[lk] = lv
            if 'href' in lo and lo['href'] and (name is None or not str(lo['href']).endswith(name)) \
                    and 'length' not in lo:
                link.pop('length', None)           # an external href: no length
        if data is not None:
            (self.files / name).write_bytes(data)  # the file is there before the notification
        topic = setup.get('topic') or TOPIC.format(centre=self.centre)
        mix = setup.get('cache_a_wis2')
        if mix == 'only' or (mix == 'mix' and seq % 2 == 1):
            topic = 'cache' + topic[topic.index('/'):]
        return topic, msg, size

    def run(self, scenario: str, setup: dict, wnm: dict):
        number = max(1, as_int(setup.get('number'), 1))
        delay = as_int(setup.get('delay'), NODE_DEFAULTS['delay']) / 1000.0
        self.mqtt.wait(10)
        t0 = time.time()
        for i in range(number):
            if i:
                # keep the cadence (a slow file write does not stretch the run)
                time.sleep(max(0.0, t0 + i * delay - time.time()))
            try:
                topic, msg, size = self.build(scenario, setup, wnm, i)
            except Exception:
                LOG.exception('node %s: cannot build message %s', self.n, i)
                continue
            payload = json.dumps(msg)
            self.mqtt.publish(topic, payload, qos=1)
            p = msg.get('properties', {})
            self.publog.write({'t': time.time(), 'node': self.n, 'scenario': scenario, 'seq': i, 'topic': topic,
                               'id': msg.get('id'), 'data_id': p.get('data_id'), 'pubtime': p.get('pubtime'),
                               'size': size, 'embedded': 'content' in p, 'cache': p.get('cache'),
                               'links': [(l.get('rel'), l.get('href')) for l in msg.get('links', [])]})
        LOG.info('node %s: %s done, %s message(s)', self.n, scenario, number)

    def cleanup(self, max_age):
        cutoff = time.time() - max_age
        for f in self.files.iterdir():
            try:
                if f.stat().st_mtime < cutoff:
                    f.unlink()
            except FileNotFoundError:
                pass


class BenchNode:
    """io-wis2dev-<id>-test bench node: runs ApacheBench and reports on result/a/wis2/..."""

    def __init__(self, cfg, n: int, trigger: Client, resultlog: JsonlLog):
        self.cfg, self.n, self.trigger, self.resultlog = cfg, n, trigger, resultlog
        self.proc = None
        self.lock = threading.Lock()

    def topic(self):
        return f'result/a/wis2/io-wis2dev-{self.n}-test/ab'

    def start(self, setup: dict):
        url = setup.get('url')
        conc = max(1, as_int(setup.get('concurrent'), 1))
        number = max(conc, as_int(setup.get('number'), 1))
        timeout = as_int(setup.get('timeout'), 180)
        cmd = ['ab'] + shlex.split(self.cfg.ab_args) + ['-c', str(conc), '-n', str(number), str(url)]
        with self.lock:
            if self.proc and self.proc.poll() is None:
                LOG.warning('bench %s: ab already running, ignoring start', self.n)
                return
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        t0 = time.time()
        self.trigger.publish(self.topic(), json.dumps({'centreid': self.n, 'scenario': 'ab', 'status': 'started',
                                                       'command': ' '.join(cmd)}), qos=1)
        LOG.info('bench %s: %s', self.n, ' '.join(cmd))
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGINT)  # ab prints what it has on SIGINT
            out, err = self.proc.communicate()
        rc = self.proc.returncode
        self.resultlog.write({'t': time.time(), 'bench': self.n, 'cmd': cmd, 'rc': rc, 'seconds': time.time() - t0,
                              'stdout': out, 'stderr': err})
        LOG.info('bench %s: ab exit %s after %.1f s%s', self.n, rc, time.time() - t0,
                 f'; stderr: {err.strip()[:300]}' if err.strip() else '')
        self.trigger.publish(self.topic(), out or err or 'ApacheBench produced no output', qos=1)  # the raw output

    def stop(self):
        with self.lock:
            if self.proc and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGINT)


class Nodes:
    def __init__(self, cfg):
        self.cfg = cfg
        out = cfg.out
        self.publog = JsonlLog(out / 'node-publications.jsonl')
        self.reqlog = JsonlLog(out / 'node-http-requests.jsonl')
        self.resultlog = JsonlLog(out / 'bench-results.jsonl')
        self.files_root = out / 'node-files'

    def start(self):
        self.nodes = {n: FakeNode(self.cfg, n, self.files_root / f'node-{n}', self.publog, self.reqlog)
                      for n in self.cfg.node_ids}
        # fake nodes subscribe to config/a/wis2/#, bench nodes to config/#: one subscription serves both
        self.trigger = Client(self.cfg.trigger_url, 'fake-nodes', subscriptions=[('config/#', 1)],
                              on_message=self.on_trigger)
        self.bench = {n: BenchNode(self.cfg, n, self.trigger, self.resultlog) for n in self.cfg.bench_ids}
        threading.Thread(target=self._janitor, daemon=True).start()

    def _janitor(self):
        while True:
            time.sleep(60)
            for node in self.nodes.values():
                node.cleanup(NODE_DEFAULTS['store_duration'])

    @staticmethod
    def targets(setup: dict, ids):
        if 'centreid' in setup:
            lo = hi = as_int(setup['centreid'], -1)
        else:
            lo, hi = as_int(setup.get('centreid_min'), -1), as_int(setup.get('centreid_max'), -2)
        return [n for n in ids if lo <= n <= hi]

    def on_trigger(self, client, userdata, m):
        try:
            trig = json.loads(m.payload)
            scenario = trig['scenario']
            conf = trig.get('configuration') or {}
            setup, wnm = conf.get('setup') or {}, conf.get('wnm') or {}
        except Exception as e:
            LOG.warning('trigger on %s is not usable (%s): %r', m.topic, e, m.payload[:200])
            return
        LOG.info('trigger on %s: %s', m.topic, m.payload.decode(errors='replace')[:500])
        if scenario in ('datatest', 'wnmtest'):
            if not m.topic.startswith('config/a/wis2'):
                return
            for n in self.targets(setup, self.nodes):
                threading.Thread(target=self.nodes[n].run, args=(scenario, setup, wnm),
                                 name=f'{scenario}-{n}', daemon=True).start()
        elif scenario == 'ab':
            action = setup.get('action', 'start')
            for n in self.targets(setup, self.bench):
                if action == 'stop':
                    self.bench[n].stop()
                else:
                    threading.Thread(target=self.bench[n].start, args=(setup,), name=f'ab-{n}', daemon=True).start()
        else:
            LOG.warning('scenario %s is not emulated (the GC suite does not use it)', scenario)

    def stop(self):
        self.trigger.close()
        for b in self.bench.values():
            b.stop()
        stoppers = [threading.Thread(target=node.server.stop) for node in self.nodes.values()]
        for t in stoppers:
            t.start()
        for node in self.nodes.values():
            node.mqtt.close()
        for t in stoppers:
            t.join(5)
