"""Harness settings: every one from an environment variable, with a loopback default.

run.sh exports them; `emulator.py env` prints the resulting environment for the suite.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent.parent


def _ids(spec: str) -> list:
    """'11-20' or '1000-1004,1010' -> [11, ..., 20]"""
    out = []
    for part in spec.split(','):
        part = part.strip()
        if not part:
            continue
        if '-' in part:
            a, b = part.split('-', 1)
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def _env(name, default):
    v = os.environ.get(name)
    return default if v is None or v == '' else v


@dataclass
class Config:
    out: Path = field(default_factory=lambda: Path(_env('WMO_GC_OUT', str(HERE / 'out'))))
    # brokers started by the emulator (mosquitto)
    gb_port: int = field(default_factory=lambda: int(_env('GB_PORT', 18830)))
    trigger_port: int = field(default_factory=lambda: int(_env('TRIGGER_PORT', 18831)))
    # the GC under test
    gc_broker: str = field(default_factory=lambda: _env('GC_BROKER_URL', _env(
        'TEST_GC_MQTT_BROKER', 'mqtt://everyone:everyone@127.0.0.1:1883')))
    gc_metrics_url: str = field(default_factory=lambda: _env('GC_METRICS_URL', 'http://127.0.0.1:8080/metrics'))
    gc_centre_id: str = field(default_factory=lambda: _env('GC_CENTRE_ID', 'millrace-global-cache'))
    gc_metrics_job: str = field(default_factory=lambda: _env('GC_METRICS_JOB', 'millrace_gc'))
    # emulated Prometheus
    prom_port: int = field(default_factory=lambda: int(_env('PROM_PORT', 19090)))
    prom_path: str = field(default_factory=lambda: _env('PROM_PATH', '/prometheus').rstrip('/'))
    prom_user: str = field(default_factory=lambda: _env('PROM_USER', 'wmo'))
    prom_password: str = field(default_factory=lambda: _env('PROM_PASSWORD', 'wmo-local'))
    scrape_interval: float = field(default_factory=lambda: float(_env('SCRAPE_INTERVAL', 5)))
    # fake WIS2 nodes: centre N serves its files on NODE_HOST_TEMPLATE.format(n=N)
    node_ids: list = field(default_factory=lambda: _ids(_env('NODE_IDS', '11-20')))
    node_host_template: str = field(default_factory=lambda: _env('NODE_HOST_TEMPLATE', '127.0.0.{n}'))
    node_scheme: str = field(default_factory=lambda: _env('NODE_SCHEME', 'http'))
    node_port: int = field(default_factory=lambda: int(_env('NODE_PORT', 443 if _env('NODE_SCHEME', 'http') == 'https' else 80)))
    bench_ids: list = field(default_factory=lambda: _ids(_env('BENCH_IDS', '1000-1004')))
    ab_args: str = field(default_factory=lambda: _env('AB_ARGS', '-r'))
    # the fake GB's checks on what it relays from the GC: drop (as the real GB), warn, off
    gb_validate: str = field(default_factory=lambda: _env('GB_VALIDATE', 'drop'))
    gb_persistence: bool = field(default_factory=lambda: _env('GB_PERSISTENCE', '1') == '1')
    sleep_factor: str = field(default_factory=lambda: _env('SLEEP_FACTOR', '1'))
    warmup_centres: list = field(default_factory=lambda: _ids(_env('WARMUP_CENTRES', '11-15')))

    @property
    def gb_url(self):
        return f'mqtt://everyone:everyone@127.0.0.1:{self.gb_port}'

    @property
    def trigger_url(self):
        return f'mqtt://configuration:configuration@127.0.0.1:{self.trigger_port}'

    @property
    def prom_url(self):
        return f'http://127.0.0.1:{self.prom_port}{self.prom_path}'

    def node_host(self, n: int) -> str:
        return self.node_host_template.format(n=n, k=n - 10)

    def node_base_url(self, n: int) -> str:
        default = 443 if self.node_scheme == 'https' else 80
        port = '' if self.node_port == default else f':{self.node_port}'
        return f'{self.node_scheme}://{self.node_host(n)}{port}'

    def suite_env(self) -> dict:
        """The environment the suite reads (real env vars win over its .env files)."""
        return {
            'GB': self.gb_url,
            'TRIGGER_BROKER': self.trigger_url,
            'TEST_GC_MQTT_BROKER': _env('TEST_GC_MQTT_BROKER', self.gc_broker),
            'PROMETHEUS_HOST': self.prom_url,
            'PROMETHEUS_USER': self.prom_user,
            'PROMETHEUS_PASSWORD': self.prom_password,
            'GC_METRICS_REPORT_BY': self.gc_centre_id,
            'GC_METRICS_JOB': self.gc_metrics_job,
            'SLEEP_FACTOR': str(self.sleep_factor),
        }

    def millrace_command(self) -> str:
        return (f'./millrace up -s wis2.upstream.urls=tcp://127.0.0.1:{self.gb_port} '
                f'-s wis2.centre-id={self.gc_centre_id}')


def parse_mqtt_url(url: str):
    """-> (host, port, username, password, tls) with the suite's rule: TLS iff port 443/8883
    (or mqtts/ssl scheme without a port)."""
    u = urlparse(url)
    tls_scheme = u.scheme in ('mqtts', 'ssl', 'tls')
    port = u.port or (8883 if tls_scheme else 1883)
    tls = port in (443, 8883) or tls_scheme
    return u.hostname, port, u.username, u.password, tls
