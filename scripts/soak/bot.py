"""A bot that creates, changes, renews and deletes clients through the API without pause and
remembers what the coordinator acknowledged."""

import collections
import random
import threading
import time

from api import Api, error_code

DAY_MS = 86_400_000


class Ledger:
    """What the bot knows about every email it used. Thread-safe."""

    def __init__(self, journal_path):
        self.lock = threading.Lock()
        # Every answer but a plain success, with the email: what happened to whom.
        self.journal = open(journal_path, "a")
        self.live = {}  # email -> server_id of the 201 answer
        self.deleted = set()  # acknowledged with 204 (or 404 after an unanswered delete)
        self.uncertain = set()  # a create or delete without a final answer
        self.busy = set()  # an operation is running on it
        self.sub_ids = set()  # every subscription id the API handed out (secrets in logs)
        self.ops = collections.Counter()  # "create 201", "patch 503", ...
        self.violations = []  # (time, text)

    def count(self, op, status, body, email):
        key = "%s %s" % (op, status if status else "no-answer")
        if not status or status >= 300:
            key += " " + error_code(body)
        with self.lock:
            self.ops[key] += 1
            if not status or status >= 300 or op.endswith("-retry"):
                self.journal.write("%.3f\t%s\t%s\t%s\t%s\n" % (
                    time.time(), email, op, status, error_code(body) if status != 201 else ""))
                self.journal.flush()
            if status == 500:
                self.violations.append((time.time(), "%s answered 500: %s" % (op, body)))

    def violation(self, text):
        with self.lock:
            self.violations.append((time.time(), text))

    def pick_live(self, rng):
        """A live email no operation is running on (marked busy), or None."""
        with self.lock:
            free = [e for e in self.live if e not in self.busy and e not in self.uncertain]
            if not free:
                return None
            email = rng.choice(free)
            self.busy.add(email)
            return email

    def done(self, email):
        with self.lock:
            self.busy.discard(email)


class Bot:
    def __init__(self, api_port, token, run_id, journal_path, workers=4, population=1500,
                 seed=None):
        self.api_port, self.token, self.run_id = api_port, token, run_id
        self.workers, self.population = workers, population
        self.ledger = Ledger(journal_path)
        self.stop_flag = threading.Event()
        self.next_n = 0
        self.n_lock = threading.Lock()
        self.rng_seed = seed if seed is not None else random.randrange(1 << 30)
        self.threads = []

    def start(self):
        for i in range(self.workers):
            t = threading.Thread(target=self._work, args=(i,), daemon=True)
            t.start()
            self.threads.append(t)

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()

    def _new_email(self):
        with self.n_lock:
            self.next_n += 1
            return "soak-%d@%s" % (self.next_n, self.run_id), self.next_n

    def _work(self, i):
        rng = random.Random(self.rng_seed + i)
        api = Api(self.api_port, self.token, timeout=30)
        while not self.stop_flag.is_set():
            live = len(self.ledger.live)
            r = rng.random()
            create_share = 0.6 if live < self.population else 0.2
            if r < create_share:
                self._create(api, rng)
            else:
                email = self.ledger.pick_live(rng)
                if email is None:
                    self._create(api, rng)
                    continue
                try:
                    r = rng.random()
                    if r < 0.35:
                        self._patch(api, rng, email)
                    elif r < 0.6:
                        self._renew(api, rng, email)
                    elif r < 0.7:
                        self._read(api, email)
                    else:
                        self._delete(api, rng, email)
                finally:
                    self.ledger.done(email)
            time.sleep(rng.uniform(0, 0.05))
        api.close()

    def _create(self, api, rng):
        email, n = self._new_email()
        body = {"user_id": str(n), "email": email, "total_gb": rng.randint(10, 200),
                "expiry_time_ms": int(time.time() * 1000) + rng.randint(1, 60) * DAY_MS}
        key = "soak-%s-%d" % (self.run_id, n)
        # The same key and body again until an answer is final: a lost 201 comes back.
        for attempt in range(8):
            status, res = api.request("POST", "/api/v1/clients", body, {"Idempotency-Key": key})
            self.ledger.count("create" if attempt == 0 else "create-retry", status, res, email)
            if status == 201:
                with self.ledger.lock:
                    self.ledger.live[email] = res.get("server_id")
                    self.ledger.uncertain.discard(email)
                    if res.get("sub_id"):
                        self.ledger.sub_ids.add(res["sub_id"])
                return
            if status in (400, 401, 404, 413):
                self.ledger.violation("create %s refused with %s: %s" % (email, status, res))
                return
            if status == 503 and error_code(res) == "no_server_available":
                return  # nothing placed: a final answer
            with self.ledger.lock:
                self.ledger.uncertain.add(email)
            if self.stop_flag.is_set():
                return
            time.sleep(min(0.25 * 2 ** attempt, 5))

    def _patch(self, api, rng, email):
        choice = rng.randrange(3)
        if choice == 0:
            body = {"total_gb": rng.randint(10, 300)}
        elif choice == 1:
            body = {"enable": rng.random() < 0.8}
        else:
            body = {"expiry_time_ms": int(time.time() * 1000) + rng.randint(1, 90) * DAY_MS}
        status, res = api.request("PATCH", "/api/v1/clients/" + email, body)
        self.ledger.count("patch", status, res, email)
        self._check_known(email, "patch", status, res)

    def _renew(self, api, rng, email):
        body = rng.choice([{"add_gb": rng.randint(1, 50)}, {"extend_days": rng.randint(1, 30)},
                           {"add_gb": 5, "extend_days": 30}, {"reset_usage": True}])
        status, res = api.request("POST", "/api/v1/clients/%s/renew" % email, body)
        self.ledger.count("renew", status, res, email)
        self._check_known(email, "renew", status, res)

    def _read(self, api, email):
        status, res = api.request("GET", "/api/v1/clients/" + email)
        self.ledger.count("read", status, res, email)
        self._check_known(email, "read", status, res)

    def _check_known(self, email, op, status, res):
        if status == 404:
            self.ledger.violation("%s of acknowledged client %s: 404 %s" % (op, email, res))

    def _delete(self, api, rng, email):
        maybe_done = False  # an earlier attempt got no final answer
        for attempt in range(8):
            status, res = api.request("DELETE", "/api/v1/clients/" + email)
            self.ledger.count("delete" if attempt == 0 else "delete-retry", status, res, email)
            if status == 204 or (status == 404 and maybe_done):
                with self.ledger.lock:
                    self.ledger.live.pop(email, None)
                    self.ledger.uncertain.discard(email)
                    self.ledger.deleted.add(email)
                return
            if status == 404:
                self.ledger.violation("delete of acknowledged client %s: 404 %s" % (email, res))
                with self.ledger.lock:
                    self.ledger.live.pop(email, None)
                return
            if status not in (0, 409, 500, 502, 503, 504):
                self.ledger.violation("delete %s answered %s: %s" % (email, status, res))
                return
            if status in (0, 500, 504):
                maybe_done = True
                with self.ledger.lock:
                    self.ledger.uncertain.add(email)
            if self.stop_flag.is_set():
                return  # it stays live, or open when an answer was lost
            time.sleep(min(0.25 * 2 ** attempt, 5))
