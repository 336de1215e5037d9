#!/usr/bin/env python3
"""`make bench-scale`: scimgit at 1,000,000 users and 100,000 commits, next to the same run
at 100,000 users (issue 19).

For each size in SCALE_SIZES (default 100000,1000000), in one run on one machine:

1. an export of that many users (UUID ids, the enterprise extension) and one group of
   SCALE_GROUP (100,000) of them — at the smaller size the group is 10,000 users short of
   everyone, so that there are users to add — loaded by `scimgit import` (timed, peak
   memory);
2. once the import's files are written back (`sync`), `scimgit serve` (durable, the
   default) on the store; the workloads of `make bench`
   (GET by id, userName lookup, a page of 100, POST, PUT, one-attribute PATCH, a one-member
   PATCH on the big group), 10 s of wrk each, 8 connections, with the server's background
   maintenance left to run as it would in production;
3. startup after a clean stop and after a crash (SIGKILL), resident memory, repository size.

Then on the largest store, history at SCALE_COMMITS (100,000) commits: one-attribute PATCHes
from wrk until the store has that many, then a sync of SYNC_USERS (10,000) deactivations by
a client of its own, and the history commands timed as a user runs them while the server
runs: `log -n 20`, `log --resource` (by id and by userName; before and after the
maintenance's commit-graph), `diff` across DIFF_CHANGES (50,000) commits, `syncs`, and
`rollback --sync` of the 10,000 deactivations, with how long until the server shows it.

The report goes to Benchmarks/results.md (its "A million users" section) and, whole, to
WORK/scale.json. `ONLY=history WORK=<that run's folder>` runs the history part again on
its largest store, `ONLY=startup WORK=<that run's folder>` its workloads, startup and memory figures.
"""
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("WORK", tempfile.mkdtemp(prefix="scimgit-scale-"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the servers, wrk and the export of `make bench`)

WORK = bench.WORK
SIZES = [int(size) for size in os.environ.get("SCALE_SIZES", "100000,1000000").split(",")]
GROUP = int(os.environ.get("SCALE_GROUP", "100000"))
COMMITS = int(os.environ.get("SCALE_COMMITS", "100000"))
SYNC_USERS = int(os.environ.get("SYNC_USERS", "10000"))
DIFF_CHANGES = int(os.environ.get("DIFF_CHANGES", "50000"))
BINARY = os.path.join(bench.ROOT, ".build", "release", "scimgit")
SYNC_TOKEN = "nightly-sync-token-0123456789abcdef"
WORKLOADS = [("get", "get.lua"), ("lookup", "lookup.lua"), ("list", "list.lua"), ("create", "create.lua"),
             ("put", "put.lua"), ("user_patch", "user_patch.lua"), ("member", "member.lua")]
log = bench.log


def serve(store, durability="durable", name="scale"):
    return bench.start_scimgit(store, durability, ["--token", "nightly=" + SYNC_TOKEN], log_name=name)


def request(port, method, path, body=None, token=bench.TOKEN):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/scim+json"}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)


def command(*arguments, output=True):
    """A scimgit command as a user runs it: wall seconds, peak resident MB, what it printed
    (`output=False`: printed to /dev/null, as for a diff nobody reads whole)."""
    start = time.time()
    proc = subprocess.Popen([BINARY, *arguments], stdout=subprocess.PIPE if output else subprocess.DEVNULL, stderr=subprocess.PIPE)
    printed = proc.stdout.read().decode() if output else ""
    errors = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"scimgit {' '.join(arguments)}: {errors}")
    return time.time() - start, usage.ru_maxrss / 1024, printed


def best_of(count, *arguments):
    """The median wall time and the largest peak memory of `count` runs of a command."""
    runs = [command(*arguments) for _ in range(count)]
    return {"seconds": statistics.median(r[0] for r in runs), "rss_mb": max(r[1] for r in runs), "output": runs[0][2]}


