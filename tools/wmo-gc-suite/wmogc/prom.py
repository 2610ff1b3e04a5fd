"""A Prometheus stand-in: scrapes the GC's /metrics and answers /api/v1/query with instant-vector
selectors (the only query shape the suite sends: metric{report_by="...",job="..."}).

Like Prometheus: the scrape adds job=<GC_METRICS_JOB> and instance=<host:port>; labels the target
already has with those names become exported_job / exported_instance (honor_labels: false); a
series missing from the latest scrape is stale (absent from answers), and so is everything after a
failed scrape; `up{job=...}` says whether the last scrape worked. Basic auth is checked.
"""
import base64
import http.server
import json
import logging
import re
import threading
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

LOG = logging.getLogger('prom')

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+(-?\d+))?\s*(?:#.*)?$')
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"\s*,?')


def _unescape(v: str) -> str:
    return v.replace('\\\\', '\x00').replace('\\"', '"').replace('\\n', '\n').replace('\x00', '\\')


def parse_labels(body: str):
    """'{a="b",c="d"}' -> list of (name, op, value)"""
    body = body.strip()
    assert body.startswith('{') and body.endswith('}')
    inner, out, pos = body[1:-1], [], 0
    while pos < len(inner):
        if inner[pos:].strip() == '':
            break
        m = _LABEL.match(inner, pos)
        if not m:
            raise ValueError(f'cannot parse labels at: {inner[pos:]!r}')
        out.append((m.group(1), m.group(2), _unescape(m.group(3))))
        pos = m.end()
    return out


def parse_exposition(text: str):
    """Prometheus text format -> list of (labels dict incl. __name__, float value)"""
    samples = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        labels = {'__name__': m.group(1)}
        if m.group(2):
            for name, _op, value in parse_labels(m.group(2)):
                labels[name] = value
        try:
            value = float(m.group(3))
        except ValueError:
            continue
        samples.append((labels, value))
    return samples


def parse_selector(q: str):
    """'name{l="v",...}' | 'name' | '{__name__="x",...}' -> list of matchers"""
    q = q.strip()
    m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{.*\})?$', q, re.S)
    if not m or (not m.group(1) and not m.group(2)):
        raise ValueError(f'only instant-vector selectors are emulated, not: {q!r}')
    matchers = [('__name__', '=', m.group(1))] if m.group(1) else []
    if m.group(2):
        matchers += parse_labels(m.group(2))
    if not any(v != '' and op in ('=', '=~') for _, op, v in matchers):
        raise ValueError('vector selector must contain at least one non-empty matcher')
    return matchers


def matches(labels: dict, matchers) -> bool:
    for name, op, value in matchers:
        have = labels.get(name, '')
        if op == '=' and have != value:
            return False
        if op == '!=' and have == value:
            return False
        if op == '=~' and not re.fullmatch(value, have):
            return False
        if op == '!~' and re.fullmatch(value, have):
            return False
    return True


def fmt(v: float) -> str:
    if v != v:
        return 'NaN'
    if v in (float('inf'), float('-inf')):
        return '+Inf' if v > 0 else '-Inf'
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


