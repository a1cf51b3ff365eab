# Every kind of bad input exits 2 and leaves the host byte for byte as it was.
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
echo 3 > $PF_SYS/sriov_numvfs
ip link set $PF vf 1 mac 02:00:00:00:00:77
mkdir -p /etc/sriovctl
state() { ip -j -d link show; sysfs_facts; for v in $PF_SYS/virtfn*; do cat $(readlink -f $v)/driver_override; done; }
settle
state > before.txt
try() {
  name=$1; shift
  printf '%s\n' "$@" > /etc/sriovctl/$name.toml
  sriovctl apply --config /etc/sriovctl/$name.toml > $name.out 2> $name.err
  echo $? > $name.code
  state > after-$name.txt
  cmp -s before.txt after-$name.txt && echo same > $name.same || echo changed > $name.same
}
try syntax '[[pf]' "name = \"$PF\""
try unknown-key '[[pf]]' "name = \"$PF\"" 'num-vfs = 3' 'speed = 1000'
try vlan-range '[[pf]]' "name = \"$PF\"" 'num-vfs = 3' '[[pf.vf]]' 'index = 0' 'vlan = 4095'
try index-range '[[pf]]' "name = \"$PF\"" 'num-vfs = 3' '[[pf.vf]]' 'index = 3' 'trust = true'
try too-many '[[pf]]' "name = \"$PF\"" 'num-vfs = 8'
try unknown-pf '[[pf]]' 'name = "eth9"' 'num-vfs = 1'
try duplicate-mac '[[pf]]' "name = \"$PF\"" 'num-vfs = 3' '[[pf.vf]]' 'indexes = "0,2"' 'mac = "02:00:00:00:00:99"'
try wrong-type '[[pf]]' "name = \"$PF\"" 'num-vfs = "3"'
try bad-mac '[[pf]]' "name = \"$PF\"" 'num-vfs = 3' '[[pf.vf]]' 'index = 0' 'mac = "01:00:00:00:00:01"'
sriovctl apply --config /nonexistent.toml > missing-file.out 2> missing-file.err; echo $? > missing-file.code
state > after-missing-file.txt; cmp -s before.txt after-missing-file.txt && echo same > missing-file.same || echo changed > missing-file.same
sriovctl apply --bogus > bad-arg.out 2> bad-arg.err; echo $? > bad-arg.code
state > after-bad-arg.txt; cmp -s before.txt after-bad-arg.txt && echo same > bad-arg.same || echo changed > bad-arg.same
