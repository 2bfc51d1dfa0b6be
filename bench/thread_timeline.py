#!/usr/bin/env python3
"""bench/thread_timeline.py CMD...: runs CMD and prints, every IV seconds
(environment, default 0.5), each thread's share of one CPU over the last
interval and its state letter from /proc/PID/task/TID/stat (R running or
runnable, S sleeping, D waiting for I/O, Z exited), threads in id order
(creation order), each as LAST2DIGITS:SHARE%STATE. A thread that is R at
well under 100% is waiting for a core, which shows when other load on the
machine, not the program, sets the wall time (docs/BENCHMARKS.md, "Store",
"Session 5: ingest")."""
import os, subprocess, sys, time

iv = float(os.environ.get("IV", "0.5"))
tick = os.sysconf("SC_CLK_TCK")
t0 = last_t = time.time()
p = subprocess.Popen(sys.argv[1:])
last = {}
while p.poll() is None:
    time.sleep(iv)
    now, row = time.time(), []
    try:
        tids = sorted(os.listdir("/proc/%d/task" % p.pid), key=int)
    except OSError:
        tids = []
    for tid in tids:
        try:
            f = open("/proc/%d/task/%s/stat" % (p.pid, tid)).read()
        except OSError:
            continue
        parts = f[f.rindex(")") + 2:].split()
        cpu = (int(parts[11]) + int(parts[12])) / tick
        row.append("%s:%3.0f%%%s" % (tid[-2:], 100 * (cpu - last.get(tid, 0)) / (now - last_t), parts[0]))
        last[tid] = cpu
    last_t = now
    print("%5.1f %s" % (now - t0, " ".join(row)), flush=True)
sys.exit(p.returncode)
