#!/usr/bin/env python3
"""The chaos soak: fake panels, the coordinator and two agents under a client-churning bot and
a chaos loop for MINUTES; then faults are cleared, one reconcile pass runs and the fleet is
checked against what the coordinator acknowledged. Exits 1 on any violation."""

import argparse
import glob
import json
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from api import Api  # noqa: E402
from bot import Bot  # noqa: E402
from chaos import Chaos  # noqa: E402
from fleet import Fleet  # noqa: E402
import verify  # noqa: E402


def say(log, text):
    line = time.strftime("%H:%M:%S ") + text
    print(line, flush=True)
    log.write(line + "\n")
    log.flush()


def wait_api(api, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if api.request("GET", "/healthz")[0] == 200:
            return True
        time.sleep(0.5)
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--build", required=True, help="the release build directory")
    ap.add_argument("--work", required=True)
    ap.add_argument("--make-certs", required=True)
    ap.add_argument("--panels", type=int, default=200)
    ap.add_argument("--agent-panels", type=int, default=20, help="panels per agent")
    ap.add_argument("--population", type=int, default=1500, help="live clients the bot aims at")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--max-fds-per-min", type=float, default=0.5)
    ap.add_argument("--max-rss-kib-per-min", type=float, default=512)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    log = open(os.path.join(args.work, "soak.log"), "a")
    run_id = secrets.token_hex(3)
    fleet = Fleet(args.work, args.build, args.panels, args.agent_panels, args.make_certs)
    say(log, "work dir %s, run %s: %d panels (%d behind agent a1, %d behind a2), %.1f min" % (
        args.work, run_id, args.panels, args.agent_panels, args.agent_panels, args.minutes))
    fleet.start()
    try:
        return run(args, fleet, run_id, log)
    finally:
        fleet.stop()


def run(args, fleet, run_id, log):
    api = Api(fleet.api_port, fleet.token, timeout=30)
    violations = []
    if not wait_api(api, 60):
        say(log, "the coordinator does not answer; see coordinator.log")
        return 1
    bad = verify.wait_healthy(api, 120)
    say(log, "fleet up: %d of %d servers healthy" % (args.panels - len(bad), args.panels))
    metrics_api = Api(fleet.api_port, keep_alive=False, timeout=5)
    sampler = verify.Sampler(fleet.coordinator, lambda: verify.memtable_kib(metrics_api))
    bot = Bot(fleet.api_port, fleet.token, run_id, os.path.join(args.work, "answers.tsv"),
              args.workers, args.population, args.seed)
    start = time.time()
    end = start + args.minutes * 60
    half = start + (end - start) / 2
    # Coordinator kills stop before the second half, whose samples give the slopes.
    chaos = Chaos(fleet, end_coordinator_kills_at=half - 30, seed=args.seed)
    sampler.start()
    bot.start()
    chaos.start()
    loads = []
    while time.time() < end:
        time.sleep(min(60, max(0.1, end - time.time())))
        s = sampler.samples[-1] if sampler.samples else (0, 0, 0, 0, 0)
        load = os.getloadavg()[0]
        loads.append(load)
        say(log, "%4.1f min: %d operations, %d live clients, %d faults, RSS %d KiB (memtables "
            "%d KiB), %d fds, load %.1f" % ((time.time() - start) / 60,
                                            sum(bot.ledger.ops.values()), len(bot.ledger.live),
                                            sum(chaos.applied.values()), s[2], s[4], s[3], load))
    chaos.stop()
    say(log, "chaos stopped; waiting for the bot's last operations")
    bot.stop()
    chaos.clear_all()
    ledger = bot.ledger
    if not wait_api(api, 60):
        violations.append("the coordinator does not answer after the faults were cleared")
    t0 = time.time()
    unhealthy = verify.wait_healthy(api, 240)
    say(log, "faults cleared; healthy after %.1f s%s" % (
        time.time() - t0, " except %s" % unhealthy if unhealthy else ""))
    if unhealthy:
        violations.append("not healthy 240 s after the faults were cleared: %s" % unhealthy)
    ids = [p["id"] for p in fleet.panels]
    reports, stale = verify.reconcile_pass(api, ids, 180)
    if stale:
        violations.append("no fresh reconcile report from %s" % stale)
    drift = {"missing": sum(len(r["missing"]) for r in reports.values()),
             "repaired": sum(r["repaired"] for r in reports.values()),
             "foreign_soak": sum(len([e for e in r["foreign"] if e.startswith(verify.PREFIX)])
                                 for r in reports.values())}
    say(log, "reconcile pass: %s" % drift)
    time.sleep(3)  # repairs the pass started reach the panels
    store = verify.read_store(api)
    panels = verify.read_panels(Api(fleet.control_port, keep_alive=False), ids)
    violations += verify.check_clients(ledger, store, panels, api)
    sampler.stop()
    growth = verify.growth(sampler.samples, half, end, 60)
    if growth.get("fds_per_min") is not None and growth["fds_per_min"] > args.max_fds_per_min:
        violations.append("open descriptors grow by %.2f per minute" % growth["fds_per_min"])
    # The memtables' growth is RocksDB's until its next flush; what the coordinator itself
    # keeps is the rest.
    if (growth.get("rss_less_memtables_kib_per_min") is not None
            and growth["rss_less_memtables_kib_per_min"] > args.max_rss_kib_per_min):
        violations.append("RSS less the store's memtables grows by %.0f KiB per minute"
                          % growth["rss_less_memtables_kib_per_min"])
    sub_ids = ledger.sub_ids | {c["sub_id"] for c in store.values() if c.get("sub_id")}
    logs = sorted(glob.glob(os.path.join(args.work, "*.log")))
    hits, shown = verify.grep_secrets(logs, fleet.secrets() + sorted(sub_ids))
    if hits:
        violations.append("%d log lines show a secret, e.g. %s" % (hits, shown[:3]))
    for proc in [fleet.coordinator, fleet.fake] + list(fleet.agent_procs.values()):
        for when, rc in proc.unexpected_exits:
            violations.append("%s exited by itself with status %s at %s" % (
                proc.name, rc, time.strftime("%H:%M:%S", time.localtime(when))))
    violations += chaos.errors
    violations += ["bot: " + text for _, text in ledger.violations]
    acked = sum(1 for k, n in ledger.ops.items() if k.startswith("create") and " 201" in k)
    if acked == 0:
        violations.append("the bot got no create acknowledged")
    summary = {
        "minutes": args.minutes, "panels": args.panels, "agents": len(fleet.agents),
        "operations": sum(ledger.ops.values()), "by_answer": dict(sorted(ledger.ops.items())),
        "faults": sum(chaos.applied.values()), "faults_by_kind": dict(sorted(chaos.applied.items())),
        "process_starts": {p.name: p.starts for p in
                           [fleet.coordinator] + list(fleet.agent_procs.values())},
        "clients": {"acknowledged_live": len(ledger.live), "deleted": len(ledger.deleted),
                    "uncertain": len(ledger.uncertain), "in_store": len(store),
                    "on_panels": len(panels)},
        "final_reconcile": drift, "coordinator_growth_second_half": growth,
        "secrets_checked": len(fleet.secrets()) + len(sub_ids), "log_lines_with_secrets": hits,
        "load_average_1min": {"mean": round(sum(loads) / max(1, len(loads)), 2),
                              "max": max(loads, default=0)}, "violations": violations,
    }
    with open(os.path.join(args.work, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(args.work, "samples.tsv"), "w") as f:
        f.write("time\tstart\trss_kib\tfds\tmemtables_kib\n")
        for s in sampler.samples:
            f.write("%.0f\t%d\t%d\t%d\t%d\n" % s)
    say(log, "summary:\n" + json.dumps(summary, indent=1))
    say(log, "%s: %d violations (work dir %s)" % (
        "FAIL" if violations else "PASS", len(violations), args.work))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
