# Benchmark: 20 x `sriovctl status --json` against 20 x the shell equivalent an admin would use
# (`ip -j -d link show` plus the sysfs reads for every VF). Wall times in milliseconds.
. /lab/lib.sh
[ "$(cat $PF_SYS/sriov_numvfs)" = 7 ] || { echo 0 > $PF_SYS/sriov_numvfs; echo 7 > $PF_SYS/sriov_numvfs; }
sleep 1
now_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
shell_status() {
  ip -j -d link show > /dev/null
  sysfs_facts > /dev/null
}
# Warm both once so neither pays for first-touch page faults.
sriovctl status --json > /dev/null
shell_status
t0=$(now_ms)
run=0; while [ $run -lt 20 ]; do sriovctl status --json > /dev/null; run=$((run + 1)); done
t1=$(now_ms)
run=0; while [ $run -lt 20 ]; do shell_status; run=$((run + 1)); done
t2=$(now_ms)
echo "sriovctl_ms=$((t1 - t0))" > bench.txt
echo "shell_ms=$((t2 - t1))" >> bench.txt
echo "vfs=$(cat $PF_SYS/sriov_numvfs)" >> bench.txt
cat bench.txt