def size_phase(users):
    folder = os.path.join(WORK, f"size-{users}")
    os.makedirs(folder, exist_ok=True)
    members = min(GROUP, max(users - 10000, users // 2))
    export = os.path.join(folder, "people.ndjson")
    log(f"{users}: writing an export with a group of {members}...")
    ids = bench.import_file(export, users, members)
    names = [f"imported{i:07d}@example.com" for i in range(users)]
    store = os.path.join(folder, "store")
    subprocess.run(["rm", "-rf", store], check=True)
    subprocess.run([BINARY, "init", store], check=True, capture_output=True)
    bench.wait_quiet()
    log(f"{users}: import...")
    seconds, rss, _ = bench.timed_command([BINARY, "import", export, "--repo", store])
    out = {"users": users, "group": members, "import_seconds": seconds, "import_rss_mb": rss}
    # The import leaves its working tree (4.5 GB at a million) for the kernel to write back;
    # served meanwhile, every durable write's fsync queues behind it and reads share the
    # cores with it. The workloads measure the server, so that is done first.
    started = time.time()
    subprocess.run(["sync"], check=True)
    out["writeback_seconds"] = time.time() - started

    server = serve(store)
    out["startup_after_import"] = server.started
    status, body = request(server.port, "GET", "/scim/v2/Groups?filter=" + urllib.parse.quote('displayName eq "Imported"') + "&attributes=id")
    group = body["Resources"][0]["id"]
    data = os.path.join(folder, "data")
    bench.write_data(data, ids, names, ids[members:], group)
    out["rss_start_mb"] = server.rss_mb()
    results = {}
    for name, script in WORKLOADS:
        log(f"{users}: {name}...")
        results[name] = bench.wrk(server.port, script, data, users=users)
    out["workloads"] = results
    out["rss_after_mb"] = server.rss_mb()
    out["private_after_mb"] = server.private_mb()
    server.stop()

    out.update(startup_phase(store, data, users))
    objects = bench.count_objects(store)
    out["pack_mib"] = objects["size-pack"] / 1024
    out["loose_mib"] = objects["size"] / 1024
    out["git_mib"] = bench.du_kib(os.path.join(store, ".git")) / 1024
    out["tree_mib"] = (bench.du_kib(store) - bench.du_kib(os.path.join(store, ".git"))) / 1024
    return out, store, data, ids, names


def history_phase(store, data, ids, names):
    """History at COMMITS commits on the largest store, with the server running."""
    users = len(ids)
    out = {}
    server = serve(store, name="scale-history")
    have = int(bench.git(store, "rev-list", "--count", "HEAD"))
    log(f"history: {have} commits; one-attribute PATCHes until {COMMITS}...")
    started = time.time()
    while have < COMMITS:
        bench.wrk(server.port, "user_patch.lua", data, users=users, duration=30)
        have = int(bench.git(store, "rev-list", "--count", "HEAD"))
    out["commit_seconds"] = time.time() - started

    # One sync of SYNC_USERS deactivations by its own client.
    log(f"history: a sync of {SYNC_USERS} deactivations...")
    synced = ids[-SYNC_USERS:]
    patch = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "value": {"active": False}}]}
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda uid: request(server.port, "PATCH", f"/scim/v2/Users/{uid}", patch, SYNC_TOKEN)[0], synced))
    if any(s != 200 for s in statuses):
        raise RuntimeError(f"sync PATCHes answered {sorted(set(statuses))}")
    out["commits"] = int(bench.git(store, "rev-list", "--count", "HEAD"))
    bench.wait_quiet()

    info = os.path.join(store, ".git", "objects", "info")
    graphs = [os.path.join(info, "commit-graph"), os.path.join(info, "commit-graphs")]
    out["graph_by_maintenance"] = any(os.path.exists(g) for g in graphs)
    sample = synced[0]
    sample_name = names[ids.index(sample)]
    repo = ["--repo", store]
    log("history: log...")
    out["log_20"] = best_of(3, "log", "-n", "20", *repo)
    out["log_20_lines"] = len(out["log_20"].pop("output").splitlines())
    # Without a commit-graph, then with one written as the maintenance writes it.
    for g in graphs:
        if os.path.exists(g):
            os.rename(g, g + ".aside")
    out["log_id_no_graph"] = best_of(1, "log", "--resource", sample, *repo)
    subprocess.run(["rm", "-rf"] + [g + ".aside" for g in graphs], check=True)
    log("history: git commit-graph write --reachable --split --changed-paths (what the maintenance runs)...")
    write_graph = ["git", "-C", store, "commit-graph", "write", "--reachable", "--split", "--changed-paths", "--no-progress"]
    start = time.time()
    subprocess.run(write_graph, check=True)
    out["graph_write_seconds"] = time.time() - start
    out["graph_mib"] = bench.du_kib(graphs[1]) / 1024
    out["log_id"] = best_of(3, "log", "--resource", sample, *repo)
    out["log_name"] = best_of(3, "log", "--resource", sample_name, *repo)
    for key in ("log_id_no_graph", "log_id", "log_name"):
        out[key + "_lines"] = len(out[key].pop("output").splitlines())

    log(f"history: diff across {DIFF_CHANGES} commits...")
    seconds, rss, _ = command("diff", f"HEAD~{DIFF_CHANGES}", "HEAD", *repo, output=False)
    changes = len(bench.git(store, "diff", "--name-only", f"HEAD~{DIFF_CHANGES}", "HEAD").splitlines())
    out["diff"] = {"seconds": seconds, "rss_mb": rss, "files": changes}

    log("history: syncs and rollback --sync...")
    seconds, rss, printed = command("syncs", "--client", "nightly", "--json", *repo)
    sync = json.loads(printed)[0]
    out["syncs"] = {"seconds": seconds, "rss_mb": rss}
    before = bench.git(store, "rev-parse", "HEAD").strip()
    seconds, rss, _ = command("rollback", "--sync", sync["id"], "--yes", *repo, output=False)
    returned = time.time()
    after = bench.git(store, "rev-parse", "HEAD").strip()
    committed = int(bench.git(store, "log", "-1", "--format=%ct", after))
    # Until the server answers with every rolled-back user active again (a sample of 100).
    deadline, last = time.time() + 120, synced[-100:]
    while time.time() < deadline:
        if all(request(server.port, "GET", f"/scim/v2/Users/{uid}?attributes=active")[1].get("active") for uid in last[::10]):
            break
        time.sleep(0.05)
    shown = time.time()
    active = sum(1 for uid in last if request(server.port, "GET", f"/scim/v2/Users/{uid}?attributes=active")[1].get("active"))
    out["rollback"] = {"seconds": seconds, "rss_mb": rss, "moved": before != after, "shown_after_commit": shown - committed,
                       "shown_after_command": shown - returned, "active_of_100": active}
    # The maintenance's next round: only the commits since go into a new layer.
    start = time.time()
    subprocess.run(write_graph, check=True)
    out["graph_rewrite_seconds"] = time.time() - start
    out["rss_server_mb"] = server.rss_mb()
    server.stop()
    return out


