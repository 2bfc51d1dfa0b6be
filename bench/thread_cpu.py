#!/usr/bin/env python3
"""bench/thread_cpu.py CMD...: runs CMD, reads /proc/PID/task/*/stat every
0.05 s and prints the wall time, the CPU time of the process (getrusage of
the child: user + sys) and each thread's last seen user + sys CPU seconds, in
thread-id order (creation order). Used for the per-thread figures of
docs/BENCHMARKS.md, "Store", session 4."""
import os, subprocess, sys, time, resource
tick = os.sysconf("SC_CLK_TCK")
t0 = time.time()
p = subprocess.Popen(sys.argv[1:])
seen = {}
while p.poll() is None:
    try:
        for tid in os.listdir("/proc/%d/task" % p.pid):
            try:
                f = open("/proc/%d/task/%s/stat" % (p.pid, tid)).read()
                parts = f[f.rindex(")") + 2:].split()
                seen[int(tid)] = (int(parts[11]) + int(parts[12])) / tick
            except OSError:
                pass
    except OSError:
        pass
    time.sleep(0.05)
wall = time.time() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
ths = sorted(seen.items())
print("wall %.2f s, cpu %.2f s (user %.2f + sys %.2f); threads (main first): %s" % (
    wall, ru.ru_utime + ru.ru_stime, ru.ru_utime, ru.ru_stime,
    ", ".join("%.2f" % v for _, v in ths)))
