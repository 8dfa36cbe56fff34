"""The soak's end: health, one reconcile pass, the fleet's clients against the bot's ledger,
the coordinator's memory and descriptors, and secrets in the logs."""

import os
import subprocess
import tempfile
import threading
import time

PREFIX = "soak-"


def wait_healthy(api, timeout):
    """Waits until every server is healthy; returns the ids that are not (empty on success)."""
    deadline = time.time() + timeout
    bad = ["?"]
    while time.time() < deadline:
        status, body = api.read("/api/v1/servers")
        if status == 200:
            bad = [s["id"] for s in body["servers"] if s["state"] != "healthy"]
            if not bad:
                return []
        time.sleep(1)
    return bad


def reconcile_pass(api, server_ids, timeout):
    """Asks every server to be reconciled and waits for every report newer than the request.
    Returns (reports by server id, ids without a fresh report)."""
    start_ms = int(time.time() * 1000)
    for sid in server_ids:
        status, body = api.request("POST", "/api/v1/servers/%s/reconcile" % sid)
        if status != 202:
            raise RuntimeError("reconcile %s answered %s %s" % (sid, status, body))
    deadline = time.time() + timeout
    fresh, latest = {}, {}
    while time.time() < deadline:
        status, body = api.read("/api/v1/drift")
        if status == 200:
            latest = {r["server_id"]: r for r in body["servers"]}
            fresh = {i: r for i, r in latest.items()
                     if r["checked_at_ms"] >= start_ms and not r["error"]}
            if len(fresh) == len(server_ids):
                break
        time.sleep(1)
    missing = ["%s (last report: %s)" % (s, latest.get(s, {}).get("error") or "older")
               for s in server_ids if s not in fresh]
    return fresh, missing


def read_store(api):
    """Every client record, by email."""
    out, after = {}, None
    while True:
        path = "/api/v1/clients?limit=1000" + ("&after=" + after if after else "")
        status, body = api.read(path)
        if status != 200:
            raise RuntimeError("GET %s answered %s %s" % (path, status, body))
        for c in body["clients"]:
            out[c["email"]] = c
        after = body["next"]
        if not after:
            return out


def read_panels(control, panel_ids):
    """email -> [(panel id, inbound id)] of every soak client on any panel."""
    out = {}
    for pid in panel_ids:
        status, body = control.read("/_fake/panels/%s/clients" % pid)
        if status != 200:
            raise RuntimeError("clients of %s: %s %s" % (pid, status, body))
        for inbound, emails in body.items():
            for e in emails:
                if e.startswith(PREFIX):
                    out.setdefault(e, []).append((pid, inbound))
    return out


def check_clients(ledger, store, panels, api):
    """The invariants; returns a list of violations (each a sentence)."""
    v = []
    for email, server in sorted(ledger.live.items()):
        if email in ledger.uncertain:
            continue
        status, body = api.read("/api/v1/clients/" + email)
        if status != 200:
            v.append("lost: %s was acknowledged (201 on %s) but GET answers %s" %
                     (email, server, status))
        elif email not in store:
            v.append("lost: %s answers GET but is missing from the client list" % email)
        if email not in panels:
            v.append("lost: %s (acknowledged) is on no panel" % email)
    for email in sorted(ledger.deleted):
        if email in store:
            v.append("resurrected: %s was deleted (204) but is in the store" % email)
        if email in panels:
            v.append("left behind: %s was deleted (204) but is on %s" % (email, panels[email]))
    for email, rec in sorted(store.items()):
        where = panels.get(email, [])
        if not where:
            if email not in ledger.live or email in ledger.uncertain:  # others: see above
                v.append("lost: store client %s (on %s) is on no panel" % (email, rec["server_id"]))
        elif len(where) > 1:
            v.append("doubled: %s is on %s" % (email, where))
        elif where[0][0] != rec["server_id"]:
            v.append("misplaced: %s is recorded on %s but found on %s" %
                     (email, rec["server_id"], where[0][0]))
    for email, where in sorted(panels.items()):
        if email not in store and email not in ledger.deleted:
            v.append("orphan: %s is on %s but not in the store" % (email, where))
    return v


