#!/usr/bin/env python3
"""Local stand-in for the WMO infrastructure the WIS2 Global Cache test suite talks to.

  emulator.py run       start everything (foreground until SIGINT/SIGTERM)
  emulator.py env       print the suite's environment (export lines)
  emulator.py warmup    one successful datatest per centre (contradiction C1), then wait for a scrape
  emulator.py wait-gc   wait until the GC's /metrics and MQTT broker answer
  emulator.py report    summarise out/*.jsonl: per data_id, node publish -> GB origin -> GB cache

Settings are environment variables (wmogc/config.py); README.md lists them.
"""
import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wmogc.config import Config  # noqa: E402


def setup_logging(cfg, name):
    cfg.out.mkdir(parents=True, exist_ok=True)
    fmt = '%(asctime)s %(levelname)s %(name)s: %(message)s'
    handlers = [logging.FileHandler(cfg.out / f'{name}.log'), logging.StreamHandler(sys.stderr)]
    handlers[1].setLevel(logging.INFO)
    logging.basicConfig(level=logging.DEBUG if os.environ.get('EMU_DEBUG') else logging.INFO,
                        format=fmt, handlers=handlers)


def cmd_run(cfg):
    from wmogc.brokers import Mosquitto
    from wmogc.gb import GcRelay, JsonlLog, Recorder
    from wmogc.nodes import Nodes
    from wmogc.prom import Prometheus

    setup_logging(cfg, 'emulator')
    log = logging.getLogger('emulator')
    rundir = cfg.out / 'run'
    rundir.mkdir(parents=True, exist_ok=True)
    ready = cfg.out / 'emulator.ready'
    ready.unlink(missing_ok=True)
    traffic = JsonlLog(cfg.out / 'gb-traffic.jsonl')
    changes = JsonlLog(cfg.out / 'metrics-changes.jsonl')

    parts = []
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    try:
        for p in (Mosquitto('trigger', cfg.trigger_port, rundir), Mosquitto('gb', cfg.gb_port, rundir, persist=cfg.gb_persistence)):
            p.start()
            parts.append(p)
        for p in (Recorder(cfg, traffic), GcRelay(cfg, traffic), Nodes(cfg), Prometheus(cfg, changes)):
            p.start()
            parts.append(p)
        ready.write_text(json.dumps({'pid': os.getpid(), 'env': cfg.suite_env()}))
        log.info('emulator ready. GC upstream: tcp://127.0.0.1:%s  start the GC with:\n    %s',
                 cfg.gb_port, cfg.millrace_command())
        stop.wait()
    finally:
        log.info('stopping')
        ready.unlink(missing_ok=True)
        for p in reversed(parts):
            try:
                p.stop()
            except Exception as e:  # keep stopping the rest
                log.warning('stopping %s: %s', type(p).__name__, e)


def cmd_env(cfg):
    for k, v in cfg.suite_env().items():
        print(f"export {k}='{v}'")


def cmd_warmup(cfg, timeout):
    """Contradiction C1: test_cache_false_directive wants status_flag{node 13} unchanged and
    test_wnm_deduplication_alt_2 wants it == 1, so it must be 1 before the session. One good
    datatest per centre, as the real nodes' history gives a long-running GC."""
    from wmogc.mqttc import Client
    setup_logging(cfg, 'warmup')
    log = logging.getLogger('warmup')
    got, lock = {}, threading.Lock()

    def on_msg(client, userdata, m):
        try:
            d = json.loads(m.payload)['properties']['data_id']
        except Exception:
            return
        with lock:
            got.setdefault(d, {})[m.topic.split('/')[0]] = time.time()

    gb = Client(cfg.gb_url, 'warmup-sub', subscriptions=[('origin/a/wis2/#', 1), ('cache/a/wis2/#', 1)],
                on_message=on_msg)
    trig = Client(cfg.trigger_url, 'warmup-trigger')
    if not (gb.wait(10) and trig.wait(10)):
        log.error('cannot connect to the emulated brokers; is the emulator running?')
        return 2
    time.sleep(1)
    want = {}
    t0 = time.time()
    for c in cfg.warmup_centres:
        d = f'warmup_gc_test_centre_{c}_{uuid.uuid4().hex[:16]}'
        want[d] = c
        trig.publish(f'config/a/wis2/gc_test_centre_{c}', json.dumps({
            'scenario': 'datatest', 'configuration': {
                'setup': {'centreid': c, 'number': 1, 'size_min': 4096, 'size_max': 8192},
                'wnm': {'properties': {'data_id': d}}}}), qos=1)
    while time.time() - t0 < timeout:
        with lock:
            done = [d for d in want if 'cache' in got.get(d, {})]
        if len(done) == len(want):
            break
        time.sleep(0.5)
    ok = True
    for d, c in want.items():
        g = got.get(d, {})
        if 'cache' in g:
            log.info('centre %s: cached %.1f s after the trigger', c, g['cache'] - t0)
        else:
            ok = False
            log.error('centre %s: %s', c, 'origin seen, no cache message' if 'origin' in g else 'no origin message')
    gb.close()
    trig.close()
    if not ok:
        return 1
    wait = 2 * cfg.scrape_interval + 1
    log.info('waiting %.0f s for the emulated Prometheus to scrape the result', wait)
    time.sleep(wait)
    return 0


