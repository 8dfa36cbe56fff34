"""The soak's fleet: fake panels, the coordinator and two agents as supervised processes, and
their configuration files."""

import json
import os
import secrets
import signal
import socket
import subprocess
import threading
import time

PROFILES = ["classic", "classic-csrf", "gen2"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(count, low=20000, high=30000):
    """`count` consecutive free ports below the ephemeral range, so that a panel taken down
    and brought up again finds its port unused by outgoing connections."""
    while True:
        start = low + secrets.randbelow(high - low - count)
        ok = True
        for port in range(start, start + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return start


class Proc:
    """A process the soak starts, kills and restarts. An exit nobody asked for is recorded."""

    def __init__(self, name, argv, log_path):
        self.name, self.argv, self.log_path = name, argv, log_path
        self.p = None
        self.starts = 0
        self.stopped = False  # SIGSTOP sent, no SIGCONT yet
        self.unexpected_exits = []  # (time, return code)
        self.lock = threading.Lock()

    def start(self):
        with self.lock:
            log = open(self.log_path, "ab")
            self.p = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL)
            log.close()
            self.starts += 1
            self.stopped = False

    def pid(self):
        return self.p.pid if self.p else None

    def running(self):
        return self.p is not None and self.p.poll() is None

    def signal(self, sig):
        with self.lock:
            if self.running():
                os.kill(self.p.pid, sig)
                if sig == signal.SIGSTOP:
                    self.stopped = True
                elif sig == signal.SIGCONT:
                    self.stopped = False

    def kill(self):
        """SIGKILL, then waits for the process to be gone (its locks released)."""
        with self.lock:
            if self.p is None:
                return
            if self.p.poll() is None:
                self.p.kill()
            self.p.wait()
            self.p = None
            self.stopped = False

    def reap_unexpected(self):
        """Records and forgets a process that exited by itself; True when one did."""
        with self.lock:
            if self.p is not None and self.p.poll() is not None:
                self.unexpected_exits.append((time.time(), self.p.returncode))
                self.p = None
                return True
            return False

    def stop(self):
        """SIGCONT and SIGTERM, then SIGKILL after 10 s."""
        with self.lock:
            if self.p is None or self.p.poll() is not None:
                return
            os.kill(self.p.pid, signal.SIGCONT)
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


class Fleet:
    """Writes the configuration of `panels` fake panels, the last `agent_panels` of them
    probed by agent a1 and the same number before those by a2; starts everything."""

    def __init__(self, work, build, panels, agent_panels, make_certs):
        self.work, self.build = work, build
        self.token = "soak-api-" + secrets.token_hex(16)
        self.api_port, self.link_port, self.sub_port = free_port(), free_port(), free_port()
        self.data_dir = os.path.join(work, "data")
        first = free_port_block(panels)
        self.panels = []
        for n in range(1, panels + 1):
            profile = PROFILES[n % 3]
            p = {"id": "p%d" % n, "port": first + n - 1, "base": "/p%d/" % n,
                 "profile": profile, "password": "soak-pw-%d-%s" % (n, secrets.token_hex(8))}
            if profile == "gen2" and n % 2 == 0:
                p["token"] = "soak-tok-%d-%s" % (n, secrets.token_hex(12))
            self.panels.append(p)
        a2_from, a1_from = panels - 2 * agent_panels, panels - agent_panels
        for i, p in enumerate(self.panels):
            p["agent"] = "a1" if i >= a1_from else "a2" if i >= a2_from else None
        self.agents = ["a1", "a2"]
        subprocess.run([make_certs, os.path.join(work, "pki")] + self.agents, check=True,
                       stdout=subprocess.DEVNULL)
        self._write_configs()
        self.fake = Proc("fake-xui", self._fake_argv(), os.path.join(work, "fake.log"))
        self.coordinator = Proc("coordinator", [self._bin("coordinator/fleet-coordinator"),
                                                "--config", self._path("fleet.json"),
                                                "--data-dir", self.data_dir],
                                os.path.join(work, "coordinator.log"))
        self.agent_procs = {a: Proc(a, [self._bin("agent/fleet-agent"), "--config",
                                        self._path(a + ".json")], os.path.join(work, a + ".log"))
                            for a in self.agents}
        self.control_port = None

    def _bin(self, rel):
        return os.path.join(self.build, rel)

    def _path(self, name):
        return os.path.join(self.work, name)

    def secrets(self):
        """Every secret the logs must never show, besides subscription ids."""
        out = [self.token]
        for p in self.panels:
            out.append(p["password"])
            if "token" in p:
                out.append(p["token"])
        return out

    def _fake_argv(self):
        argv = [self._bin("tools/fake_xui/fake-xui"), "--keep-alive", "2", "--threads", "16"]
        for p in self.panels:
            spec = "name=%s,port=%d,base=%s,profile=%s,user=admin,password=%s,seed=%s" % (
                p["id"], p["port"], p["base"], p["profile"], p["password"], p["id"][1:])
            if "token" in p:
                spec += ",token=" + p["token"]
            argv += ["--panel", spec]
        return argv

    def _panel_entry(self, p):
        entry = {"id": p["id"], "host": "127.0.0.1", "port": p["port"], "base_path": p["base"],
                 "max_clients": 50}
        if "token" in p:
            entry["api_token"] = p["token"]
        else:
            entry.update({"username": "admin", "password": p["password"]})
        return entry

    def _write_configs(self):
        checks = {"health_check_interval": "3s", "health_check_timeout": "2s"}
        pki = self._path("pki")
        servers = [self._panel_entry(p) if p["agent"] is None else
                   {"id": p["id"], "agent": p["agent"], "max_clients": 50} for p in self.panels]
        fleet = {
            "xui_servers": servers,
            "server_management": dict(checks, max_retries=2, retry_delay="200ms",
                                      reconcile_interval="1m"),
            "coordinator": {
                "listen": "127.0.0.1:%d" % self.api_port, "api_tokens": [self.token],
                "agent_listen": "127.0.0.1:%d" % self.link_port,
                "agent_heartbeat": "500ms", "agent_timeout": "3s",
                "subscription_listen": "127.0.0.1:%d" % self.sub_port,
                "subscription_base_url": "http://127.0.0.1:%d" % self.sub_port,
                "tls": {"cert": pki + "/coordinator.pem", "key": pki + "/coordinator.key",
                        "ca": pki + "/ca.pem"}},
        }
        self._write("fleet.json", fleet)
        for a in self.agents:
            self._write(a + ".json", {
                "agent": {"id": a, "coordinator": "127.0.0.1:%d" % self.link_port,
                          "heartbeat": "500ms", "timeout": "3s",
                          "tls": {"cert": "%s/%s.pem" % (pki, a), "key": "%s/%s.key" % (pki, a),
                                  "ca": pki + "/ca.pem"}},
                "xui_servers": [self._panel_entry(p) for p in self.panels if p["agent"] == a],
                "server_management": checks})

    def _write(self, name, doc):
        with open(self._path(name), "w") as f:
            json.dump(doc, f, indent=1)
        os.chmod(self._path(name), 0o600)

    def start(self):
        self.fake.start()
        for _ in range(300):
            line = open(self.fake.log_path).readline()
            if line.startswith("{"):
                self.control_port = json.loads(line)["control_port"]
                break
            if not self.fake.running():
                raise RuntimeError("fake-xui exited; see " + self.fake.log_path)
            time.sleep(0.1)
        else:
            raise RuntimeError("fake-xui did not start; see " + self.fake.log_path)
        self.coordinator.start()
        for a in self.agent_procs.values():
            a.start()

    def stop(self):
        for proc in list(self.agent_procs.values()) + [self.coordinator, self.fake]:
            proc.stop()