def memtable_kib(api):
    """The store's memtables in KiB, from the coordinator's /metrics; None without an answer."""
    status, text = api.request("GET", "/metrics")
    if status != 200 or not isinstance(text, str):
        return None
    for line in text.splitlines():
        if line.startswith("xui_fleet_store_memtable_bytes "):
            return int(float(line.split()[1])) // 1024
    return None


class Sampler:
    """Samples the coordinator's RSS (KiB), its store's memtables (KiB, through `memtables()`)
    and its open descriptors every `every` seconds."""

    def __init__(self, proc, memtables, every=10.0):
        self.proc, self.memtables, self.every = proc, memtables, every
        self.samples = []  # (time, start number, rss KiB, fds, memtables KiB)
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stop_flag.set()
        self.thread.join()

    def _loop(self):
        while not self.stop_flag.wait(self.every):
            pid, starts = self.proc.pid(), self.proc.starts
            if pid is None or self.proc.stopped:
                continue
            try:
                with open("/proc/%d/status" % pid) as f:
                    rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
                fds = len(os.listdir("/proc/%d/fd" % pid))
            except (OSError, StopIteration):
                continue
            memtables = self.memtables()
            if memtables is None:
                continue
            self.samples.append((time.time(), starts, rss, fds, memtables))


def slope_per_min(points):
    """Least-squares slope of (t seconds, y) in y per minute; None with fewer than 3 points."""
    if len(points) < 3:
        return None
    n = len(points)
    mt = sum(t for t, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    if var == 0:
        return None
    return 60 * sum((t - mt) * (y - my) for t, y in points) / var


def growth(samples, from_time, to_time, warmup):
    """Slopes over the samples from `from_time` to `to_time` of the last coordinator process
    in that window, skipping its first `warmup` seconds. Returns a dict for the summary."""
    window = [s for s in samples if from_time <= s[0] <= to_time]
    if not window:
        return {"samples": 0}
    last = window[-1][1]
    mine = [s for s in samples if s[1] == last]
    begin = max(from_time, mine[0][0] + warmup)
    use = [s for s in window if s[1] == last and s[0] >= begin]
    return {"samples": len(use), "minutes": round((use[-1][0] - use[0][0]) / 60, 1) if use else 0,
            "rss_kib_first_last": [use[0][2], use[-1][2]] if use else None,
            "fds_first_last": [use[0][3], use[-1][3]] if use else None,
            "rss_kib_per_min": slope_per_min([(s[0], s[2]) for s in use]),
            # RocksDB's memtables grow with every write until a flush (64 MiB per column
            # family by default): bounded, but in 15 minutes they may never reach a flush.
            "memtables_kib_first_last": [use[0][4], use[-1][4]] if use else None,
            "memtables_kib_per_min": slope_per_min([(s[0], s[4]) for s in use]),
            "rss_less_memtables_kib_per_min": slope_per_min([(s[0], s[2] - s[4]) for s in use]),
            "fds_per_min": slope_per_min([(s[0], s[3]) for s in use]),
            "rss_kib_max": max(s[2] for s in samples), "fds_max": max(s[3] for s in samples)}


def grep_secrets(files, patterns):
    """(count, first lines) of the lines of `files` that contain any of `patterns` (fixed
    strings); the matched secret is masked in the lines returned."""
    if not patterns:
        return 0, []
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("\n".join(sorted(set(patterns))) + "\n")
        name = f.name
    try:
        res = subprocess.run(["grep", "-a", "-n", "-F", "-f", name] + files,
                             capture_output=True, text=True, errors="replace")
    finally:
        os.unlink(name)
    lines = res.stdout.splitlines()
    hits = []
    for line in lines[:50]:
        for p in patterns:
            line = line.replace(p, p[:4] + "***")
        hits.append(line[:300])
    return len(lines), hits
