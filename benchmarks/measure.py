"""How the benchmarks measure: fresh processes, CPU seconds, peak memory, load.

Shared by validate_bench.py, enrich_bench.py, build_bench.py and scale_bench.py:

* ``PEAK_RSS`` and ``MEMORY``: code for a child process to read its own peak
  resident memory (``VmHWM`` in ``/proc/self/status``; see below why not
  ``ru_maxrss``) and to reset it (``/proc/self/clear_refs``);
* ``run_json``: ``python -c CODE ARGS`` in a fresh process that prints one JSON
  line; ``run_logged``: the same, with the output to a log file and the JSON to
  a result file;
* ``children_cpu``: CPU seconds of every child process waited for so far
  (``RUSAGE_CHILDREN``, which includes their own children that they waited
  for): take the difference around a run;
* ``TreeSampler``: a thread that reads ``/proc`` every 50 ms and keeps the peak
  of the SUM of resident memory over a process tree (what a machine must hold
  when processes run side by side), each process's own ``VmHWM``, CPU and
  lifetime, and a timeline;
* ``run_sampled``: a command in a fresh process under a ``TreeSampler``, with
  wall and CPU seconds and the load average before and after;
* ``settle``: called before every measured build, so that no build pays for
  the files an earlier step deleted (below);
* ``source_version`` and ``export_commit``: which sources were measured.

Why ``settle``: on a file system like this machine's (ext4 without a journal),
creating a file skips every inode freed in the last minute or more, checking
each one, so a build that starts right after a large tree was deleted (the
last size's site, the other side's site) spends up to three times the kernel
time writing its files: 0.25 against 0.85 ms a page measured here. Syncing and
dropping the kernel's caches ends that at once; without the right to drop
them, waiting does, more slowly.

Why ``VmHWM`` of the child and not ``ru_maxrss``: Linux carries the high-water
mark across fork and exec, so ``RUSAGE_SELF`` in a child (or ``RUSAGE_CHILDREN``
in the parent, or ``/usr/bin/time``) reports the parent's size at fork time
whenever that is larger.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")

# For a child process: its peak resident memory in KiB.
PEAK_RSS = r"""
import resource
def peak_rss_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
"""

# For a child process: any field of /proc/self/status in KiB, and a reset of VmHWM.
MEMORY = r"""
def status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

