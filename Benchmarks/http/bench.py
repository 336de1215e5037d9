#!/usr/bin/env python3
"""make bench: scimgit at 100,000 users next to its physical ceilings and a peer, in one run.

1. builds release, starts `scimgit serve` on a fresh store (durable writes), seeds USERS
   users through the API (the seed rate is measured) and one group of GROUP_MEMBERS members;
2. drives each workload with wrk over loopback for a fixed time (requests/s, p50, p99);
3. measures startup time at that size, resident memory, repository size, growth per
   write and loose objects; restarts the same store with `--durability fast` for the
   write workloads again;
4. runs the ceilings in the same run: Benchmarks/store/commit_loop.c (libgit2 one-file
   commits on the same layout and store size, with and without fsync) and nginx with one
   worker serving the same user files; and the peer, python-scim's scim2-server, with the
   same workloads at PEER_USERS users;
5. prints the table of ratios and writes it to Benchmarks/results.md.

6. many organisations: TENANTS (1,000) tenants of TENANT_USERS (100) users each under one
   `scimgit serve --tenants`, the same reads and creates spread over random tenants (next to
   the one-store figures of step 2), resident memory with every tenant touched, the first
   request to a cold tenant, and a burst of writes at one tenant beside reads at another.

7. replication: the same store served with two `--mirror`s (a bare repository over
   file:// and `git daemon` on 127.0.0.1), durable creates driven by wrk as in step 2 while
   HEAD is sampled every 0.2 s and each sample timed until each mirror's branch holds it
   (its median and worst are the replication lag under write load), next to the create
   rate without mirrors; then a read replica following the daemon mirror, timed the same
   way under a second window of the load.

8. history: reads as of a past commit (the first builds that commit's indexes, later ones
   reuse them) and a cursor walk's pages, with resident memory before and after.

9. import: `scimgit import` of an export of USERS users into a fresh store, next to a plain
   loop creating the same files (the file system's floor), and into a store a server serves
   while a client writes (until the server answers with the imported users).

ONLY=replication,history,import runs those phases again on the store of an earlier full run
(give its WORK) and rewrites the report with their new figures.

Environment: USERS (100000), GROUP_MEMBERS (50000), PEER_USERS (10000), DURATION (10 s per
workload), CONNECTIONS (8), WORK (a temp folder), TENANTS (1000), TENANT_USERS (100),
SKIP_PEER=1, SKIP_CEILING=1, SKIP_TENANTS=1, SKIP_REPLICATION=1, SKIP_HISTORY=1, SKIP_IMPORT=1.
Standard library only; needs wrk and nginx (Debian packages) and scim2-server (PyPI).
"""
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "Benchmarks", "http")
WRK_DIR = os.path.join(HERE, "wrk")
USERS = int(os.environ.get("USERS", "100000"))
GROUP_MEMBERS = int(os.environ.get("GROUP_MEMBERS", str(USERS // 2)))
PEER_USERS = int(os.environ.get("PEER_USERS", "10000"))
DURATION = int(os.environ.get("DURATION", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
TENANTS = int(os.environ.get("TENANTS", "1000"))
TENANT_USERS = int(os.environ.get("TENANT_USERS", "100"))
TOKEN = "bench-token-0123456789abcdef"
WORK = os.environ.get("WORK") or tempfile.mkdtemp(prefix="scimgit-bench-")


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


# ---------------------------------------------------------------- servers

class Server:
    """A process serving HTTP on a port; `started` is the time it took to answer."""

    def __init__(self, cmd, port, ready_path, env=None, cwd=None, log_name="server"):
        self.port = port
        self.log = open(os.path.join(WORK, log_name + ".log"), "ab")
        start = time.time()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        deadline = start + 600
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", ready_path, headers={"Authorization": "Bearer " + TOKEN})
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.02)
        self.started = time.time() - start

    def rss_mb(self, field="VmRSS"):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def private_mb(self):
        """Resident memory that is the process's own (RssAnon): without the pages of files
        it maps, such as packs libgit2 reads, which the kernel drops when it needs them."""
        return self.rss_mb("RssAnon")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_scimgit(store, durability, extra=(), log_name=None):
    port = free_port()
    binary = os.path.join(ROOT, ".build", "release", "scimgit")
    cmd = [binary, "serve", "--repo", store, "--port", str(port), "--token", "bench=" + TOKEN,
           "--durability", durability, "--log-level", "warning", "--guard", "off", *extra]
    # The guard off: the deactivate workload deactivates thousands of users on purpose.
    return Server(cmd, port, "/scim/v2/ServiceProviderConfig", log_name=log_name or f"scimgit-{durability}")


def start_peer():
    port = free_port()
    cmd = ["scim2-server", "--port", str(port), "--bearer-token", TOKEN]
    return Server(cmd, port, "/v2/ServiceProviderConfig", log_name="scim2-server")


# ---------------------------------------------------------------- seeding

def seed_users(port, base, count, first=0, threads=8):
    """Creates `count` users through the API; returns (ids, userNames, seconds)."""
    ids = [None] * count
    names = [f"user{first + i}@bench.example" for i in range(count)]
    local = threading.local()

    def connection():
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        return local.conn

    def create(i):
        body = json.dumps({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": names[i], "externalId": f"00u{first + i}",
            "name": {"givenName": "Bench", "familyName": f"User{first + i}"},
            "emails": [{"value": names[i], "type": "work", "primary": True}], "active": True,
        })
        for attempt in range(5):
            try:
                conn = connection()
                conn.request("POST", base + "/Users", body, {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/scim+json"})
                response = conn.getresponse()
                data = response.read()
                if response.status != 201:
                    raise RuntimeError(f"create {names[i]}: {response.status} {data[:200]}")
                ids[i] = json.loads(data)["id"]
                return
            except (OSError, http.client.HTTPException):
                local.__dict__.pop("conn", None)
                time.sleep(0.1 * (attempt + 1))
        raise RuntimeError(f"create {names[i]} failed")

    start = time.time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(create, range(count)))
    return ids, names, time.time() - start


def make_group(port, base, members, chunk=1000):
    """One group whose members are added in PATCHes of `chunk`; returns its id."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/scim+json"}
    conn.request("POST", base + "/Groups", json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Everyone", "members": []}), headers)
    response = conn.getresponse()
    group = json.loads(response.read())["id"]
    for start in range(0, len(members), chunk):
        ops = [{"op": "add", "path": "members", "value": [{"value": m} for m in members[start:start + chunk]]}]
        body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops})
        conn.request("PATCH", base + "/Groups/" + group + "?excludedAttributes=members", body, headers)
        response = conn.getresponse()
        response.read()
        if response.status not in (200, 204):
            raise RuntimeError(f"group PATCH: {response.status}")
    return group


def write_data(folder, ids, names, outside, group):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "ids.txt"), "w") as f:
        f.write("\n".join(ids) + "\n")
    with open(os.path.join(folder, "usernames.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    with open(os.path.join(folder, "outside.txt"), "w") as f:
        f.write("\n".join(outside) + "\n")
    with open(os.path.join(folder, "group.txt"), "w") as f:
        f.write(group + "\n")


# ---------------------------------------------------------------- wrk

def wrk(port, script, data, base="/scim/v2", users=USERS, duration=DURATION, connections=CONNECTIONS):
    combined = os.path.join(WORK, "wrk-" + script)
    with open(combined, "w") as out:
        out.write(open(os.path.join(WRK_DIR, script)).read())
        out.write("\n")
        out.write(open(os.path.join(WRK_DIR, "report.lua")).read())
    env = dict(os.environ, BENCH_TOKEN=TOKEN, BENCH_BASE_PATH=base, BENCH_DATA=data, BENCH_LUA=WRK_DIR, BENCH_USERS=str(users))
    threads = min(2, connections)
    result = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", combined,
                             f"http://127.0.0.1:{port}"], capture_output=True, text=True, env=env)
    match = re.search(r"BENCH_RESULT (\{.*\})", result.stdout)
    if not match:
        raise RuntimeError(f"wrk {script}: {result.stdout}\n{result.stderr}")
    return json.loads(match.group(1))


# ---------------------------------------------------------------- the store

def git(store, *args):
    return run(["git", "-c", "safe.directory=*", "-C", store, *args]).stdout


def count_objects(store):
    out = {}
    for line in git(store, "count-objects", "-v").splitlines():
        key, value = line.split(": ")
        out[key] = int(value)
    return out


def wait_quiet(timeout=300):
    """Waits until no background `git repack` runs, so a measurement does not share the
    cores with one (the server packs in the background after bursts of writes)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        busy = subprocess.run(["pgrep", "-f", "git .*repack"], capture_output=True).returncode == 0
        if not busy:
            return
        time.sleep(0.5)


class MaintenanceWatch:
    """Samples, every 0.1 s, whether a git process (the server's background repack or
    commit-graph) is running; `during(f)` runs f and adds to its result the share of its
    window that maintenance ran."""

    def __init__(self):
        self.samples = []
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def busy():
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if os.readlink(f"/proc/{pid}/exe").endswith("/git"):
                    return True
            except OSError:
                continue
        return False

    def _sample(self):
        while True:
            self.samples.append((time.time(), self.busy()))
            time.sleep(0.1)

    def during(self, f):
        start = time.time()
        result = f()
        window = [busy for at, busy in list(self.samples) if at >= start]
        result["maintenance_share"] = sum(window) / max(1, len(window))
        return result


def maintenance_phase(results, store, data):
    """Foreground latency while the store's largest maintenance runs: the same workload on
    a quiet store (no git process running), then while `git repack` rolls the whole store
    into one pack (what the geometric repack does once the small packs outgrow the big one),
    niced as the server runs it. `-k` keeps unreachable objects, as the server's geometric
    repack does (a tree the writer may reuse is never dropped)."""
    server = start_scimgit(store, "durable", log_name="scimgit-maintenance")
    out = {}
    for name, script in [("get", "get.lua"), ("list", "list.lua"), ("member", "member.lua"), ("create", "create.lua")]:
        wait_quiet()
        log(f"maintenance: {name} on a quiet store...")
        quiet = wrk(server.port, script, data)
        wait_quiet()
        log(f"maintenance: {name} while the whole store is repacked...")
        repack = subprocess.Popen(["nice", "-n", "10", "git", "-c", "safe.directory=*", "-C", store, "repack", "-a", "-d", "-k", "-q"])
        begun = time.time()
        busy = wrk(server.port, script, data)
        overlapped = repack.poll() is None
        repack.wait()
        out[name] = {"quiet": quiet, "busy": busy, "repack_seconds": time.time() - begun, "whole_window": overlapped}
    server.stop()
    results["maintenance"] = out


def render_maintenance(r):
    m = r["maintenance"]
    names = {"get": "GET /Users/{id}", "list": "page of 100, random startIndex", "member": "one-member PATCH on the big group (durable)",
             "create": "POST /Users (durable)"}
    lines = ["", "## Maintenance beside the workloads", "",
             "The workloads above ran back to back, as a production server sees them: the maintenance the seeding or the previous "
             "workload started (git repack, the commit-graph) ran on beside the next one. Share of each window it ran: "
             + ", ".join(f"{k.replace('durable_', '')} {v['maintenance_share']:.0%}" for k, v in r["scimgit"].items() if "maintenance_share" in v and not k.startswith("fast_")) + ".",
             "", "The largest round, on its own: each workload on a quiet store, then while `git repack -a -d -k` (niced as the server runs it) "
             "rolls the whole store into one pack (same run, same store).", "",
             "| workload | p99 ms quiet | p99 ms during the repack | ratio | req/s quiet | req/s during | repack s |", "|---|---|---|---|---|---|---|"]
    worst = 0
    for key in ["get", "list", "member", "create"]:
        if key not in m:
            continue
        q, b = m[key]["quiet"], m[key]["busy"]
        ratio = b["p99_ms"] / q["p99_ms"]
        worst = max(worst, ratio)
        lines.append(f"| {names[key]} | {q['p99_ms']:.1f} | {b['p99_ms']:.1f} | {ratio:.2f}× | {q['rps']:.0f} | {b['rps']:.0f} | "
                     f"{m[key]['repack_seconds']:.0f}{'' if m[key]['whole_window'] else ' (ended within the window)'} |")
    lines += ["", f"- target: foreground p99 within 2× of the quiet store while maintenance runs: worst {worst:.2f}× — {'met' if worst <= 2 else '**not met**'}", ""]
    return "\n".join(lines)


def du_kib(path):
    return int(run(["du", "-sk", path]).stdout.split()[0])


def commits(store):
    return int(git(store, "rev-list", "--count", "HEAD"))


# ---------------------------------------------------------------- ceilings

def c_loop(users, count, fsync):
    binary = os.path.join(ROOT, "Benchmarks", "bin", "commit_loop")
    store = os.path.join(WORK, "ceiling-store")
    if not os.path.exists(store):
        log(f"ceiling: seeding a {users}-file store for the C loop")
        run([binary, store, str(users), "10", "nofsync"])
    out = run([binary, store, str(users), str(count), "fsync" if fsync else "nofsync"]).stdout
    return float(re.search(r"commits_per_second=([0-9.]+)", out).group(1))


def nginx(root, data):
    port = free_port()
    conf = os.path.join(WORK, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
daemon off;
pid {WORK}/nginx.pid;
error_log {WORK}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type application/scim+json;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
""")
    proc = subprocess.Popen(["nginx", "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    try:
        return wrk(port, "static.lua", data)
    finally:
        proc.send_signal(signal.SIGQUIT)
        proc.wait()


# ---------------------------------------------------------------- many organisations

def tenants_phase(results):
    """TENANTS stores of TENANT_USERS users under one server, the one-store workloads spread
    over random tenants, memory, cold starts and a burst at one tenant beside another."""
    binary = os.path.join(ROOT, ".build", "release", "scimgit")
    root = os.path.join(WORK, "tenants")
    log(f"tenants: adding {TENANTS} tenants...")
    tokens = {}
    for number in range(TENANTS):
        name = f"t{number:04d}"
        out = run([binary, "tenant", "add", name, "--root", root]).stdout
        tokens[name] = out.strip().splitlines()[-1]
    port = free_port()
    cmd = [binary, "serve", "--tenants", root, "--port", str(port), "--durability", "durable", "--log-level", "warning"]

    def start():
        return Server(cmd, port, "/scim/v2/t0000/Users?count=0", log_name="scimgit-tenants")

    server = start()
    log(f"tenants: seeding {TENANT_USERS} users in each...")
    lines = []
    lock = threading.Lock()
    local = threading.local()

    def seed(name):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": "Bearer " + tokens[name], "Content-Type": "application/scim+json"}
        for i in range(TENANT_USERS):
            user = f"user{i}@bench.example"
            body = json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": user, "externalId": f"00u{i}",
                               "name": {"givenName": "Bench", "familyName": f"User{i}"},
                               "emails": [{"value": user, "type": "work", "primary": True}], "active": True})
            local.conn.request("POST", f"/scim/v2/{name}/Users", body, headers)
            response = local.conn.getresponse()
            data = response.read()
            if response.status != 201:
                raise RuntimeError(f"tenant {name}: create {user}: {response.status} {data[:200]}")
            with lock:
                lines.append(f"{name} {tokens[name]} {json.loads(data)['id']} {user}")

    start_time = time.time()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(seed, sorted(tokens)))
    results["tenant_seed_rate"] = len(lines) / (time.time() - start_time)
    data = os.path.join(WORK, "tenant-data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, "tenants.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    tenant_results = {}
    for name, script in [("get", "tenant_get.lua"), ("lookup", "tenant_lookup.lua"), ("durable_create", "tenant_create.lua")]:
        wait_quiet()
        log(f"tenants {name}...")
        tenant_results[name] = wrk(port, script, data)
    results["tenant_rss_mb"] = server.rss_mb()

    # A burst of creates at one tenant (wrk, 8 connections) beside sequential reads of another.
    def read_latencies(count=400):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        other = [line.split() for line in lines if line.startswith("t0001 ")]
        latencies = []
        for i in range(count):
            tenant, token, ident, _ = other[i % len(other)]
            started = time.perf_counter()
            conn.request("GET", f"/scim/v2/{tenant}/Users/{ident}", headers={"Authorization": "Bearer " + token})
            conn.getresponse().read()
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]

    wait_quiet()
    results["tenant_quiet_read_ms"] = read_latencies()
    burst = threading.Thread(target=lambda: tenant_results.__setitem__("burst", wrk(port, "tenant_burst.lua", data)))
    burst.start()
    time.sleep(1)
    results["tenant_burst_read_ms"] = read_latencies()
    burst.join()

    # Cold tenants: after a clean stop every store is closed; the first request opens one.
    server.stop()
    server = start()
    cold = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for name in sorted(tokens)[1:201]:
        started = time.perf_counter()
        conn.request("GET", f"/scim/v2/{name}/Users?count=1", headers={"Authorization": "Bearer " + tokens[name]})
        conn.getresponse().read()
        cold.append((time.perf_counter() - started) * 1000)
    cold.sort()
    results["tenant_cold_ms"] = (cold[len(cold) // 2], cold[int(len(cold) * 0.99)])
    server.stop()
    results["tenants"] = tenant_results


def replication_phase(results, store, data):
    """Replication lag under write load: from the moment HEAD holds a commit (sampled every
    0.2 s) to the moment each mirror's branch holds it, read from the mirror's refs; next
    to the same load on the same store without mirrors, just before. Then a read replica
    following the daemon mirror, under a second window of the same load."""
    duration = max(DURATION * 2, 10)
    plain = start_scimgit(store, "durable")
    wait_quiet()
    log("replication: durable creates without mirrors...")
    baseline = wrk(plain.port, "create.lua", data, duration=duration)
    plain.stop()
    root = os.path.join(WORK, "mirrors")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    mirrors = {"file": os.path.join(root, "file.git"), "daemon": os.path.join(root, "daemon.git")}
    for path in mirrors.values():
        run(["git", "clone", "-q", "--bare", store, path])
        # As the README's Production section says: git's auto-gc after a push would repack
        # the whole mirror beside the next pushes (a minute at this size).
        run(["git", "--git-dir", path, "config", "receive.autogc", "false"])
    daemon_port = free_port()
    daemon = subprocess.Popen(["/usr/lib/git-core/git-daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
                               f"--base-path={root}", "--listen=127.0.0.1", f"--port={daemon_port}", root],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    server = start_scimgit(store, "durable", ["--mirror", "file://" + mirrors["file"],
                                              "--mirror", f"git://127.0.0.1:{daemon_port}/daemon.git"])

    def ref(git_dir):
        loose = os.path.join(git_dir, "refs", "heads", "main")
        try:
            with open(loose) as f:
                return f.read().strip()
        except OSError:
            return run(["git", "--git-dir", git_dir, "rev-parse", "refs/heads/main"]).stdout.strip()

    def contains(git_dir, commit, seen):
        """Whether the branch at `git_dir` holds `commit`; `seen` caches answers per tip."""
        tip = ref(git_dir)
        if tip == commit:
            return True
        key = (tip, commit)
        if key not in seen:
            seen[key] = subprocess.run(["git", "--git-dir", git_dir, "merge-base", "--is-ancestor", commit, tip],
                                       capture_output=True).returncode == 0
        return seen[key]

    head = lambda: ref(os.path.join(store, ".git"))

    def window(followers):
        """One load window: each follower's lag per sample, and when each equalled HEAD
        after the load stopped (seconds)."""
        deadline = time.time() + 120
        while time.time() < deadline and any(ref(m) != head() for m in followers.values()):
            time.sleep(0.1)
        lags = {name: [] for name in followers}
        samples = []  # (time, HEAD then), every 0.2 s while the load runs
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                samples.append((time.time(), head()))
                time.sleep(0.2)

        def watch(name):
            """Times each sample until the follower's branch holds its commit (in order:
            holding a commit means holding every earlier one)."""
            seen, position = {}, 0
            deadline = None
            while True:
                if stop.is_set() and deadline is None:
                    deadline = time.time() + 180
                if position < len(samples):
                    when, commit = samples[position]
                    if contains(followers[name], commit, seen):
                        lags[name].append(time.time() - when)
                        position += 1
                        continue
                elif stop.is_set():
                    return
                if deadline is not None and time.time() > deadline:
                    return
                time.sleep(0.02)

        wait_quiet()
        threads = [threading.Thread(target=sample)] + [threading.Thread(target=watch, args=(name,)) for name in followers]
        for thread in threads:
            thread.start()
        load = wrk(server.port, "create.lua", data, duration=duration)
        stop.set()
        end = time.time()
        for thread in threads:
            thread.join()
        final = head()
        caught = {}
        while time.time() - end < 300 and len(caught) < len(followers):
            for name, path in followers.items():
                if name not in caught and ref(path) == final:
                    caught[name] = time.time() - end
            time.sleep(0.05)
        return load, samples, {name: sorted(v * 1000 for v in values) for name, values in lags.items()}, caught

    log("replication: durable creates with two mirrors, sampling the lag...")
    load, samples, lags, caught = window(mirrors)
    results["replication"] = {
        "create": load, "create_without": baseline, "samples": len(samples),
        "catch_up_seconds": max(caught.values(), default=300), "lag_ms": lags,
    }
    # A read replica following the daemon mirror at the default --follow-interval, as an
    # operator would run it — but on this machine, sharing the two cores with the primary.
    log("replication: a replica cloning the daemon mirror...")
    replica_store = os.path.join(root, "replica")
    os.makedirs(replica_store)
    replica = start_scimgit(replica_store, "durable", ["--replica-of", f"git://127.0.0.1:{daemon_port}/daemon.git"],
                            log_name="scimgit-replica")
    log("replication: durable creates with the two mirrors and the replica, sampling its lag...")
    load, samples, lags, caught = window({"daemon": mirrors["daemon"], "replica": os.path.join(replica_store, ".git")})
    results["replication"]["replica"] = {
        "create": load, "samples": len(samples), "lag_ms": lags["replica"], "mirror_lag_ms": lags["daemon"],
        "catch_up_seconds": caught.get("replica", 300), "clone_seconds": replica.started, "rss_mb": replica.rss_mb(),
    }
    replica.stop()
    server.stop()
    daemon.terminate()
    daemon.wait()

def import_file(path, count, group_members):
    """An NDJSON export of `count` users as an IdP holds them (UUID ids, the enterprise
    extension) and one group of `group_members` of them, named by their ids."""
    rng = random.Random(7)
    ids = []
    with open(path, "w") as f:
        for i in range(count):
            uid = str(uuid_from(rng))
            ids.append(uid)
            f.write(json.dumps({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                "id": uid, "userName": f"imported{i:07d}@example.com", "externalId": f"00u{i:07d}",
                "name": {"givenName": f"Given{i}", "familyName": f"Family{i}"}, "displayName": f"Given{i} Family{i}",
                "emails": [{"value": f"imported{i:07d}@example.com", "primary": True, "type": "work"}], "active": True,
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": f"Dept{i % 50}", "employeeNumber": str(i)},
            }) + "\n")
        f.write(json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Imported",
                            "members": [{"value": m} for m in ids[:group_members]]}) + "\n")
    return ids


def uuid_from(rng):
    import uuid
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def timed_command(cmd):
    """Runs `cmd`; its wall seconds, peak resident MB and output."""
    start = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {output}")
    return time.time() - start, usage.ru_maxrss / 1024, output


def import_phase(results):
    """`scimgit import` of USERS users into a fresh store, next to the same files created by
    a plain loop (the file system's floor for the working tree), and an import into a store
    a server is serving: how long until the server answers with the new users, and how long
    its writes waited meanwhile."""
    folder = os.path.join(WORK, "import")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    path = os.path.join(folder, "people.ndjson")
    log(f"import: writing an export of {USERS} users...")
    ids = import_file(path, USERS, 1000)
    binary = os.path.join(ROOT, ".build", "release", "scimgit")
    store = os.path.join(folder, "store")
    run([binary, "init", store])
    wait_quiet()
    log("import: into a store no server holds...")
    seconds, rss, output = timed_command([binary, "import", path, "--repo", store])
    # The floor: the same files (and folders) written by a loop, fsync'd by one syncfs, as the import does.
    floor = os.path.join(folder, "floor")
    with open(os.path.join(store, git(store, "ls-files", "Users").split()[0]), "rb") as f:
        sample = f.read()
    wait_quiet()
    start = time.time()
    for uid in ids:
        directory = os.path.join(floor, "Users", uid[0:2], uid[2:4])
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, uid + ".json"), "wb") as f:
            f.write(sample)
    os.sync()
    floor_seconds = time.time() - start
    # The floor's files are removed only at the end: on ext4 without a journal (these
    # machines) a new inode is not taken from those freed in the last minute (six while
    # their inode table is not yet written back), so files created soon after a mass
    # removal cost many times more (`recently_deleted` in a kernel profile). Removing them
    # here made the next import several times slower.

    log("import: into a store a server serves, with one client writing...")
    served = os.path.join(folder, "served")
    run([binary, "init", served])
    server = start_scimgit(served, "durable", log_name="scimgit-import")
    headers = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/scim+json"}
    latencies, statuses, stop = [], [], threading.Event()

    def writer():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        n = 0
        while not stop.is_set():
            body = json.dumps({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"live{n}@example.com"})
            begun = time.time()
            conn.request("POST", "/scim/v2/Users", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.time() - begun)
            statuses.append(response.status)
            n += 1
            time.sleep(0.1)

    thread = threading.Thread(target=writer)
    thread.start()
    start = time.time()
    live_seconds, _, _ = timed_command([binary, "import", path, "--repo", served])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    last = urllib.parse.quote(f'userName eq "imported{USERS - 1:07d}@example.com"')
    while True:
        conn.request("GET", f"/scim/v2/Users?filter={last}&attributes=id", headers=headers)
        response = conn.getresponse()
        body = json.loads(response.read())
        if body.get("totalResults") == 1:
            break
        time.sleep(0.2)
    visible = time.time() - start
    stop.set()
    thread.join()
    results["import"] = {
        "users": USERS, "seconds": seconds, "rate": USERS / seconds, "rss_mb": rss, "floor_seconds": floor_seconds,
        "output": output.strip().split("\n")[0], "live_seconds": live_seconds, "visible_seconds": visible,
        "write_max_ms": max(latencies) * 1000, "writes": len(statuses), "writes_503": statuses.count(503),
        "writes_other": sorted(set(x for x in statuses if x not in (201, 503))),
    }
    server.stop()
    shutil.rmtree(floor, ignore_errors=True)


def render_import(r):
    i = r["import"]
    return "\n".join(["", "## Import", "",
        f"`scimgit import` of an export of {i['users']:,} users (UUID ids, the enterprise extension) and one group of 1,000 of them.", "",
        "| | seconds | rate |", "|---|---|---|",
        f"| into a store no server holds | {i['seconds']:.1f} | {i['rate']:.0f} records/s |",
        f"| the same files and folders created by a Python loop and flushed (the file system's floor for the working tree) | {i['floor_seconds']:.1f} | {i['users'] / i['floor_seconds']:.0f} files/s |",
        "", f"- import {i['floor_seconds'] / i['seconds']:.2f}× the rate of the file-creation loop; peak resident memory of the import {i['rss_mb']:.0f} MB",
        f"- into a store a server serves, one client creating a user every 0.1 s: the import took {i['live_seconds']:.1f} s and the server answered with its last user {i['visible_seconds']:.1f} s after it began; "
        f"the slowest of the client's {i['writes']} writes took {i['write_max_ms']:.0f} ms, {i['writes_503']} were answered 503 (the 5 s lock wait ran out while the import committed)"
        + (f", others {i['writes_other']}" if i['writes_other'] else ""), ""])


def history_phase(results, store, ids):
    """What reads from history cost at this size: an `asOf` read at a commit 100 writes
    back (cold: that commit's tree is read; warm: its indexes are kept), and a cursor walk
    (its first page pins HEAD and builds it)."""
    server = start_scimgit(store, "durable")
    headers = {"Authorization": "Bearer " + TOKEN}
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)

    def timed(path):
        start = time.time()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:200]}")
        return time.time() - start, json.loads(body)

    past = git(store, "rev-parse", "HEAD~100").strip()
    rss_before = server.rss_mb()
    cold, _ = timed(f"/scim/v2/Users/{ids[0]}?asOf={past}")
    warm = statistics.median(timed(f"/scim/v2/Users/{random.choice(ids)}?asOf={past}")[0] for _ in range(50))
    now = statistics.median(timed(f"/scim/v2/Users/{random.choice(ids)}")[0] for _ in range(50))
    first, page = timed("/scim/v2/Users?count=100&attributes=id&cursor")
    later = []
    for _ in range(50):
        cursor = urllib.parse.quote(page["nextCursor"], safe="")
        seconds, page = timed(f"/scim/v2/Users?count=100&attributes=id&cursor={cursor}")
        later.append(seconds)
    results["history"] = {
        "cold_ms": cold * 1000, "warm_ms": warm * 1000, "now_ms": now * 1000, "walk_first_ms": first * 1000,
        "walk_page_p50_ms": statistics.median(later) * 1000, "walk_page_max_ms": max(later) * 1000,
        "rss_before_mb": rss_before, "rss_after_mb": server.rss_mb(),
    }
    server.stop()


def render_history(r):
    h = r["history"]
    return "\n".join(["", "## Reads from history", "",
        f"The same store; one client, sequential requests (same run).", "",
        "| read | ms |", "|---|---|",
        f"| GET /Users/{{id}} now | {h['now_ms']:.2f} |",
        f"| GET /Users/{{id}}?asOf= a commit 100 writes back, first (reads that commit's tree) | {h['cold_ms']:.0f} |",
        f"| the same, later (its indexes kept) | {h['warm_ms']:.2f} |",
        f"| cursor walk, first page (pins HEAD, reads its tree) | {h['walk_first_ms']:.0f} |",
        f"| cursor walk, later pages of 100: median / worst of 50 | {h['walk_page_p50_ms']:.2f} / {h['walk_page_max_ms']:.2f} |",
        "", f"- resident memory: {h['rss_before_mb']:.0f} MB before, {h['rss_after_mb']:.0f} MB with the two points kept", ""])


def render_replication(r):
    rep = r["replication"]
    without = rep["create_without"]["rps"]
    lines = ["", "## Replication to git remotes", "",
             "The 100,000-user store served with two `--mirror`s, a bare repository over file:// and `git daemon` on 127.0.0.1 "
             f"(same run). Durable creates from wrk ({CONNECTIONS} connections, {rep['create']['seconds']:.0f} s); HEAD is sampled every 0.2 s "
             "and each sample timed until the mirror's branch holds it (read from the mirror's refs).", "",
             "| mirror | samples | median ms | p90 ms | worst ms |", "|---|---|---|---|---|"]
    def lag_row(label, values):
        if not values:
            return f"| {label} | 0 | — | — | — |"
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        return f"| {label} | {len(values)} | {statistics.median(values):.0f} | {p90:.0f} | {values[-1]:.0f} |"

    for name, label in [("file", "file:// bare repository"), ("daemon", "git daemon over 127.0.0.1")]:
        lines.append(lag_row(label, rep["lag_ms"].get(name, [])))
    lines += ["", f"- durable creates with the two mirrors pushing: {rep['create']['rps']:.0f} req/s (p99 {rep['create']['p99_ms']:.1f} ms), "
              f"{rep['create']['rps'] / without:.2f}× the {without:.0f} req/s of the same load without mirrors just before",
              f"- both mirrors equal to HEAD {rep['catch_up_seconds']:.2f} s after the load stopped"]
    if "replica" in rep:
        replica = rep["replica"]
        lines += ["", "A read replica (`--replica-of` the daemon mirror, the default `--follow-interval` of 2 s) under a second window of "
                  "the same load; its lag counts from the primary's HEAD, so it includes the mirror's. It runs on the same two cores "
                  "as the primary, the mirrors and wrk.", "",
                  "| follower | samples | median ms | p90 ms | worst ms |", "|---|---|---|---|---|",
                  lag_row("git daemon mirror", replica["mirror_lag_ms"]), lag_row("read replica following it", replica["lag_ms"]), "",
                  f"- durable creates meanwhile: {replica['create']['rps']:.0f} req/s, {replica['create']['rps'] / without:.2f}× the load without mirrors",
                  f"- the replica equal to HEAD {replica['catch_up_seconds']:.2f} s after the load stopped; its clone and first start took "
                  f"{replica['clone_seconds']:.0f} s, its resident memory {replica['rss_mb']:.0f} MB"]
    lines.append("")
    return "\n".join(lines)


def render_tenants(r):
    t, s = r["tenants"], r["scimgit"]
    lines = [
        "",
        f"## Many organisations: {TENANTS:,} tenants of {TENANT_USERS} users",
        "",
        f"One `scimgit serve --tenants` (durable writes), each request at a random tenant with its own token, next to the "
        f"same workload on the one {r['users']:,}-user store above (same run).",
        "",
        "| workload | tenants req/s | p99 ms | one store req/s | tenants / one store |",
        "|---|---|---|---|---|",
    ]
    for key, label in [("get", "GET /{tenant}/Users/{id}"), ("lookup", "userName lookup"), ("durable_create", "POST /{tenant}/Users (durable)")]:
        lines.append(f"| {label} | {t[key]['rps']:.0f} | {t[key]['p99_ms']:.2f} | {s[key]['rps']:.0f} | {t[key]['rps'] / s[key]['rps']:.2f}× |")
    quiet, burst = r["tenant_quiet_read_ms"], r["tenant_burst_read_ms"]
    lines += [
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| GET ≥ 0.8× the one store | {t['get']['rps'] / s['get']['rps']:.2f}× | {'yes' if t['get']['rps'] >= 0.8 * s['get']['rps'] else '**no**'} |",
        f"| userName lookup ≥ 0.8× | {t['lookup']['rps'] / s['lookup']['rps']:.2f}× | {'yes' if t['lookup']['rps'] >= 0.8 * s['lookup']['rps'] else '**no**'} |",
        f"| writes ≥ 0.8× | {t['durable_create']['rps'] / s['durable_create']['rps']:.2f}× | {'yes' if t['durable_create']['rps'] >= 0.8 * s['durable_create']['rps'] else '**no**'} |",
        f"| resident memory with every tenant touched < 500 MB | {r['tenant_rss_mb']:.0f} MB | {'yes' if r['tenant_rss_mb'] < 500 else '**no**'} |",
        f"| first request to a cold tenant p99 < 20 ms | p50 {r['tenant_cold_ms'][0]:.1f} ms, p99 {r['tenant_cold_ms'][1]:.1f} ms | {'yes' if r['tenant_cold_ms'][1] < 20 else '**no**'} |",
        "",
        f"- seeding through the API: {r['tenant_seed_rate']:.0f} users/s (8 clients, one tenant each at a time)",
        f"- a burst of creates at one tenant ({t['burst']['rps']:.0f} req/s, 8 connections) beside sequential reads at another: "
        f"reads p50 {quiet[0]:.2f} → {burst[0]:.2f} ms, p99 {quiet[1]:.2f} → {burst[1]:.2f} ms (the two share the machine's two cores, nothing else)",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main

def write_report(results):
    """results.json in WORK, and Benchmarks/results.md with every phase that ran."""
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    report = render(results)
    for phase, part in [("maintenance", render_maintenance), ("tenants", render_tenants), ("replication", render_replication),
                        ("history", render_history), ("import", render_import)]:
        if phase in results:
            report += part(results)
    with open(os.path.join(ROOT, "Benchmarks", "results.md"), "w") as f:
        f.write(report)
    print(report)


def splice_report(results, phases):
    """Replaces (or appends) only the given phases' sections of Benchmarks/results.md: for a
    phase that needs no store of a full run (`ONLY=import` in a fresh WORK)."""
    renderers = {"import": render_import, "history": render_history, "replication": render_replication, "tenants": render_tenants,
                 "maintenance": render_maintenance}
    for phase in phases:
        splice_section(renderers[phase](results))
    print(open(os.path.join(ROOT, "Benchmarks", "results.md")).read())


def splice_section(part):
    """Puts `part` (markdown starting with a `## ` title) in Benchmarks/results.md in place
    of the section of that title, or at the end."""
    path = os.path.join(ROOT, "Benchmarks", "results.md")
    report = open(path).read()
    title = next(line for line in part.split("\n") if line.startswith("## "))
    start = report.find("\n" + title + "\n")
    if start < 0:
        report = report.rstrip("\n") + "\n" + part
    else:
        end = report.find("\n## ", start + 1)
        report = report[:start] + part.rstrip("\n") + "\n" + (report[end:] if end >= 0 else "")
    with open(path, "w") as f:
        f.write(report)


def only(phases):
    """Runs some of the later phases again on the store a full run left in WORK, and
    renders the report with their new figures (`ONLY=replication,history`). `ONLY=import`
    needs no earlier run: its section of the report is replaced alone."""
    store, data = os.path.join(WORK, "store"), os.path.join(WORK, "data")
    if not os.path.exists(os.path.join(WORK, "results.json")):
        if set(phases) != {"import"}:
            raise SystemExit(f"{WORK} holds no earlier full run (results.json): only ONLY=import runs without one")
        os.makedirs(WORK, exist_ok=True)
        run(["swift", "build", "-c", "release", "--product", "scimgit"], cwd=ROOT)
        results = {}
        import_phase(results)
        return splice_report(results, ["import"])
    with open(os.path.join(WORK, "results.json")) as f:
        results = json.load(f)
    run(["swift", "build", "-c", "release", "--product", "scimgit"], cwd=ROOT)
    ids = open(os.path.join(data, "ids.txt")).read().split()
    if "replication" in phases:
        replication_phase(results, store, data)
    if "history" in phases:
        history_phase(results, store, ids)
    if "import" in phases:
        import_phase(results)
    if "maintenance" in phases:
        maintenance_phase(results, store, data)
    write_report(results)


def main():
    if os.environ.get("ONLY"):
        return only(os.environ["ONLY"].split(","))
    log(f"work folder {WORK}; {USERS} users, group of {GROUP_MEMBERS}, peer at {PEER_USERS}, {DURATION}s per workload, {CONNECTIONS} connections")
    os.makedirs(WORK, exist_ok=True)
    run(["swift", "build", "-c", "release", "--product", "scimgit"], cwd=ROOT)
    os.makedirs(os.path.join(ROOT, "Benchmarks", "bin"), exist_ok=True)
    run(["cc", "-O2", "-o", os.path.join(ROOT, "Benchmarks", "bin", "commit_loop"), os.path.join(ROOT, "Benchmarks", "store", "commit_loop.c"), "-lgit2"])
    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(), "users": USERS,
               "group": GROUP_MEMBERS, "peer_users": PEER_USERS, "duration": DURATION, "connections": CONNECTIONS}

    # 1. Seed through the API, durable writes.
    store = os.path.join(WORK, "store")
    data = os.path.join(WORK, "data")
    server = start_scimgit(store, "durable")
    log(f"seeding {USERS} users through the API (durable)...")
    ids, names, seconds = seed_users(server.port, "/scim/v2", USERS)
    results["seed_rate"] = USERS / seconds
    log(f"seeded at {results['seed_rate']:.0f} users/s; group of {GROUP_MEMBERS}...")
    start = time.time()
    group = make_group(server.port, "/scim/v2", ids[:GROUP_MEMBERS])
    results["group_seconds"] = time.time() - start
    write_data(data, ids, names, ids[GROUP_MEMBERS:], group)
    results["rss_mb"] = server.rss_mb()

    # 2. Workloads, durable, back to back as a production server sees them: whatever
    # maintenance the seeding and the workload before started (git repack, the commit-graph)
    # runs on beside the next one; how much of each window it ran is recorded.
    scim = {}
    watch = MaintenanceWatch()
    for name, script in [("floor", "floor.lua"), ("get", "get.lua"), ("lookup", "lookup.lua"), ("list", "list.lua")]:
        log(f"scimgit {name}...")
        scim[name] = watch.during(lambda: wrk(server.port, script, data))
    for name, script in [("create", "create.lua"), ("put", "put.lua"), ("deactivate", "deactivate.lua"),
                         ("user_patch", "user_patch.lua"), ("member", "member.lua")]:
        log(f"scimgit durable {name}...")
        scim["durable_" + name] = watch.during(lambda: wrk(server.port, script, data))
    results["rss_after_mb"] = server.rss_mb()
    server.stop()

    # 3. The store: size, growth per write (loose, before packing), startup at this size.
    git(store, "repack", "-d", "-q", "--geometric=2")
    results["objects_after_workloads"] = count_objects(store)
    results["git_kib"] = du_kib(os.path.join(store, ".git"))
    probe = start_scimgit(store, "fast", ["--repack-threshold", "0"])
    results["startup_seconds"] = probe.started
    before_commits, before_kib, before_objects = commits(store), du_kib(os.path.join(store, ".git")), count_objects(store)
    wrk(probe.port, "user_patch.lua", data, duration=3)
    probe.stop()
    added = commits(store) - before_commits
    results["growth_kib_per_write"] = (du_kib(os.path.join(store, ".git")) - before_kib) / max(added, 1)
    results["loose_before_repack"] = count_objects(store)["count"] - before_objects["count"]
    results["loose_writes"] = added

    # Fast mode, same store: the write workloads again (with packing on).
    server = start_scimgit(store, "fast")
    for name, script in [("create", "create.lua"), ("put", "put.lua"), ("deactivate", "deactivate.lua"),
                         ("user_patch", "user_patch.lua"), ("member", "member.lua")]:
        log(f"scimgit fast {name}...")
        scim["fast_" + name] = watch.during(lambda: wrk(server.port, script, data))
    server.stop()
    time.sleep(2)
    results["objects_final"] = count_objects(store)
    results["scimgit"] = scim

    # 4. Ceilings.
    wait_quiet()
    if not os.environ.get("SKIP_CEILING"):
        log("ceiling: C loop (libgit2) without and with fsync...")
        results["c_nofsync"] = statistics.median(c_loop(USERS, 2000, False) for _ in range(3))
        results["c_fsync"] = statistics.median(c_loop(USERS, 500, True) for _ in range(3))
        log("ceiling: nginx serving the user files...")
        results["nginx"] = nginx(store, data)

    # Peer.
    if not os.environ.get("SKIP_PEER"):
        peer = start_peer()
        log(f"peer: seeding scim2-server with {PEER_USERS} users...")
        pids, pnames, seconds = seed_users(peer.port, "/v2", PEER_USERS)
        results["peer_seed_rate"] = PEER_USERS / seconds
        pgroup = make_group(peer.port, "/v2", pids[:PEER_USERS // 2], chunk=500)
        pdata = os.path.join(WORK, "peer-data")
        write_data(pdata, pids, pnames, pids[PEER_USERS // 2:], pgroup)
        peer_results = {}
        for name, script in [("get", "get.lua"), ("lookup", "lookup.lua"), ("list", "list.lua"), ("create", "create.lua"),
                             ("put", "put.lua"), ("deactivate", "deactivate.lua"), ("user_patch", "user_patch.lua"), ("member", "member.lua")]:
            log(f"peer {name}...")
            peer_results[name] = wrk(peer.port, script, pdata, base="/v2", users=PEER_USERS)
        peer.stop()
        results["peer"] = peer_results

    if not os.environ.get("SKIP_TENANTS"):
        tenants_phase(results)

    if not os.environ.get("SKIP_REPLICATION"):
        replication_phase(results, store, data)

    if not os.environ.get("SKIP_HISTORY"):
        history_phase(results, store, ids)

    if not os.environ.get("SKIP_MAINTENANCE"):
        maintenance_phase(results, store, data)

    if not os.environ.get("SKIP_IMPORT"):
        import_phase(results)

    write_report(results)


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = int(line.split()[1]) // (1024 * 1024)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, kernel {os.uname().release}"


def render(r):
    s = r["scimgit"]
    p = r.get("peer", {})
    lines = [
        "# scimgit benchmark",
        "",
        f"Run {r['date']} on {r['machine']}. {r['users']:,} users seeded through the API, one group of "
        f"{r['group']:,} members; each workload {r['duration']} s of wrk over loopback with {r['connections']} connections. "
        "Ceilings and the peer were measured in the same run; ratios compare numbers from this run only.",
        "",
        "## Throughput",
        "",
        "| workload | scimgit req/s | p50 ms | p99 ms | ceiling | scimgit / ceiling | peer req/s (at "
        f"{r['peer_users']:,} users) | scimgit / peer |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label, key, ceiling_label=None, ceiling=None, peer_key=None):
        m = s[key]
        ratio = f"{m['rps'] / ceiling:.2f}×" if ceiling else "—"
        peer = p.get(peer_key) if peer_key else None
        peer_text = f"{peer['rps']:.0f}" if peer else "—"
        peer_ratio = f"{m['rps'] / peer['rps']:.0f}×" if peer and peer["rps"] > 0 else "—"
        errors = f" ({m['errors']} errors)" if m.get("errors") else ""
        lines.append(f"| {label} | {m['rps']:.0f}{errors} | {m['p50_ms']:.2f} | {m['p99_ms']:.2f} | {ceiling_label or '—'} | {ratio} | {peer_text} | {peer_ratio} |")

    nginx = r.get("nginx", {}).get("rps")
    cn, cf = r.get("c_nofsync"), r.get("c_fsync")
    if "floor" in s:
        row("HTTP floor: GET /ServiceProviderConfig (no file, for reference)", "floor", f"nginx {nginx:.0f}" if nginx else None, nginx)
    row("GET /Users/{id}", "get", f"nginx {nginx:.0f}" if nginx else None, nginx, "get")
    row("userName lookup (Okta)", "lookup", f"nginx {nginx:.0f}" if nginx else None, nginx, "lookup")
    row("list page of 100, random startIndex", "list", None, None, "list")
    for mode in ["durable", "fast"]:
        ceiling = cf if mode == "durable" else cn
        label = f"C loop {'fsync' if mode == 'durable' else 'no fsync'} {ceiling:.0f}" if ceiling else None
        row(f"POST /Users ({mode})", f"{mode}_create", label, ceiling, "create")
        row(f"PUT full user ({mode})", f"{mode}_put", label, ceiling, "put")
        row(f"deactivate PATCH ({mode})", f"{mode}_deactivate", label, ceiling, "deactivate")
        row(f"one-attribute user PATCH ({mode})", f"{mode}_user_patch", label, ceiling, "user_patch")
        row(f"member add/remove on the {r['group']:,}-member group ({mode})", f"{mode}_member", label, ceiling, "member")
    lines += [
        "",
        "## Against the targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]

    def target(name, value, ok):
        lines.append(f"| {name} | {value} | {'yes' if ok else '**no**'} |")

    if cf and cn:
        for key, label in [("create", "creates"), ("put", "PUTs"), ("deactivate", "PATCHes")]:
            v = s["durable_" + key]["rps"]
            target(f"durable {label} ≥ 3× C loop with fsync", f"{v / cf:.2f}×", v >= 3 * cf)
            target(f"durable {label} ≥ 0.5× C loop without fsync", f"{v / cn:.2f}×", v >= 0.5 * cn)
        for key, label in [("create", "creates"), ("put", "PUTs"), ("deactivate", "PATCHes")]:
            v = s["fast_" + key]["rps"]
            target(f"fast {label} ≥ 0.8× C loop without fsync", f"{v / cn:.2f}×", v >= 0.8 * cn)
    for mode in ["durable", "fast"]:
        m, u = s[f"{mode}_member"]["rps"], s[f"{mode}_user_patch"]["rps"]
        target(f"membership PATCH ≥ 0.8× user PATCH ({mode})", f"{m / u:.2f}×", m >= 0.8 * u)
    if nginx:
        for key, label in [("get", "GET /Users/{id}"), ("lookup", "userName lookup")]:
            target(f"{label} ≥ 0.5× nginx", f"{s[key]['rps'] / nginx:.2f}×", s[key]["rps"] >= 0.5 * nginx)
    target("list page of 100 p99 < 20 ms", f"{s['list']['p99_ms']:.1f} ms", s["list"]["p99_ms"] < 20)
    target(f"startup at {r['users']:,} users < 3 s", f"{r['startup_seconds']:.2f} s", r["startup_seconds"] < 3)
    target(f"resident memory at {r['users']:,} users < 400 MB", f"{r['rss_mb']:.0f} MB after seeding, {r['rss_after_mb']:.0f} MB after the workloads",
           max(r["rss_mb"], r["rss_after_mb"]) < 400)
    target("repository growth < 40 KiB per write before packing", f"{r['growth_kib_per_write']:.1f} KiB ({r['loose_before_repack']} loose objects for {r['loose_writes']} writes)",
           r["growth_kib_per_write"] < 40)
    final = r["objects_final"]
    target("loose objects bounded (packed automatically)", f"{final['count']} loose, {final['packs']} packs, {final['size-pack'] / 1024:.0f} MiB packed after {commits_text(r)}",
           final["count"] < 10000)
    if p:
        worst = min((s[k]["rps"] / p[pk]["rps"], k) for k, pk in
                    [("get", "get"), ("lookup", "lookup"), ("list", "list"), ("durable_create", "create"), ("durable_put", "put"),
                     ("durable_deactivate", "deactivate"), ("durable_member", "member")] if p.get(pk, {}).get("rps"))
        target("≥ 10× the peer on every workload (durable)", f"lowest {worst[0]:.0f}× ({worst[1]})", worst[0] >= 10)
    lines += [
        "",
        "## The store",
        "",
        f"- seed rate through the API (8 clients, durable): {r['seed_rate']:.0f} users/s; the {r['group']:,}-member group took {r['group_seconds']:.1f} s in PATCHes of 1,000",
        f"- startup with {r['users']:,} users: {r['startup_seconds']:.2f} s (until the first request is answered)",
        f"- resident memory: {r['rss_mb']:.0f} MB after seeding, {r['rss_after_mb']:.0f} MB after the workloads",
        f"- repository: {r['git_kib'] / 1024:.0f} MiB of .git after the durable workloads (packed); {r['growth_kib_per_write']:.1f} KiB per write before packing",
        f"- objects at the end: {final['count']} loose, {final['packs']} packs",
    ]
    if p:
        lines.append(f"- peer (scim2-server) seed rate: {r['peer_seed_rate']:.0f} users/s")
    lines += ["", "Reproduce with `make bench` (see Benchmarks/README.md).", ""]
    return "\n".join(lines)


def commits_text(r):
    return "the workloads"


if __name__ == "__main__":
    main()
