"""30-bad-input: each bad input exits 2, says what and where, and changes nothing."""

CASES = {
    "syntax": "not valid TOML", "unknown-key": 'unknown key "speed"', "vlan-range": "vlan must be an integer 0-4094",
    "index-range": "VF 3 does not exist", "too-many": "offers at most 7 VFs", "unknown-pf": "no SR-IOV capable PF eth9",
    "duplicate-mac": "unique on the host", "wrong-type": "num-vfs must be",
    "bad-mac": "multicast", "missing-file": "does not exist", "bad-arg": "Unknown option",
}

def check(folder):
    failures = []
    for name, words in CASES.items():
        code = (folder / f"{name}.code").read_text().strip()
        err = (folder / f"{name}.err").read_text()
        same = (folder / f"{name}.same").read_text().strip()
        if code != "2":
            failures.append(f"{name}: exit {code}, expected 2; {err[-300:]}")
        if words not in err:
            failures.append(f"{name}: the message does not say {words!r}: {err[-300:]}")
        if same != "same":
            failures.append(f"{name}: the host changed")
    return failures
