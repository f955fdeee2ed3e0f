"""What a user sees of another person's change: two release binaries in two
tmux panes on one board; a card is moved in one (L, then H) until the other
pane's screen shows it. Usage, from the project root after
`cargo build --release`:  python3 benches/tmux_change_latency.py DB [N]
(DB a file with a card in its first column, or a server address)."""
import subprocess, time, sys, statistics
db = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
T = "target/release/teamloop"
def sh(*a): return subprocess.run(a, capture_output=True, text=True).stdout
sh("tmux", "kill-session", "-t", "la"); sh("tmux", "kill-session", "-t", "lb")
for s, u in (("la", "ana"), ("lb", "ben")):
    sh("tmux", "new", "-d", "-s", s, "-x", "120", "-y", "30", f"{T} --db '{db}' --user {u}")
time.sleep(2)
def row(s):
    return sh("tmux", "capture-pane", "-p", "-t", s).splitlines()[2]
times = []
for i in range(n):
    before = row("lb")
    key = "L" if i % 2 == 0 else "H"
    t0 = time.perf_counter()
    sh("tmux", "send-keys", "-t", "la", key)
    while row("lb") == before:
        if time.perf_counter() - t0 > 5: break
    times.append((time.perf_counter() - t0) * 1000)
    time.sleep(0.3)
sh("tmux", "kill-session", "-t", "la"); sh("tmux", "kill-session", "-t", "lb")
times.sort()
print(f"n={n} median={statistics.median(times):.1f} ms  min={times[0]:.1f}  max={times[-1]:.1f}")
