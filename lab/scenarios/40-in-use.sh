# A VF whose VFIO group a process holds open: reducing the VF count is refused (exit 1) within
# seconds, naming the process, and nothing changes. (Writing sriov_numvfs now would block.)
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
mkdir -p /etc/sriovctl
cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = 4
[[pf.vf]]
index = 0
driver = "vfio-pci"
CONFIG
sriovctl apply > apply1.out 2> apply1.err; echo $? > apply1.code
vf0=$(basename "$(readlink $PF_SYS/virtfn0)")
group=$(basename "$(readlink /sys/bus/pci/devices/$vf0/iommu_group)")
sleep 600 < /dev/vfio/$group &
holder=$!
echo $holder > holder.pid
echo $group > group.txt
settle
state() { ip -j -d link show; sysfs_facts; }
state > before.txt
sed -i 's/num-vfs = 4/num-vfs = 2/' /etc/sriovctl/sriovctl.toml
sriovctl plan > plan.out 2> plan.err; echo $? > plan.code
start=$(cut -d' ' -f1 /proc/uptime)
sriovctl apply > apply2.out 2> apply2.err; echo $? > apply2.code
end=$(cut -d' ' -f1 /proc/uptime)
echo "$start $end" > apply2.span
state > after.txt
cmp -s before.txt after.txt && echo same > apply2.same || echo changed > apply2.same
kill $holder
wait $holder 2>/dev/null
sriovctl apply > apply3.out 2> apply3.err; echo $? > apply3.code
cat $PF_SYS/sriov_numvfs > numvfs-after.txt