def reset_peak():
    # Linux 4.0+: writing 5 resets VmHWM to the current RSS.
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False
"""


def children_cpu() -> float:
    """User + system CPU seconds of the children waited for so far (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def scratch(prefix: str, keep: bool, indent: str = "  "):
    """A temporary folder for one measurement's projects and sites: removed at
    the end, or kept (and its path printed) with ``keep``."""
    work = tempfile.mkdtemp(prefix=prefix)
    try:
        yield work
    finally:
        if keep:
            print(f"{indent}kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


SETTLE_WAIT = 360  # seconds: ext4 skips a freed inode for 60 s, or 360 s while its table block is unwritten


def settle() -> str:
    """Before a measured build: write out what is pending and let the file
    system forget recently deleted files (see the module's docstring). What it
    did, for the notes."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as handle:
            handle.write("3\n")
        return "synced, caches dropped"
    except OSError:  # not root, or a container that forbids it: wait instead
        time.sleep(SETTLE_WAIT)
        return f"synced, waited {SETTLE_WAIT} s"


def load_average() -> float:
    """The 1-minute load average (near or above the CPU count: the machine was shared)."""
    return os.getloadavg()[0]


def run_json(code: str, *args: str, cwd: str = REPO, env: dict | None = None,
             failure: str = "the benchmark process failed") -> tuple[dict, float]:
    """``python -c code args`` in a fresh process; the last line of its output as JSON, and the wall time.

    A failure stops the benchmark with the child's error output (and a hint when
    the package is missing: the benchmarks need the project's Python)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        hint = (" — run with the project's Python, e.g. .venv/bin/python"
                if "No module named 'recovery_directory'" in proc.stderr else "; its error is above")
        raise SystemExit(f"{failure} (exit {proc.returncode}){hint}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def run_logged(code: str, args: list[str], cwd: str, log_path: str, env: dict | None = None,
               prefix: str = "bench-") -> dict:
    """``python -c code RESULT args`` in a fresh process, its output to ``log_path``; the JSON it
    writes to RESULT (its first argument), plus ``wall`` seconds and the ``load`` average before."""
    fd, result_path = tempfile.mkstemp(suffix=".json", prefix=prefix)
    os.close(fd)
    try:
        load = load_average()
        started = time.perf_counter()
        with open(log_path, "w", encoding="utf-8") as log:
            proc = subprocess.run([sys.executable, "-c", code, result_path, *args], cwd=cwd,
                                  env=ENV if env is None else env, stdout=log, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - started
        try:
            with open(result_path, encoding="utf-8") as handle:
                result = json.load(handle)
        except (OSError, ValueError):
            result = {"code": proc.returncode or 1}
    finally:
        os.unlink(result_path)
    if proc.returncode or result.get("code"):
        with open(log_path, encoding="utf-8", errors="replace") as log:
            tail = log.read()[-4000:]
        sys.stderr.write(tail + result.get("output", "") + "\n")
        hint = (" — run with the project's Python, e.g. .venv/bin/python" if "No module named" in tail else "")
        raise SystemExit(f"a benchmark process failed (exit {proc.returncode or result.get('code')}); log {log_path}{hint}")
    result["wall"] = wall
    result["load"] = load
    return result


# --- a process tree, sampled --------------------------------------------
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Process:
    """One process seen in the tree (a pid and its start time: pids are reused)."""

    pid: int
    label: str
    first: float  # time.monotonic() when first seen
    last: float  # when last seen alive
    rss_peak_kib: int = 0  # the largest RSS sampled
    hwm_kib: int = 0  # the largest VmHWM read (VmHWM starts again at exec: the largest of both)
    cpu: float = 0.0  # user + system seconds at the last sample
    labels: list[str] = field(default_factory=list)  # every label it had (exec changes the command)


def _stat(pid: int) -> tuple[int, float, int, int] | None:
    """(ppid, CPU seconds, start time in ticks, RSS in KiB) from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    rest = data[data.rindex(b")") + 2:].split()  # the command name may hold spaces and brackets
    if rest[0] in (b"Z", b"X"):  # exited, not yet reaped: nothing resident
        return None
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / _TICKS, int(rest[19]), int(rest[21]) * _PAGE_KIB


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return [part.decode("utf-8", "replace") for part in handle.read().split(b"\0") if part]
    except OSError:
        return []


def _children(pid: int) -> list[int] | None:
    """Children of every thread of ``pid`` (a thread that starts a process is its parent), or
    None when the kernel has no /proc/PID/task/TID/children."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    out: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                out += [int(c) for c in handle.read().split()]
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{tid}"):
                continue  # the thread ended
            return None
        except OSError:
            continue
    return out


def default_label(argv: list[str]) -> str:
    return " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(argv[:3])) or "?"


class TreeSampler:
    """Samples the processes under ``root`` (default: this process, which is left out) every
    ``interval`` seconds in a thread: the peak of the sum of their resident memory, each
    one's VmHWM, CPU seconds and lifetime, and (``timeline``) every sample.

    Sampling misses what lives and dies between two samples; the per-process VmHWM
    does not (it is the kernel's own mark), except in the last interval of a process's life.
    Shared pages (the Python library mapped by both language builds) count once per
    process, as in ``ps``: the sum is an upper bound of what the machine must hold."""

    def __init__(self, root: int | None = None, interval: float = 0.05, include_root: bool | None = None,
                 label: Callable[[list[str]], str] = default_label, timeline: bool = True):
        self.root = root or os.getpid()
        self.include_root = (root is not None) if include_root is None else include_root
        self.interval = interval
        self.label = label
        self.keep_timeline = timeline
        self.processes: dict[tuple[int, int], Process] = {}
        self.peak_sum_kib = 0
        self.peak_at = 0.0  # time.monotonic() of the peak
        self.peak_parts: dict[str, int] = {}  # label → RSS at the peak
        self.timeline: list[tuple[float, int, dict[tuple[int, int], int]]] = []  # (time, sum, RSS per process)
        self.cpu_timeline: list[tuple[float, dict[tuple[int, int], float]]] = []  # (time, CPU seconds per process)
        self.samples = 0
        self.started = self.stopped = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tree-sampler", daemon=True)
        self._scan = False  # no /proc/PID/task/TID/children: find children by scanning /proc

    def __enter__(self) -> "TreeSampler":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.started = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.stopped = time.monotonic()

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                self.sample()
                return

    def _tree(self) -> list[int]:
        if self._scan:
            parents: dict[int, list[int]] = {}
            for name in os.listdir("/proc"):
                if name.isdigit():
                    stat = _stat(int(name))
                    if stat:
                        parents.setdefault(stat[0], []).append(int(name))
            found, todo = [], [self.root]
            while todo:
                pid = todo.pop()
                found.append(pid)
                todo += parents.get(pid, [])
            return found
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            children = _children(pid)
            if children is None:
                self._scan = True
                return self._tree()
            todo += children
        return found

    def sample(self) -> None:
        now = time.monotonic()
        total = 0
        parts: dict[tuple[int, int], int] = {}
        cpus: dict[tuple[int, int], float] = {}
        for pid in self._tree():
            if pid == self.root and not self.include_root:
                continue
            stat = _stat(pid)
            if stat is None:
                continue
            _ppid, cpu, start, rss = stat
            key = (pid, start)
            argv = _cmdline(pid)  # empty while the process exits: it keeps the label it had
            label = self.label(argv) if argv else None
            proc = self.processes.get(key)
            if proc is None:
                proc = self.processes[key] = Process(pid, label or "?", now, now)
            if label and (label != proc.label or not proc.labels):
                proc.label = label  # exec changes the command (python -m pagefind execs the binary)
                if label not in proc.labels:
                    proc.labels.append(label)
            proc.last = now
            proc.cpu = cpu
            proc.rss_peak_kib = max(proc.rss_peak_kib, rss)
            proc.hwm_kib = max(proc.hwm_kib, _hwm(pid))
            parts[key] = rss
            cpus[key] = cpu
            total += rss
        self.samples += 1
        if total > self.peak_sum_kib:
            self.peak_sum_kib, self.peak_at = total, now
            self.peak_parts = {}
            for key, rss in parts.items():
                name = self.processes[key].label
                self.peak_parts[name] = self.peak_parts.get(name, 0) + rss
        if self.keep_timeline:
            self.timeline.append((now, total, parts))
            self.cpu_timeline.append((now, cpus))

    def peak_between(self, start: float, end: float, keys=None) -> int:
        """The largest sampled sum of RSS (KiB) between two time.monotonic() times, over
        ``keys`` (process keys) or every process."""
        best = 0
        for t, total, parts in self.timeline:
            if start <= t <= end:
                value = total if keys is None else sum(rss for k, rss in parts.items() if k in keys)
                best = max(best, value)
        return best

    def cpu_at(self, key: tuple[int, int], when: float) -> float:
        """A process's CPU seconds at its last sample at or before ``when`` (0 before its first)."""
        value = 0.0
        for t, cpus in self.cpu_timeline:
            if t > when:
                break
            value = cpus.get(key, value)
        return value

    def by_label(self) -> dict[str, dict]:
        """Per label: processes, the largest VmHWM of one, their CPU seconds, first and last seen."""
        out: dict[str, dict] = {}
        for proc in self.processes.values():
            entry = out.setdefault(proc.label, {"processes": 0, "hwm_kib": 0, "rss_peak_kib": 0, "cpu": 0.0,
                                                "first": proc.first, "last": proc.last})
            entry["processes"] += 1
            entry["hwm_kib"] = max(entry["hwm_kib"], proc.hwm_kib)
            entry["rss_peak_kib"] = max(entry["rss_peak_kib"], proc.rss_peak_kib)
            entry["cpu"] += proc.cpu
            entry["first"] = min(entry["first"], proc.first)
            entry["last"] = max(entry["last"], proc.last)
        return out


def run_sampled(command: list[str], cwd: str, env: dict | None = None, interval: float = 0.05,
                label: Callable[[list[str]], str] = default_label, timeout: float | None = None) -> dict:
    """``command`` in a fresh process under a TreeSampler: return code, output (stdout and stderr
    together), wall seconds, CPU seconds of the whole tree (RUSAGE_CHILDREN difference: every
    process it waited for), load averages before and after, and the sampler."""
    load_before = load_average()
    cpu_before = children_cpu()
    started = time.perf_counter()
    sampler = TreeSampler(interval=interval, label=label)  # this process's children, not this process
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=ENV if env is None else env, stdout=out, stderr=subprocess.STDOUT)
        with sampler:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        out.seek(0)
        output = out.read()
    wall = time.perf_counter() - started
    return {"code": proc.returncode, "output": output, "wall": wall, "cpu": children_cpu() - cpu_before,
            "load": load_before, "load_after": load_average(), "sampler": sampler, "started": sampler.started}


# --- what was measured ---------------------------------------------------
def source_version(root: str = REPO, paths: tuple[str, ...] = ("hooks",)) -> str:
    """The commit of ``root``, and whether ``paths`` had local changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *paths], cwd=root, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return f"commit {head}" + (f" with uncommitted changes in {', '.join(p + '/' for p in paths)}" if dirty else "")


def export_commit(rev: str, paths: tuple[str, ...], prefix: str = "bench-src-") -> tuple[str, str]:
    """``paths`` of commit ``rev`` exported with git archive into a temporary folder (removed
    at exit), node_modules/ linked from the repository: a tree that others' edits do not
    touch. Returns (folder, a description for the notes)."""
    import atexit

    try:
        sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit(f"--commit: {rev} is not a commit of {REPO}") from None
    root = tempfile.mkdtemp(prefix=f"{prefix}{sha[:7]}-")
    atexit.register(shutil.rmtree, root, True)
    archive = subprocess.run(["git", "archive", "--format=tar", sha, *paths], cwd=REPO, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", root], input=archive, check=True)
    if os.path.isdir(os.path.join(REPO, "node_modules")):  # browser libraries the build copies (vendor.py)
        os.symlink(os.path.join(REPO, "node_modules"), os.path.join(root, "node_modules"))
    return root, f"commit {sha[:7]} (exported with git archive, not the working tree)"


def snapshot_tree(paths: tuple[str, ...], prefix: str = "bench-src-") -> tuple[str, str]:
    """``paths`` of the working tree copied into a temporary folder (removed at exit), as
    export_commit does for a commit: edits made during a long run do not reach it."""
    import atexit

    root = tempfile.mkdtemp(prefix=f"{prefix}worktree-")
    atexit.register(shutil.rmtree, root, True)
    for path in paths:
        source = os.path.join(REPO, path)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(root, path), ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif os.path.exists(source):
            shutil.copy2(source, os.path.join(root, path))
    if os.path.isdir(os.path.join(REPO, "node_modules")):
        os.symlink(os.path.join(REPO, "node_modules"), os.path.join(root, "node_modules"))
    return root, f"the working tree as of {time.strftime('%H:%M')} ({source_version(REPO, ('hooks', 'overrides'))}), copied at the start"
