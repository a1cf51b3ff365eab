#!/usr/bin/env python3
"""Judges each scenario the guest ran: its own exit code, then the checker named after it
(lab/check/s<NN>_<name>.py with `check(folder) -> list of failure strings`), if there is one.
Prints one PASS/FAIL line per scenario and a closing `N passed, N failed` line."""
import importlib.util, pathlib, sys

def load_checker(check_dir, scenario):
    name = "s" + scenario.replace("-", "_")
    path = pathlib.Path(check_dir) / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check

def main(out_dir, check_dir):
    out = pathlib.Path(out_dir)
    passed = failed = 0
    for marker in sorted(out.glob("INCOMPLETE-*")):
        label = marker.name.split("-", 1)[1]
        print(f"FAIL lab: the {label} guest did not finish (see lab/.work/console-{label}.log)")
        failed += 1
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        failures = []
        code = (folder / "exit-code").read_text().strip() if (folder / "exit-code").exists() else "missing"
        if code != "0":
            failures.append(f"scenario script exited {code}; stderr: {(folder / 'stderr.txt').read_text()[-800:] if (folder / 'stderr.txt').exists() else ''}")
        checker = load_checker(check_dir, folder.name)
        if checker:
            try:
                failures += checker(folder)
            except Exception as e:  # a checker that crashes is a failed scenario, with the reason
                failures.append(f"checker crashed: {type(e).__name__}: {e}")
        if failures:
            failed += 1
            print(f"FAIL {folder.name}")
            for f in failures:
                print(f"     - {f}")
        else:
            passed += 1
            print(f"PASS {folder.name}")
    if passed + failed == 0:
        print("FAIL lab: no scenario ran")
        failed = 1
    print(f"lab: {passed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