def ratio(big, small, key, workload):
    return big["workloads"][workload][key] / small["workloads"][workload][key]


def render(r):
    small, big = r["sizes"][0], r["sizes"][-1]
    h = r.get("history")
    names = {"get": "GET /Users/{id}", "lookup": "userName lookup (Okta)", "list": "page of 100, random startIndex",
             "create": "POST /Users", "put": "PUT full user", "user_patch": "one-attribute user PATCH",
             "member": f"one-member PATCH on the {big['group']:,}-member group (at {small['users']:,}: {small['group']:,})"}
    lines = ["", "## A million users and 100,000 commits", "",
             f"`make bench-scale`, run {r['date']} on {r['machine']}. Each store loaded by `scimgit import`, then served "
             "(durable writes, background maintenance on as in production); 10 s of wrk per workload, 8 connections; "
             + ("both sizes in the same run, so the ratios compare like with like." if "startup_rerun" not in big else
              f"The {big['users']:,}-user workloads, startups and memory were measured again on {big['startup_rerun']} "
              f"(`ONLY=startup`, after changes to how the server starts and what it keeps in memory), the import and the "
              f"{small['users']:,}-user figures are from the run above: those ratios cross two runs on a shared machine."), "",
             f"| workload | req/s at {small['users']:,} | req/s at {big['users']:,} | ratio | p99 ms at {small['users']:,} | p99 ms at {big['users']:,} |",
             "|---|---|---|---|---|---|"]
    for key, _ in WORKLOADS:
        a, b = small["workloads"][key], big["workloads"][key]
        lines.append(f"| {names[key]} | {a['rps']:.0f} | {b['rps']:.0f} | {b['rps'] / a['rps']:.2f}× | {a['p99_ms']:.2f} | {b['p99_ms']:.2f} |")
    lines += ["", f"| | {small['users']:,} users | {big['users']:,} users |", "|---|---|---|"]
    for label, key, fmt in [("import (seconds)", "import_seconds", "{:.1f}"), ("import peak memory (MB)", "import_rss_mb", "{:.0f}"),
                            ("startup after the import (s)", "startup_after_import", "{:.2f}"),
                            ("startup after a clean stop (s)", "startup_clean", "{:.2f}"),
                            ("startup after a crash (s)", "startup_crash", "{:.2f}"),
                            ("server memory after the workloads (MB)", "rss_after_mb", "{:.0f}"),
                            ("server memory after a restart (MB)", "rss_restart_mb", "{:.0f}"),
                            ("of it the server's own, not pages of mapped packs (MB)", "private_restart_mb", "{:.0f}"),
                            ("packed objects (MiB)", "pack_mib", "{:.0f}"), (".git (MiB)", "git_mib", "{:.0f}"),
                            ("working tree (MiB)", "tree_mib", "{:.0f}")]:
        lines.append(f"| {label} | {fmt.format(small[key]) if key in small else '–'} | {fmt.format(big[key]) if key in big else '–'} |")
    writes = min(ratio(big, small, "rps", w) for w in ("create", "put", "user_patch", "member"))
    reads = min(ratio(big, small, "rps", w) for w in ("get", "lookup"))
    targets = [("writes ≥ 0.8× the rate at 100k (lowest of POST, PUT, PATCH, membership)", f"{writes:.2f}×", writes >= 0.8),
               ("GET by id and userName lookup ≥ 0.9× (lowest)", f"{reads:.2f}×", reads >= 0.9),
               ("a page of 100 p99 < 20 ms", f"{big['workloads']['list']['p99_ms']:.1f} ms", big["workloads"]["list"]["p99_ms"] < 20),
               ("startup after a clean stop < 5 s", f"{big['startup_clean']:.2f} s", big["startup_clean"] < 5),
               ("startup after a crash < 60 s", f"{big['startup_crash']:.2f} s", big["startup_crash"] < 60),
               ("resident memory < 1.5 GB", f"{max(big['rss_after_mb'], big['rss_restart_mb']):.0f} MB", max(big["rss_after_mb"], big["rss_restart_mb"]) < 1536),
               ("repository < 1.5 GiB packed", f"{big['pack_mib'] / 1024:.2f} GiB", big["pack_mib"] < 1536)]
    if h:
        targets += [("`scimgit log -n 20` < 0.2 s", f"{h['log_20']['seconds']:.2f} s", h["log_20"]["seconds"] < 0.2),
                    ("`scimgit log --resource ID` < 0.5 s", f"{h['log_id']['seconds']:.2f} s", h["log_id"]["seconds"] < 0.5),
                    ("`scimgit log --resource USERNAME` < 0.5 s", f"{h['log_name']['seconds']:.2f} s", h["log_name"]["seconds"] < 0.5),
                    (f"`scimgit diff` across {DIFF_CHANGES:,} commits < 5 s", f"{h['diff']['seconds']:.1f} s", h["diff"]["seconds"] < 5),
                    (f"`scimgit rollback --sync` of {SYNC_USERS:,} users < 10 s", f"{h['rollback']['seconds']:.1f} s", h["rollback"]["seconds"] < 10),
                    ("the server shows the rollback within 2 s of its commit", f"{h['rollback']['shown_after_commit']:.1f} s", h["rollback"]["shown_after_commit"] < 2)]
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in targets]
    if h:
        lines += ["", f"History on the {big['users']:,}-user store at {h['commits']:,} commits (one-attribute PATCHes from wrk, "
                  f"then a sync of {SYNC_USERS:,} deactivations by a client of its own), the server running; each command as a user runs it "
                  "(median of 3 where it changes nothing):", "",
                  "| command | seconds | peak memory MB | |", "|---|---|---|---|",
                  f"| `log -n 20` | {h['log_20']['seconds']:.2f} | {h['log_20']['rss_mb']:.0f} | {h['log_20_lines']} lines |",
                  f"| `log --resource ID`, no commit-graph | {h['log_id_no_graph']['seconds']:.2f} | {h['log_id_no_graph']['rss_mb']:.0f} | {h['log_id_no_graph_lines']} lines |",
                  f"| `log --resource ID`, with the maintenance's commit-graph | {h['log_id']['seconds']:.2f} | {h['log_id']['rss_mb']:.0f} | {h['log_id_lines']} lines |",
                  f"| `log --resource USERNAME`, the same | {h['log_name']['seconds']:.2f} | {h['log_name']['rss_mb']:.0f} | {h['log_name_lines']} lines |",
                  f"| `diff HEAD~{DIFF_CHANGES} HEAD` ({h['diff']['files']:,} files) | {h['diff']['seconds']:.2f} | {h['diff']['rss_mb']:.0f} | |",
                  f"| `syncs --client nightly` | {h['syncs']['seconds']:.2f} | {h['syncs']['rss_mb']:.0f} | |",
                  f"| `rollback --sync` ({SYNC_USERS:,} users) | {h['rollback']['seconds']:.2f} | {h['rollback']['rss_mb']:.0f} | server showed it {h['rollback']['shown_after_commit']:.1f} s after the commit |",
                  "", f"- `git commit-graph write --reachable --split --changed-paths` (the background maintenance's step after each repack): "
                  f"{h['graph_write_seconds']:.1f} s for the whole history, {h['graph_rewrite_seconds']:.2f} s for the next round (the rollback's commit, a new layer); {h['graph_mib']:.1f} MiB; "
                  f"{'the server had already written one' if h['graph_by_maintenance'] else 'the server had not written one yet (no repack since the import)'}",
                  f"- {h['commit_seconds']:.0f} s of wrk PATCHes to reach {COMMITS:,} commits; server memory at the end {h['rss_server_mb']:.0f} MB", ""]
    return "\n".join(lines)


