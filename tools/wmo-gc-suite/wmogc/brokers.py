"""The two mosquitto brokers: the trigger broker and the fake dev Global Broker."""
import logging
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

LOG = logging.getLogger('brokers')

CONF = """# written by wmo-gc-suite emulator: {name}
per_listener_settings false
allow_anonymous true
{persistence}
listener {port} 127.0.0.1
max_connections -1
# no drops under load: the performance test puts 4000 QoS 1 messages through the GB in ~40 s
max_queued_messages 0
max_inflight_messages 0
message_size_limit 0
log_dest stdout
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
log_timestamp_format %Y-%m-%dT%H:%M:%S
"""


def port_open(port, host='127.0.0.1'):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


class Mosquitto:
    def __init__(self, name: str, port: int, rundir: Path, persist: bool = False):
        self.name, self.port, self.persist, self.rundir = name, port, persist, rundir
        self.conf = rundir / f'mosquitto-{name}.conf'
        self.log = rundir / f'mosquitto-{name}.log'
        self.proc = None

    def start(self):
        if port_open(self.port):
            raise SystemExit(f'port {self.port} for the {self.name} broker is taken; set its *_PORT variable')
        exe = shutil.which('mosquitto') or '/usr/sbin/mosquitto'
        persistence = 'persistence false'
        if self.persist:
            # keep subscribers' sessions (clean_session=false) across emulator restarts, as a
            # GB that stays up would: a GC that does not resubscribe after reconnecting still gets data
            pdir = self.rundir / f'{self.name}-persist'
            pdir.mkdir(exist_ok=True)
            if os.geteuid() == 0:  # mosquitto started as root drops to user mosquitto
                try:
                    pw = pwd.getpwnam('mosquitto')
                    os.chown(pdir, pw.pw_uid, pw.pw_gid)
                except KeyError:
                    pass
            persistence = (f'persistence true\npersistence_location {pdir}/\n'
                           f'persistence_file {self.name}.db\nautosave_interval 10')
        self.conf.write_text(CONF.format(name=self.name, port=self.port, persistence=persistence))
        self._logf = open(self.log, 'ab')
        self.proc = subprocess.Popen([exe, '-c', str(self.conf)], stdout=self._logf,
                                     stderr=subprocess.STDOUT)
        for _ in range(50):
            if port_open(self.port):
                LOG.info('%s broker (mosquitto pid %s) on 127.0.0.1:%s', self.name, self.proc.pid, self.port)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit(f'mosquitto for {self.name} did not start; see {self.log}')

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
