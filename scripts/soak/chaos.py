"""The chaos loop: every few seconds a fault on random panels, an agent or the coordinator;
faults are cleared again after a while. Processes that exit by themselves are restarted (and
recorded by their Proc)."""

import collections
import random
import signal
import threading
import time

from api import Api

# Panel faults that last a while, cleared by {"mode": "none"}.
LASTING = ["down", "hang", "slow", "http500", "garbage", "fail_mutations", "xray_stopped"]


class Chaos:
    def __init__(self, fleet, end_coordinator_kills_at, seed=None, max_faulted_share=0.1):
        self.fleet = fleet
        self.rng = random.Random(seed)
        self.control = Api(fleet.control_port, timeout=30, keep_alive=False)
        self.faulted = {}  # panel id -> time its fault is cleared
        self.pending = []  # (due time, description, action) of restarts and thaws
        self.applied = collections.Counter()
        self.end_coordinator_kills_at = end_coordinator_kills_at
        self.last_coordinator_kill = 0.0
        self.max_faulted = max(1, int(len(fleet.panels) * max_faulted_share))
        self.stop_flag = threading.Event()
        self.thread = None
        self.errors = []

    def start(self):
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def stop(self):
        self.stop_flag.set()
        self.thread.join()

    # -- the loop --------------------------------------------------------------------------

    def _loop(self):
        next_action = time.time() + 2
        while not self.stop_flag.is_set():
            now = time.time()
            self._restart_crashed()
            for pid, until in list(self.faulted.items()):
                if until <= now:
                    self._panel_fault(pid, "none")
                    del self.faulted[pid]
            due = [p for p in self.pending if p[0] <= now]
            self.pending = [p for p in self.pending if p[0] > now]
            for _, _, action in due:
                action()
            if now >= next_action:
                self._act(now)
                next_action = now + self.rng.uniform(2, 5)
            time.sleep(0.25)

    def _restart_crashed(self):
        procs = [self.fleet.coordinator] + list(self.fleet.agent_procs.values())
        waiting = {d for _, d, _ in self.pending}
        for proc in procs:
            if proc.reap_unexpected():
                self.errors.append("%s exited by itself (see its log)" % proc.name)
            if proc.p is None and ("restart " + proc.name) not in waiting:
                proc.start()

    def _act(self, now):
        r = self.rng.random()
        if r < 0.62:
            self._panel_faults(now)
        elif r < 0.72:
            self._instant("expire-sessions")
        elif r < 0.78:
            self._instant("wipe")
        elif r < 0.85:
            self._agent_stop(now)
        elif r < 0.92:
            self._agent_kill(now)
        elif now < self.end_coordinator_kills_at and now - self.last_coordinator_kill > 60:
            self._coordinator_kill(now)
        else:
            self._panel_faults(now)

    # -- faults ----------------------------------------------------------------------------

    def _panel_fault(self, pid, mode, delay_ms=0):
        status, body = self.control.request("POST", "/_fake/panels/%s/fault" % pid,
                                            {"mode": mode, "delay_ms": delay_ms})
        if status != 200:
            self.errors.append("fault %s on %s: %s %s" % (mode, pid, status, body))

    def _free_panels(self, k):
        free = [p["id"] for p in self.fleet.panels if p["id"] not in self.faulted]
        return self.rng.sample(free, min(k, len(free)))

    def _panel_faults(self, now):
        room = self.max_faulted - len(self.faulted)
        if room <= 0:
            return
        for pid in self._free_panels(min(room, self.rng.randint(1, 3))):
            mode = self.rng.choice(LASTING)
            delay = self.rng.choice([500, 1500, 3000]) if mode == "slow" else 0
            self._panel_fault(pid, mode, delay)
            self.faulted[pid] = now + self.rng.uniform(5, 40)
            self.applied["panel " + mode] += 1

    def _instant(self, action):
        for pid in self._free_panels(self.rng.randint(1, 2)):
            status, body = self.control.request("POST", "/_fake/panels/%s/%s" % (pid, action))
            if status != 200:
                self.errors.append("%s on %s: %s %s" % (action, pid, status, body))
            self.applied["panel " + action] += 1

    def _agent_stop(self, now):
        proc = self.fleet.agent_procs[self.rng.choice(self.fleet.agents)]
        if not proc.running() or proc.stopped:
            return
        proc.signal(signal.SIGSTOP)
        self.applied["agent SIGSTOP"] += 1
        self.pending.append((now + self.rng.uniform(2, 15), "thaw " + proc.name,
                             lambda: proc.signal(signal.SIGCONT)))

    def _agent_kill(self, now):
        proc = self.fleet.agent_procs[self.rng.choice(self.fleet.agents)]
        if proc.p is None:
            return
        self._kill_and_restart(proc, now + self.rng.uniform(1, 5))
        self.applied["agent SIGKILL"] += 1

    def _coordinator_kill(self, now):
        self.last_coordinator_kill = now
        self._kill_and_restart(self.fleet.coordinator, now + self.rng.uniform(0.5, 3))
        self.applied["coordinator SIGKILL"] += 1

    def _kill_and_restart(self, proc, when):
        self.pending = [p for p in self.pending if not p[1].endswith(" " + proc.name)]
        proc.kill()
        self.pending.append((when, "restart " + proc.name, proc.start))

    # -- the end ---------------------------------------------------------------------------

    def clear_all(self):
        """Every panel fault off, every process thawed and running."""
        for p in self.fleet.panels:
            self._panel_fault(p["id"], "none")
        self.faulted.clear()
        self.pending.clear()
        for proc in [self.fleet.coordinator] + list(self.fleet.agent_procs.values()):
            if proc.reap_unexpected():
                self.errors.append("%s exited by itself (see its log)" % proc.name)
            if proc.p is None:
                proc.start()
            else:
                proc.signal(signal.SIGCONT)