def cmd_wait_gc(cfg, timeout):
    """Wait until the GC's metrics endpoint answers and its broker accepts an MQTT connection."""
    import urllib.request
    from wmogc.mqttc import Client
    t0, last = time.time(), 0
    while time.time() - t0 < timeout:
        problems = []
        try:
            with urllib.request.urlopen(cfg.gc_metrics_url, timeout=5) as r:
                r.read()
        except Exception as e:
            problems.append(f'metrics {cfg.gc_metrics_url}: {e}')
        if not problems:
            c = Client(cfg.gc_broker, 'wait-gc')
            ok = c.wait(5)
            c.close()
            if ok:
                print(f'GC is up: {cfg.gc_metrics_url} answers, broker {cfg.gc_broker.split("@")[-1]} accepts MQTT',
                      flush=True)
                return 0
            problems.append(f'broker {cfg.gc_broker.split("@")[-1]}: no MQTT connection')
        if time.time() - last > 30:
            last = time.time()
            print(f'waiting for the GC ({int(time.time() - t0)} s): {"; ".join(problems)}\n'
                  f'  start it with: {cfg.millrace_command()}', flush=True)
        time.sleep(2)
    return 1


def cmd_report(cfg, since):
    """Per data_id: node publish -> origin on GB -> cache on GB; plus the metric changes."""
    def load(name):
        p = cfg.out / name
        if not p.exists():
            return []
        return [r for r in (json.loads(x) for x in p.read_text().splitlines() if x.strip()) if r.get('t', 0) >= since]

    pubs, gb = load('node-publications.jsonl'), load('gb-traffic.jsonl')
    first = defaultdict(dict)
    for r in pubs:
        first[r['data_id']].setdefault('pub', r['t'])
        first[r['data_id']].setdefault('node', r['node'])
        first[r['data_id']]['npub'] = first[r['data_id']].get('npub', 0) + 1
    for r in gb:
        if r.get('event') != 'gb' or not r.get('data_id'):
            continue
        kind = r['topic'].split('/')[0]
        first[r['data_id']].setdefault(kind, r['t'])
        first[r['data_id']]['n' + kind] = first[r['data_id']].get('n' + kind, 0) + 1
    print(f"{'data_id':60} node  pubs origin cache  pub->cache(s)")
    for d, v in sorted(first.items(), key=lambda kv: kv[1].get('pub', 0)):
        lat = f"{v['cache'] - v['pub']:.2f}" if 'cache' in v and 'pub' in v else '-'
        print(f"{str(d)[:60]:60} {v.get('node', '?'):>4} {v.get('npub', 0):>5} {v.get('norigin', 0):>6} "
              f"{v.get('ncache', 0):>5}  {lat}")
    dropped = [r for r in gb if r.get('dropped')]
    if dropped:
        print(f'\nGB relay dropped {len(dropped)} GC message(s):')
        for r in dropped[:20]:
            print('  ', r['dropped'])
    print('\nmetric changes (wmo_wis2_gc_*):')
    for r in load('metrics-changes.jsonl'):
        s = r['series']
        lab = ','.join(f'{k}={v}' for k, v in s.items() if k not in ('__name__', 'job', 'instance', 'report_by'))
        print(f"  {time.strftime('%H:%M:%S', time.localtime(r['t']))} {s['__name__']}{{{lab}}} {r['old']} -> {r['new']}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    sub.add_parser('run')
    sub.add_parser('env')
    w = sub.add_parser('warmup')
    w.add_argument('--timeout', type=float, default=180)
    g = sub.add_parser('wait-gc')
    g.add_argument('--timeout', type=float, default=900)
    r = sub.add_parser('report')
    r.add_argument('--since', type=float, default=0, help='epoch seconds')
    a = ap.parse_args()
    cfg = Config()
    if a.cmd == 'run':
        return cmd_run(cfg)
    if a.cmd == 'env':
        return cmd_env(cfg)
    if a.cmd == 'warmup':
        return cmd_warmup(cfg, a.timeout)
    if a.cmd == 'wait-gc':
        return cmd_wait_gc(cfg, a.timeout)
    return cmd_report(cfg, a.since)


if __name__ == '__main__':
    sys.exit(main() or 0)