class Prometheus:
    def __init__(self, cfg, changes_log):
        self.cfg = cfg
        self.changes = changes_log
        self.series = []          # latest scrape: list of (labels, value)
        self.scrape_time = 0.0
        self.up = 0
        self.lock = threading.Lock()
        self.stop_evt = threading.Event()
        u = urlparse(cfg.gc_metrics_url)
        self.instance = u.netloc
        self.prev = {}

    # --- scraping ------------------------------------------------------------------------------
    def scrape_once(self):
        t = time.time()
        try:
            with urllib.request.urlopen(self.cfg.gc_metrics_url, timeout=10) as r:
                text = r.read().decode('utf-8', errors='replace')
            samples = parse_exposition(text)
            up = 1
        except Exception as e:
            if self.up:
                LOG.warning('scrape of %s failed: %s (all series stale)', self.cfg.gc_metrics_url, e)
            samples, up = [], 0
        out = []
        for labels, value in samples:
            for reserved in ('job', 'instance'):
                if reserved in labels:
                    labels['exported_' + reserved] = labels.pop(reserved)
            labels['job'] = self.cfg.gc_metrics_job
            labels['instance'] = self.instance
            out.append((labels, value))
        out.append(({'__name__': 'up', 'job': self.cfg.gc_metrics_job, 'instance': self.instance}, float(up)))
        if up and not self.up:
            LOG.info('scraping %s every %ss (job=%s)', self.cfg.gc_metrics_url, self.cfg.scrape_interval,
                     self.cfg.gc_metrics_job)
        with self.lock:
            self.series, self.scrape_time, self.up = out, t, up
        # log every change of a wmo_wis2_gc_* series (observation aid)
        cur = {json.dumps(sorted(l.items())): v for l, v in out if l['__name__'].startswith('wmo_wis2_gc_')}
        for k, v in cur.items():
            if self.prev.get(k) != v:
                self.changes.write({'t': t, 'series': dict(json.loads(k)), 'old': self.prev.get(k), 'new': v})
        for k in set(self.prev) - set(cur):
            if up:
                self.changes.write({'t': t, 'series': dict(json.loads(k)), 'old': self.prev[k], 'new': None})
        if up:
            self.prev = cur

    def scrape_loop(self):
        while not self.stop_evt.is_set():
            self.scrape_once()
            self.stop_evt.wait(self.cfg.scrape_interval)

    def query(self, q: str):
        matchers = parse_selector(q)
        with self.lock:
            series, t = self.series, self.scrape_time
        return [{'metric': dict(l), 'value': [round(t, 3), fmt(v)]} for l, v in series if matches(l, matchers)]

    # --- HTTP API -------------------------------------------------------------------------------
    def start(self):
        prom = self
        prefix = self.cfg.prom_path
        expected = 'Basic ' + base64.b64encode(f'{self.cfg.prom_user}:{self.cfg.prom_password}'.encode()).decode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _reply(self, code, obj, ctype='application/json'):
                body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
                self.send_response(code)
                self.send_header('Content-Type', ctype)
                self.send_header('Content-Length', str(len(body)))
                if code == 401:
                    self.send_header('WWW-Authenticate', 'Basic realm="prometheus"')
                self.end_headers()
                self.wfile.write(body)

            def _handle(self, params):
                path = urlparse(self.path).path
                if prefix and path.startswith(prefix):
                    path = path[len(prefix):] or '/'
                if self.headers.get('Authorization') != expected:
                    return self._reply(401, b'Unauthorized\n', 'text/plain')
                if path in ('/', '/-/healthy', '/-/ready'):
                    return self._reply(200, b'Prometheus (wmo-gc-suite emulation) is Healthy.\n', 'text/plain')
                if path != '/api/v1/query':
                    return self._reply(404, {'status': 'error', 'errorType': 'not_found', 'error': path})
                q = (params.get('query') or [''])[0]
                try:
                    result = prom.query(q)
                except ValueError as e:
                    LOG.warning('query %r: %s', q, e)
                    return self._reply(400, {'status': 'error', 'errorType': 'bad_data', 'error': str(e)})
                LOG.debug('query %s -> %d series', q, len(result))
                self._reply(200, {'status': 'success', 'data': {'resultType': 'vector', 'result': result}})

            def do_GET(self):
                self._handle(parse_qs(urlparse(self.path).query))

            def do_POST(self):
                n = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(n).decode()
                params = parse_qs(urlparse(self.path).query)
                params.update(parse_qs(body))
                self._handle(params)

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', self.cfg.prom_port), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, name='prom-http', daemon=True).start()
        threading.Thread(target=self.scrape_loop, name='prom-scrape', daemon=True).start()
        LOG.info('Prometheus API on %s (basic auth %s:***)', self.cfg.prom_url, self.cfg.prom_user)

    def stop(self):
        self.stop_evt.set()
        self.httpd.shutdown()
        self.httpd.server_close()