def startup_phase(store, data, users):
    """Startup after a clean stop (the index snapshot is current), then after a crash
    (SIGKILL during writes), and the memory of the restarted server."""
    out = {}
    server = serve(store, name="scale-restart")
    out["startup_clean"] = server.started
    bench.wrk(server.port, "user_patch.lua", data, users=users, duration=3)
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    server = serve(store, name="scale-crash")
    out["startup_crash"] = server.started
    out["rss_restart_mb"] = server.rss_mb()
    out["private_restart_mb"] = server.private_mb()
    server.stop()
    bench.wait_quiet()
    return out


def startup_again():
    """`ONLY=startup`: the workloads, startup and memory figures again on the largest store
    an earlier run left in WORK (after a change to how the server starts or what it
    keeps in memory); the import figures stay those of that run."""
    with open(os.path.join(WORK, "scale.json")) as f:
        results = json.load(f)
    big = results["sizes"][-1]
    folder = os.path.join(WORK, f"size-{big['users']}")
    data = os.path.join(folder, "data")
    store = os.path.join(folder, "store")
    server = serve(store)
    big["rss_start_mb"] = server.rss_mb()
    for name, script in WORKLOADS:
        log(f"{big['users']}: {name}...")
        big["workloads"][name] = bench.wrk(server.port, script, data, users=big["users"])
    big["rss_after_mb"] = server.rss_mb()
    big["private_after_mb"] = server.private_mb()
    server.stop()
    big.update(startup_phase(store, data, big["users"]))
    big["startup_rerun"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return results


def history_again():
    """`ONLY=history`: the history phase again on the largest store an earlier run left in
    WORK (after a change to the history commands), the report rendered with it."""
    with open(os.path.join(WORK, "scale.json")) as f:
        results = json.load(f)
    folder = os.path.join(WORK, f"size-{results['sizes'][-1]['users']}")
    data = os.path.join(folder, "data")
    ids = open(os.path.join(data, "ids.txt")).read().split()
    names = open(os.path.join(data, "usernames.txt")).read().split()
    results["history"] = history_phase(os.path.join(folder, "store"), data, ids, names)
    return results


def main():
    log(f"work folder {WORK}; sizes {SIZES}, {COMMITS} commits")
    subprocess.run(["swift", "build", "-c", "release", "--product", "scimgit"], cwd=bench.ROOT, check=True)
    if os.environ.get("ONLY") in ("history", "startup"):
        results = history_again() if os.environ["ONLY"] == "history" else startup_again()
        with open(os.path.join(WORK, "scale.json"), "w") as f:
            json.dump(results, f, indent=2)
        part = render(results)
        bench.splice_section(part)
        print(part)
        return
    results = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": bench.machine(), "sizes": []}
    last = None
    for users in SIZES:
        size, store, data, ids, names = size_phase(users)
        results["sizes"].append(size)
        last = (store, data, ids, names)
        with open(os.path.join(WORK, "scale.json"), "w") as f:
            json.dump(results, f, indent=2)
    if not os.environ.get("SKIP_HISTORY"):
        results["history"] = history_phase(*last)
    with open(os.path.join(WORK, "scale.json"), "w") as f:
        json.dump(results, f, indent=2)
    part = render(results)
    bench.splice_section(part)
    print(part)


if __name__ == "__main__":
    main()
